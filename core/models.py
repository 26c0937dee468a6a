from django.db import models


class ScheduledRun(models.Model):
    """One periodic job enqueued for one time slot (config/schedule.py). The unique pair is
    what keeps two schedulers started by mistake from enqueueing the same job twice."""

    job = models.CharField("任务", max_length=60)
    slot = models.DateTimeField("时段")
    enqueued_at = models.DateTimeField("加入队列时间", auto_now_add=True)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life: tasks held by a worker silent for too long (killed,
    its machine gone) go back to the queue."""

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    seen_at = models.DateTimeField("最近一次报到")

    class Meta:
        verbose_name = "后台工作进程"
        verbose_name_plural = "后台工作进程"

    def __str__(self) -> str:
        return self.worker_id
