"""Periodic jobs: what a job is, which time slot is due, and enqueueing each slot once. The
list of jobs is config/schedule.py (settings.PERIODIC_JOBS); `manage.py scheduler` runs it."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .services import claim_slot


@dataclass(frozen=True)
class Job:
    """A task (dotted path to a django-tasks Task) run every `every_minutes` minutes, or once
    a day at `daily_at` Beijing time."""

    name: str
    task: str
    every_minutes: int = 0
    daily_at: datetime.time | None = None

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The latest slot that has begun at `now` (aware)."""
        local = timezone.localtime(now)
        if self.daily_at is not None:
            today = local.replace(
                hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
            )
            return today if today <= local else today - datetime.timedelta(days=1)
        minutes = local.hour * 60 + local.minute
        start = minutes - minutes % self.every_minutes
        return local.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)


def periodic_jobs() -> list[Job]:
    return import_string(settings.PERIODIC_JOBS)


def enqueue_due(
    *, now: datetime.datetime | None = None, jobs: list[Job] | None = None
) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; the claim and the queued
    task are written in one transaction, so a scheduler dying between them loses neither.
    Returns the names of the jobs enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs() if jobs is None else jobs:
        with transaction.atomic():
            if claim_slot(job=job.name, slot=job.slot(now)):
                import_string(job.task).enqueue()
                enqueued.append(job.name)
    return enqueued
