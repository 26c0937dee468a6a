"""Background work for live classes: 上课提醒, rendering uploaded 课件, and joining a class
recording into a draft lesson."""

from django_tasks import task

from accounts.models import User
from core.tasks import PEOPLE_WAITING

from . import recording, services, slides
from .models import LiveClass


@task(priority=PEOPLE_WAITING)
def send_class_reminders() -> int:
    return services.send_class_reminders()


@task(priority=PEOPLE_WAITING)
def render_slides(class_id: int, user_id: int, batch: str, names: list[str]) -> None:
    """A teacher's uploaded 课件 turned into page images (live.slides.replace_slides)."""
    live_class = LiveClass.objects.filter(pk=class_id).first()
    teacher = User.objects.filter(pk=user_id).first()
    if live_class and teacher:
        slides.replace_slides(live_class, teacher, batch, names)


@task()
def finish_recording(class_id: int, user_id: int, upload_id: str, chunks: int) -> None:
    live_class = LiveClass.objects.select_related("course").filter(pk=class_id).first()
    teacher = User.objects.filter(pk=user_id).first()
    if live_class and teacher:
        recording.finish_recording(live_class, teacher, upload_id, chunks)
