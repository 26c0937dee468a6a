"""Reads about the task queue for staff."""

from django.db.models import Count, QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def failed_tasks() -> QuerySet[DBTaskResult]:
    """Tasks that failed on their last try, newest first."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")


def queue_counts() -> dict[str, int]:
    """How many tasks wait, run and have failed (the admin page's headline)."""
    counts = dict.fromkeys(TaskResultStatus.values, 0)
    for row in DBTaskResult.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts
