"""Every periodic job, in one place (settings.PERIODIC_JOBS). `manage.py scheduler` enqueues
each job once per time slot; the task workers do the work. Times are Beijing time."""

import datetime

from core.scheduler import Job

JOBS = [
    Job("publish_scheduled", "core.tasks.publish_scheduled_pages", every_minutes=1),
    Job("class_reminders", "live.tasks.send_class_reminders", every_minutes=1),
    Job("unread_reminders", "notices.tasks.send_unread_reminders", every_minutes=60),
    Job("care_list_count", "staff.tasks.count_care_list", daily_at=datetime.time(7, 30)),
    Job("clean_old_uploads", "accounts.tasks.clean_old_uploads", daily_at=datetime.time(3, 0)),
    Job("clean_old_exports", "staff.tasks.clean_old_exports", daily_at=datetime.time(3, 10)),
    Job("prune_task_history", "core.tasks.prune_task_history", daily_at=datetime.time(3, 30)),
]
