"""Background work for live classes: 上课提醒, and rendering uploaded 课件."""

from django_tasks import task

from accounts.models import User
from core.tasks import PEOPLE_WAITING

from . import services, slides
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
