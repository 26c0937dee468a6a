"""Background work for notices: announcing one to its audience, and 未读提醒."""

from django_tasks import task

from . import services
from .models import NoticePage


@task()
def announce_notice(notice_id: int) -> int:
    """Store (and push) the notification for everyone the notice addresses; safe to run twice."""
    notice = NoticePage.objects.filter(pk=notice_id).first()
    return services.announce_notice(notice) if notice else 0


@task()
def send_unread_reminders() -> int:
    return services.send_unread_reminders()
