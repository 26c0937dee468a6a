"""An instructor adds a video to a lesson without leaving the lesson editor (issue 21 item
13): the 音视频 chooser's 上传新的 tab uploads the video and its captions, the lesson goes to
review, the course's own 军休所 approves it, and a retiree plays the new video."""

import re
from urllib.parse import unquote

import pytest

from accounts.models import User
from courses.generated_media import CAPTIONS, generate_clip
from courses.models import CoursePage, LessonMedia, LessonPage
from courses.services import enroll_retiree

RETIREE = "13900000001"


@pytest.fixture
def lesson(live_url) -> LessonPage:
    course = CoursePage.objects.get(title="书法入门")
    enroll_retiree(retiree=User.objects.get(username=RETIREE), course=course)
    return LessonPage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def files(tmp_path) -> dict:
    video = tmp_path / "运笔示范.webm"
    video.write_bytes(generate_clip(seconds=6))
    captions = tmp_path / "运笔示范.vtt"
    captions.write_text(CAPTIONS, encoding="utf-8")
    return {"video": video, "captions": captions}


def open_the_upload_tab(page):
    """On the lesson editor: a new 视频或音频 block, its chooser, the 上传新的 tab."""
    page.get_by_role("button", name="插入内容块").last.click()
    page.get_by_role("option", name="视频或音频").click()
    page.get_by_role("button", name="选择 课程音视频").click()
    dialog = page.locator(".modal-dialog")
    dialog.get_by_role("tab", name="上传新的").click()
    return dialog


def test_instructor_uploads_a_video_from_the_chooser_and_a_retiree_plays_it(
    open_window, lesson, files, password
):
    teacher_window = open_window(1280)
    teacher = teacher_window.log_in("liushuwen", password)
    teacher_window.open(f"/admin/pages/{lesson.pk}/edit/")
    dialog = open_the_upload_tab(teacher)

    # A file that is not what its name says is refused in Chinese, inside the chooser.
    dialog.get_by_label("名称").fill("运笔示范")
    dialog.get_by_label("音视频文件").set_input_files(
        {"name": "运笔示范.mp4", "mimeType": "video/mp4", "buffer": b"MZ\x90\x00" * 8}
    )
    dialog.get_by_role("button", name="上传并选用").click()
    dialog.get_by_text("这个文件不是它的扩展名所说的音视频格式").wait_for()
    assert dialog.get_by_label("名称").input_value() == "运笔示范"
    assert not LessonMedia.objects.filter(title="运笔示范").exists()

    # The right files, in the same dialog.
    dialog.get_by_label("音视频文件").set_input_files(files["video"])
    dialog.get_by_label("中文字幕（WebVTT）").set_input_files(files["captions"])
    dialog.get_by_role("button", name="上传并选用").click()
    dialog.wait_for(state="detached")
    teacher.locator("[data-chooser-title]").filter(has_text="运笔示范").wait_for()
    media = LessonMedia.objects.get(title="运笔示范")
    assert media.captions.name.endswith(".vtt")
    teacher_window.screenshot("admin-lesson-media-chosen")

    teacher.get_by_role("button", name="更多动作").click()
    teacher.get_by_role("button", name="提交给课程发布审核").click()
    teacher.wait_for_url(re.compile(rf"/admin/pages/{lesson.get_parent().pk}/$"))
    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes

    # The course's own 军休所 approves; its main button is 批准发布.
    staff_window = open_window(1280)
    staff = staff_window.log_in("jxs1", password)
    staff_window.open(f"/admin/pages/{lesson.pk}/edit/")
    staff.locator("footer").get_by_role("button", name="批准发布").first.click()
    staff.wait_for_url(re.compile(rf"/admin/pages/{lesson.get_parent().pk}/$"))
    lesson.refresh_from_db()
    assert not lesson.has_unpublished_changes

    retiree_window = open_window(1280)
    retiree = retiree_window.log_in(RETIREE, password)
    retiree_window.open(lesson.url)
    retiree.wait_for_selector("[data-lesson-player][data-ready='1']")
    assert "视频：运笔示范" in retiree.inner_text("main")
    source = retiree.evaluate("document.querySelector('[data-media]').currentSrc")
    assert unquote(source).endswith("/" + media.file.name)
    retiree.get_by_role("button", name="播放").click()
    retiree.wait_for_function("document.querySelector('[data-media]').currentTime >= 1")
    retiree.evaluate("document.querySelector('video').textTracks[0].mode = 'showing'")
    retiree.wait_for_function("document.querySelector('video').textTracks[0].cues?.length > 0")
    retiree_window.screenshot("lesson-uploaded-video")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_lesson_editor_and_its_upload_tab(open_window, lesson, files, password, width):
    window = open_window(width)
    page = window.log_in("liushuwen", password)
    window.open(f"/admin/pages/{lesson.get_parent().pk}/")
    page.get_by_role("link", name="新建课时").wait_for()
    window.screenshot("admin-course-explorer")
    window.open(f"/admin/pages/{lesson.pk}/edit/")
    window.screenshot("admin-lesson-edit")
    open_the_upload_tab(page).get_by_label("音视频文件").wait_for()
    window.screenshot("admin-lesson-media-upload")
