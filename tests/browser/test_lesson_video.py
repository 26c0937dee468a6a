"""A retiree plays a lesson video, reloads, resumes where they stopped, changes the speed,
reads the captions, marks the lesson complete and sees their progress."""

import pytest

from accounts.models import User
from courses.generated_media import create_generated_media
from courses.models import CoursePage, LessonPage, LessonProgress
from courses.services import enroll_retiree
from tests.browser.conftest import FAKE_SPEECH, assert_elder_friendly

RETIREE = "13900000001"


@pytest.fixture
def video_lesson(live_url) -> LessonPage:
    course = CoursePage.objects.get(title="书法入门")
    enroll_retiree(retiree=User.objects.get(username=RETIREE), course=course)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    media = create_generated_media("握笔示范", seconds=8)
    lesson.body = [("media", {"media": media}), *[(b.block_type, b.value) for b in lesson.body]]
    lesson.save()
    return lesson


def player_time(page) -> float:
    return page.evaluate("document.querySelector('[data-media]').currentTime")


@pytest.mark.parametrize("width", [1280, 390])
def test_play_reload_resume_and_complete(open_window, video_lesson, password, width):
    window = open_window(width)
    page = window.log_in(RETIREE, password)
    window.open(video_lesson.url)
    page.wait_for_selector("[data-lesson-player][data-ready='1']")
    assert_elder_friendly(window, "lesson-video")

    # Captions in Chinese are attached and load.
    page.evaluate("document.querySelector('video').textTracks[0].mode = 'showing'")
    page.wait_for_function("document.querySelector('video').textTracks[0].cues?.length > 0")
    assert page.evaluate("document.querySelector('video').textTracks[0].language") == "zh-CN"

    page.get_by_role("button", name="播放").click()
    page.wait_for_function("document.querySelector('[data-media]').currentTime >= 2")
    page.get_by_role("button", name="1.25倍").click()
    assert page.evaluate("document.querySelector('[data-media]').playbackRate") == 1.25
    page.get_by_role("button", name="暂停").click()
    page.wait_for_function(
        "Number(document.querySelector('[data-lesson-player]').getAttribute('data-reported')) >= 2"
    )
    saved = LessonProgress.objects.get(lesson=video_lesson).position_seconds
    assert saved >= 2

    page.reload()
    page.wait_for_selector("[data-lesson-player][data-ready='1']")
    assert "上次看到第" in page.inner_text("[data-resume-note]")
    assert player_time(page) == pytest.approx(saved, abs=1)

    page.get_by_role("button", name="这一课我学完了").click()
    page.get_by_text("这一课记为已学完").wait_for()
    window.open(video_lesson.get_parent().url)
    assert "已学完 1 课，共 3 课" in page.inner_text("main")
    assert page.get_by_role("link", name="继续学习：横与竖").is_visible()
    assert_elder_friendly(window, "course-progress")


def test_the_end_of_the_video_completes_the_lesson(open_window, video_lesson, password):
    window = open_window(1280)
    page = window.log_in(RETIREE, password)
    window.open(video_lesson.url)
    page.wait_for_selector("[data-lesson-player][data-ready='1']")
    page.get_by_role("button", name="1.5倍").click()
    page.evaluate("(v => { v.currentTime = v.duration - 1; })(document.querySelector('video'))")
    page.get_by_role("button", name="播放").click()
    page.get_by_text("看完了，这一课已记为学完。").wait_for()
    assert LessonProgress.objects.get(lesson=video_lesson).completed_at is not None


def test_read_aloud_reads_the_lesson_words_not_its_player(open_window, video_lesson, password):
    window = open_window(390)
    window.page.context.add_init_script(FAKE_SPEECH)
    page = window.log_in(RETIREE, password)
    window.open(video_lesson.url)
    page.get_by_role("button", name="朗读").click()
    page.wait_for_function("window.spoken.length >= 1")
    first = page.evaluate("window.spoken[0]")
    assert first["lang"] == "zh-CN" and len(first["text"]) <= 80
    # The lesson's words; the player (its buttons, 速度, the transcript beside it) is skipped.
    lesson_words = "这是《书法入门》的一节课：握笔与坐姿。请先看老师的讲解"
    assert first["text"].strip().startswith(lesson_words)
