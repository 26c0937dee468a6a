"""Background work that belongs to no domain: Wagtail's scheduled publishing, and keeping the
queue's own history short."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun

HISTORY_DAYS = 30
# Work someone is waiting for (a notification, a reminder, slides) goes ahead of
# housekeeping and Wagtail's index updates (priority 0).
PEOPLE_WAITING = 10


@task()
def publish_scheduled_pages() -> None:
    """Notices and courses go live (and expire) when their time comes. Publishing twice is
    harmless: Wagtail publishes only revisions still waiting."""
    call_command("publish_scheduled", verbosity=0)


@task()
def prune_task_history() -> int:
    """Finished tasks and scheduler slots older than HISTORY_DAYS; failed ones stay for staff."""
    cutoff = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    done, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff
    ).delete()
    slots, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return done + slots
