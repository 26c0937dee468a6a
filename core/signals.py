"""Failed tasks are tried again with a growing pause (core.services.retry_later)."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend

from . import services


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs) -> None:
    # Only the database queue has a row to put back; another backend's result ids (the
    # immediate backend's, in tests) are not even UUIDs. django-tasks-db's worker sends the
    # backend itself on success and its class on failure.
    backend = sender if isinstance(sender, type) else type(sender)
    if task_result.status == TaskResultStatus.FAILED and issubclass(backend, DatabaseBackend):
        services.retry_later(result_id=task_result.id)
