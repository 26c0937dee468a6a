"""What may be shared in a circle: voice messages, pictures, short videos, and for works also
longer recordings. Checked by the file's first bytes (a renamed .exe is refused), its size,
and a voice message's length."""

from django.core.files.uploadedfile import UploadedFile

from core.refusals import Refused
from courses.media_validation import sniff_media

MAX_VOICE_SECONDS = 60
MB = 1024 * 1024
# kind → (formats accepted, largest size in bytes, what to call it)
LIMITS = {
    "voice": ({"webm", "ogg", "mp4", "mp3", "wav"}, 2 * MB, "语音"),
    "audio": ({"webm", "ogg", "mp4", "mp3", "wav"}, 30 * MB, "录音"),
    "image": ({"jpeg", "png", "gif", "webp"}, 10 * MB, "图片"),
    "video": ({"webm", "mp4"}, 50 * MB, "视频"),
}
CONTENT_TYPES = {
    ("voice", "webm"): "audio/webm",
    ("audio", "webm"): "audio/webm",
    ("voice", "mp4"): "audio/mp4",
    ("audio", "mp4"): "audio/mp4",
    ("video", "webm"): "video/webm",
    ("video", "mp4"): "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
SUFFIXES = {"jpeg": "jpg", "mp4": "mp4", "webm": "webm"}


def sniff_image(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"GIF8":
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def sniff(head: bytes) -> str | None:
    return sniff_image(head) or sniff_media(head)


def guess_kind(upload: UploadedFile, fmt: str) -> str:
    """For a work, where the person chose a file: a picture, a video or a recording."""
    if fmt in LIMITS["image"][0]:
        return "image"
    declared = (getattr(upload, "content_type", "") or "").split("/")[0]
    return "video" if declared == "video" and fmt in LIMITS["video"][0] else "audio"


def checked_upload(upload: UploadedFile, kind: str | None, seconds: int) -> dict:
    """The fields of a CircleFile for an acceptable upload; Refused with the reason
    otherwise. kind None: decide from the content (works)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    fmt = sniff(head)
    if fmt is None:
        raise Refused("file_type", "这个文件的格式不能分享。可以分享照片、语音、录音和短视频。")
    kind = kind or guess_kind(upload, fmt)
    formats, largest, what = LIMITS[kind]
    if fmt not in formats:
        raise Refused("file_type", f"这个文件不是{what}，请换一个。")
    if upload.size > largest:
        raise Refused("file_size", f"{what}太大了，最大 {largest // MB} MB。")
    if kind == "voice" and not 1 <= seconds <= MAX_VOICE_SECONDS:
        raise Refused("too_long", f"语音最长 {MAX_VOICE_SECONDS} 秒，请分成几段说。")
    upload.name = f"upload.{SUFFIXES.get(fmt, fmt)}"
    return {
        "kind": kind,
        "file": upload,
        "content_type": CONTENT_TYPES.get((kind, fmt)) or CONTENT_TYPES[fmt],
        "size": upload.size,
        "seconds": seconds if kind == "voice" else 0,
    }
