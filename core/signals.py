"""Failed tasks are tried again with a growing pause (core.services.retry_later)."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from . import services


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs) -> None:
    if task_result.status == TaskResultStatus.FAILED:
        services.retry_later(result_id=task_result.id)
