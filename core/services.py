"""Writes about the task queue itself: time slots claimed by the scheduler, workers' signs of
life, tasks put back in the queue (a worker lost, a failure to try again)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun, WorkerHeartbeat

WORKER_LOST_TEXT = "后台工作进程在做这件事时停止了（被强行结束或机器断电），已多次重做仍未完成。"


def claim_slot(*, job: str, slot: datetime.datetime) -> bool:
    """True for the one caller that records this job for this slot; the database's unique
    constraint answers, so two schedulers never both get True."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, slot=slot)
    except IntegrityError:
        return False
    return True


def beat(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def forget_worker(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def requeue_lost_tasks() -> int:
    """Tasks marked running whose worker has been silent for TASK_WORKER_LOST_AFTER seconds
    (SIGKILL, a machine gone) go back to the queue: every task is safe to run again. One
    that has used up its attempts this way is marked failed for staff to see."""
    lost_after = datetime.timedelta(seconds=settings.TASK_WORKER_LOST_AFTER)
    cutoff = timezone.now() - lost_after
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gt=cutoff).values_list("worker_id", flat=True)
    )
    requeued = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        # Only if nobody changed it meanwhile (started_at is the claim's mark).
        unchanged = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="core.services.WorkerLost",
                traceback=WORKER_LOST_TEXT,
            )
        else:
            requeued += unchanged.update(status=TaskResultStatus.READY)
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff - lost_after).delete()
    return requeued


def retry_later(*, result_id: str) -> bool:
    """A task that just failed is queued again after a growing pause (TASK_RETRY_DELAY, then
    twice that, ...), until TASK_MAX_ATTEMPTS tries; then it stays failed for staff."""
    row = DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.FAILED).first()
    if row is None or len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
        return False
    pause = settings.TASK_RETRY_DELAY * 2 ** (len(row.worker_ids) - 1)
    return bool(
        DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now() + datetime.timedelta(seconds=pause),
        )
    )


def retry_now(*, result_id: str) -> bool:
    """Staff's 重试 on a failed task: queued again at once, keeping its history."""
    return bool(
        DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now()
        )
    )
