"""Background work for live classes: 上课提醒."""

from django_tasks import task

from . import services


@task()
def send_class_reminders() -> int:
    return services.send_class_reminders()
