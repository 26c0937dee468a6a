"""Background work for accounts: Web Push of notifications, checking and writing uploaded
rosters (the page shows their progress), dropping old uploaded rosters."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core.tasks import PEOPLE_WAITING

from . import services


@task()
def clean_old_uploads() -> int:
    return services.forget_old_roster_files()


@task(priority=PEOPLE_WAITING)
def check_roster_upload(upload_id: int) -> None:
    services.check_roster_upload(upload_id=upload_id)


@task(priority=PEOPLE_WAITING)
def import_roster_upload(upload_id: int) -> None:
    services.import_roster(upload_id=upload_id)


@task(priority=PEOPLE_WAITING)
def push_notifications(notification_ids: list[int]) -> None:
    """手机提醒; what quiet hours hold back goes at 7:00 Beijing time (where the queue can
    wait: the database backend)."""
    held = services.push_notifications(notification_ids=notification_ids)
    if held and push_notifications.get_backend().supports_defer:
        push_notifications.using(run_after=next_morning()).enqueue(held)


def next_morning() -> datetime.datetime:
    local = timezone.localtime()
    morning = local.replace(hour=settings.PUSH_QUIET_UNTIL_HOUR, minute=0, second=0, microsecond=0)
    return morning if morning > local else morning + datetime.timedelta(days=1)
