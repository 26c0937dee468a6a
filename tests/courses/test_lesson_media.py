"""Lesson audio and video: allowed types by content, captions, limits, storage."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import AdminFactory
from courses.generated_media import CAPTIONS, create_generated_media, generate_clip
from courses.media_validation import validate_captions, validate_lesson_media
from courses.models import LessonMedia


@pytest.fixture(scope="module")
def clip() -> bytes:
    return generate_clip(seconds=2)


def test_a_real_webm_is_accepted(clip):
    validate_lesson_media(SimpleUploadedFile("第一课.webm", clip))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" * 8, "只能上传"),
        ("renamed.mp4", b"MZ\x90\x00" * 8, "不是它的扩展名所说的"),
        ("looks-like.mp4", b"\x1a\x45\xdf\xa3" + b"\x00" * 20, "不是它的扩展名所说的"),
        ("notes.pdf", b"%PDF-1.4", "只能上传"),
    ],
)
def test_wrong_media_is_refused_in_chinese(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_lesson_media(SimpleUploadedFile(name, content))


def test_size_limit(settings, clip):
    settings.LESSON_MEDIA_MAX_MB = 0
    with pytest.raises(ValidationError, match="文件太大了"):
        validate_lesson_media(SimpleUploadedFile("big.webm", clip))


def test_captions_must_be_webvtt():
    validate_captions(SimpleUploadedFile("字幕.vtt", CAPTIONS.encode()))
    with pytest.raises(ValidationError, match="WebVTT（.vtt）"):
        validate_captions(SimpleUploadedFile("字幕.srt", b"1\n00:00:00,000 --> 00:00:01,000\n"))
    with pytest.raises(ValidationError, match="要以 WEBVTT 开头"):
        validate_captions(SimpleUploadedFile("字幕.vtt", b"not captions"))


def test_media_is_stored_through_django_storage(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    media = create_generated_media("示范片段", seconds=2)
    stored = LessonMedia.objects.get(pk=media.pk)
    assert stored.file.name.startswith("lessons/media/") and stored.file.size > 1000
    assert stored.captions.read().decode().startswith("WEBVTT")


def test_the_editor_is_warned_about_a_video_without_captions(db, client_as, clip):
    editor = client_as(AdminFactory())
    url = reverse("wagtailsnippets_courses_lessonmedia:add")
    response = editor.post(
        url,
        {"title": "握笔示范", "kind": "video", "file": SimpleUploadedFile("a.webm", clip)},
        follow=True,
    )
    assert LessonMedia.objects.filter(title="握笔示范").exists()
    assert "视频“握笔示范”还没有中文字幕" in response.content.decode()
    with_captions = editor.post(
        url,
        {
            "title": "坐姿示范",
            "kind": "video",
            "file": SimpleUploadedFile("b.webm", clip),
            "captions": SimpleUploadedFile("b.vtt", CAPTIONS.encode()),
        },
        follow=True,
    )
    assert LessonMedia.objects.filter(title="坐姿示范").exists()
    assert "还没有中文字幕" not in with_captions.content.decode()
