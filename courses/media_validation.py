"""What may be uploaded as lesson audio and video, checked by extension, size and the file's
first bytes (a renamed .exe is not a video)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

MEDIA_SIGNATURES = {
    ".mp4": "mp4",
    ".m4v": "mp4",
    ".m4a": "mp4",
    ".webm": "webm",
    ".mp3": "mp3",
    ".ogg": "ogg",
    ".oga": "ogg",
    ".wav": "wav",
}


def sniff_media(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    return None


def validate_lesson_media(upload) -> None:
    extension = Path(upload.name).suffix.lower()
    if extension not in MEDIA_SIGNATURES:
        raise ValidationError(
            "只能上传 MP4、WebM 视频或 MP3、M4A、OGG、WAV 音频。", code="media_type"
        )
    limit_mb = settings.LESSON_MEDIA_MAX_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(f"文件太大了：最大 {limit_mb} MB。", code="media_size")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if sniff_media(head) != MEDIA_SIGNATURES[extension]:
        raise ValidationError(
            "这个文件不是它的扩展名所说的音视频格式，请检查后重新上传。", code="media_content"
        )


def validate_captions(upload) -> None:
    if Path(upload.name).suffix.lower() != ".vtt":
        raise ValidationError("字幕请上传 WebVTT（.vtt）文件。", code="captions_type")
    if upload.size > 2 * 1024 * 1024:
        raise ValidationError("字幕文件太大了：最大 2 MB。", code="captions_size")
    upload.seek(0)
    head = upload.read(16).lstrip(b"\xef\xbb\xbf")
    upload.seek(0)
    if not head.startswith(b"WEBVTT"):
        raise ValidationError(
            "字幕文件要以 WEBVTT 开头，请用 WebVTT 格式。", code="captions_content"
        )
