"""课后回放: the instructor's browser records the broadcast (MediaRecorder, WebM) and uploads
it in small chunks after the class; the chunks are joined into one file through Django's
storage and become a draft lesson under the course."""

import re
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from accounts.models import Notification, User
from accounts.services import notify_user
from core.refusals import Refused
from courses.media_validation import validate_lesson_media
from courses.services import create_replay_lesson

from . import tasks
from .models import LiveClass
from .services import require_teacher

CHUNK_BYTES = 2 * 1024 * 1024  # under Django's DATA_UPLOAD_MAX_MEMORY_SIZE
MAX_CHUNKS = 5000
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def chunk_name(live_class: LiveClass, upload_id: str, index: int) -> str:
    return f"live/recordings/{live_class.pk}/{upload_id}/{index:05d}.part"


def check_upload(upload_id: str, index: int) -> None:
    if not UPLOAD_ID.match(upload_id) or not 0 <= index < MAX_CHUNKS:
        raise Refused("invalid", "录像分段的编号不对。")


def save_chunk(live_class: LiveClass, user: User, upload_id: str, index: int, data: bytes) -> None:
    """Store one chunk; sending the same chunk again replaces it (a retry after a drop)."""
    require_teacher(user, live_class)
    check_upload(upload_id, index)
    if not data or len(data) > CHUNK_BYTES:
        raise Refused("too_big", "录像分段大小不对。")
    name = chunk_name(live_class, upload_id, index)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def accept_recording(live_class: LiveClass, user: User, upload_id: str, chunks: int) -> None:
    """Every chunk is there and the first one starts like a video: queue the joining
    (live.tasks), which takes a while for an hour's class."""
    require_teacher(user, live_class)
    check_upload(upload_id, max(chunks - 1, 0))
    names = [chunk_name(live_class, upload_id, index) for index in range(chunks)]
    if not chunks or not all(default_storage.exists(name) for name in names):
        raise Refused("incomplete", "录像没有传完整，请再试一次。")
    with default_storage.open(names[0]) as first:
        try:
            validate_lesson_media(File(first, name=f"live-class-{live_class.pk}.webm"))
        except ValidationError as problem:
            raise Refused("invalid", problem.messages[0]) from None
    tasks.finish_recording.enqueue(live_class.pk, user.pk, upload_id, chunks)


def finish_recording(live_class: LiveClass, user: User, upload_id: str, chunks: int) -> None:
    """The worker's part: join the chunks into a draft lesson and tell the teacher, in one
    transaction, so that a second run (a worker killed before the chunks were removed) finds
    the teacher told and only cleans up."""
    names = [chunk_name(live_class, upload_id, index) for index in range(chunks)]
    about = f"recording:{upload_id}"
    if not Notification.objects.filter(user=user, about=about).exists():
        with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as joined:
            for name in names:
                with default_storage.open(name) as part:
                    joined.write(part.read())
            joined.seek(0)
            try:
                with transaction.atomic():
                    lesson = create_replay_lesson(
                        course=live_class.course,
                        title=f"课后回放：{live_class.title}",
                        video=File(joined, name=f"live-class-{live_class.pk}.webm"),
                    )
                    notify_user(
                        user,
                        "recording",
                        f"录像已保存为草稿课时“{lesson.title}”，请检查、加字幕后发布。",
                        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
                        about=about,
                    )
            except ValidationError as problem:
                notify_user(user, "recording", f"录像没能保存：{problem.messages[0]}", about=about)
    for name in names:
        default_storage.delete(name)
