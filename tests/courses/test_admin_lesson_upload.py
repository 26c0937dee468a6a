"""The lesson editor in the Wagtail admin (issue 21 item 13): the 音视频 chooser uploads a new
video with its captions on the spot, refusing bad files in Chinese; the explorer's add button
says what it adds."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.generated_media import CAPTIONS, generate_clip
from courses.models import CourseIndexPage, CoursePage, LessonMedia
from notices.models import NoticeIndexPage

CHOOSER = "/admin/snippets/choose/courses/lessonmedia/"
UPLOAD = CHOOSER + "create/"


@pytest.fixture(scope="module")
def clip() -> bytes:
    return generate_clip(seconds=2)


@pytest.fixture
def instructor(demo_site, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return client_as("liushuwen")


def upload(client, **fields):
    data = {f"media-upload-{name}": value for name, value in fields.items()}
    response = client.post(UPLOAD, data)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_chooser_offers_an_upload_tab(instructor):
    response = instructor.get(CHOOSER)
    html = json.loads(response.content)["html"]
    assert "上传新的" in html and "选已上传的" in html
    assert f'action="{UPLOAD}"' in html and 'enctype="multipart/form-data"' in html
    # Inside the page editor, whose own title field is id_title.
    assert 'id="id_media-upload-title"' in html and 'id="id_title"' not in html
    assert "上传并选用" in html


def test_an_instructor_uploads_a_video_with_captions_and_it_is_chosen(instructor, clip):
    answer = upload(
        instructor,
        title="运笔示范",
        kind="video",
        file=SimpleUploadedFile("运笔.webm", clip),
        captions=SimpleUploadedFile("运笔.vtt", CAPTIONS.encode()),
    )
    media = LessonMedia.objects.get(title="运笔示范")
    assert answer["step"] == "chosen"
    assert answer["result"]["id"] == str(media.pk)
    assert answer["result"]["string"] == "运笔示范"
    assert media.file.name.startswith("lessons/media/") and media.file.size == len(clip)
    assert media.captions.read().decode().startswith("WEBVTT")
    # No warning waiting for the next page: it has captions.
    assert "还没有中文字幕" not in instructor.get(reverse("wagtailadmin_home")).content.decode()


def test_a_video_without_captions_is_chosen_and_the_editor_is_warned(instructor, clip):
    answer = upload(
        instructor, title="坐姿示范", kind="video", file=SimpleUploadedFile("a.webm", clip)
    )
    assert answer["step"] == "chosen"
    # The warning shows on the editor's next page (after saving the lesson).
    page = instructor.get(reverse("wagtailadmin_home")).content.decode()
    assert "视频“坐姿示范”还没有中文字幕" in page


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"file": ("setup.exe", b"MZ\x90\x00" * 8)}, "只能上传 MP4、WebM 视频"),
        ({"file": ("renamed.mp4", b"MZ\x90\x00" * 8)}, "不是它的扩展名所说的音视频格式"),
        (
            {"file": "clip", "captions": ("字幕.srt", b"1\n00:00:00,000 --> 00:00:01,000\n")},
            "字幕请上传 WebVTT（.vtt）文件",
        ),
        ({"file": "clip", "captions": ("字幕.vtt", b"not captions")}, "字幕文件要以 WEBVTT 开头"),
        ({}, "请先选好要上传的视频或音频文件。"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_nothing_is_saved(instructor, clip, files, message):
    fields = {"title": "握笔示范", "kind": "video"}
    for name, value in files.items():
        name_and_bytes = ("ok.webm", clip) if value == "clip" else value
        fields[name] = SimpleUploadedFile(*name_and_bytes)
    answer = upload(instructor, **fields)
    assert answer["step"] == "reshow_creation_form"
    assert message in answer["htmlFragment"]
    assert 'value="握笔示范"' in answer["htmlFragment"]  # what was typed is kept
    assert not LessonMedia.objects.filter(title="握笔示范").exists()


def test_the_size_limit_holds_in_the_chooser(instructor, clip, settings):
    settings.LESSON_MEDIA_MAX_MB = 0
    answer = upload(
        instructor, title="大文件", kind="video", file=SimpleUploadedFile("a.webm", clip)
    )
    assert "文件太大了：最大 0 MB。" in answer["htmlFragment"]
    assert not LessonMedia.objects.filter(title="大文件").exists()


def test_someone_who_may_not_add_media_gets_no_upload_tab(demo_site, client_as, clip):
    staff = client_as("jxs1")  # reviews lessons; uploads are the instructors'
    html = json.loads(staff.get(CHOOSER).content)["html"]
    assert "上传新的" not in html
    response = staff.post(
        UPLOAD, {"media-upload-title": "x", "media-upload-file": SimpleUploadedFile("a.webm", clip)}
    )
    assert response.status_code in (302, 403)
    assert not LessonMedia.objects.filter(title="x").exists()


def header_add_link(html: str) -> str:
    header = html.partition("<header")[2].partition("</header>")[0]
    return re.search(r'<a href="[^"]*/add_subpage/"[^>]*>.*?</a>', header, re.S).group(0)


def test_a_courses_add_button_says_new_lesson_in_words(demo_site, client_as):
    course = CoursePage.objects.get(title="书法入门")
    html = client_as("liushuwen").get(reverse("wagtailadmin_explore", args=[course.pk]))
    link = header_add_link(html.content.decode())
    assert f"/admin/pages/{course.pk}/add_subpage/" in link
    assert re.sub(r"<[^>]+>|\s", "", link) == "新建课时"  # shown, not only a tooltip


def test_the_catalogs_add_button_says_new_course(demo_site, client_as):
    catalog = CourseIndexPage.objects.get()
    html = client_as("jxs1").get(reverse("wagtailadmin_explore", args=[catalog.pk]))
    link = header_add_link(html.content.decode())
    assert re.sub(r"<[^>]+>|\s", "", link) == "新建课程"


def test_other_add_buttons_have_a_chinese_name(demo_site, client_as):
    index = NoticeIndexPage.objects.get(institution__name="第一军休所")
    html = client_as("jxs1").get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    assert 'aria-label="新建子页面"' in header_add_link(html)
