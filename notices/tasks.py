"""Background work for notices: announcing one to its audience, and 未读提醒."""

from django_tasks import task

from core.tasks import PEOPLE_WAITING

from . import services
from .models import NoticePage


@task(priority=PEOPLE_WAITING)
def announce_notice(notice_id: int) -> int:
    """Store (and push) the notification for everyone the notice addresses; safe to run twice."""
    notice = NoticePage.objects.filter(pk=notice_id).first()
    return services.announce_notice(notice) if notice else 0


@task(priority=PEOPLE_WAITING)
def send_unread_reminders() -> int:
    return services.send_unread_reminders()
