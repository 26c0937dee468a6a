"""Publishing a notice to 20,000 retirees: how long the publish itself takes (what the
editor's request waits for), once as before (every notification stored and pushed inside
the publish) and once with the task queue, and how long one worker takes to store and push
them all.

    .venv/bin/python bench/announce.py

Prints the figures and writes "announce_request_before_s", "announce_request_s" and
"announce_all_s" into bench/results/latest.json."""

import subprocess
import sys
import time

from common import (
    ROOT,
    bench_environment,
    demo_site_with_retirees,
    merge_results,
    setup_django,
)

RETIREES = 20_000
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def wait_until(condition, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.05)


def main() -> None:
    setup_django()
    from django.test.utils import override_settings

    from accounts.models import Notification, User
    from core.models import WorkerHeartbeat
    from notices.models import NoticePage
    from notices.selectors import audience_of
    from notices.services import ensure_notice_index

    demo_site_with_retirees(prefix="1341", count=RETIREES)
    staff = User.objects.get(username="zhongxin")
    index = ensure_notice_index(staff.institution)  # the 中心: its notices go to its whole tree

    def publish(title: str) -> tuple[NoticePage, float]:
        notice = index.add_child(
            instance=NoticePage(title=title, category="announcement", body="<p>正文</p>")
        )
        revision = notice.save_revision(user=staff)
        started = time.perf_counter()
        revision.publish(user=staff)
        return notice, time.perf_counter() - started

    stamp = time.strftime("%H%M%S")
    with override_settings(TASKS=IMMEDIATE):
        before, before_s = publish(f"停水通知（以前的做法）{stamp}")
    audience = audience_of(before).count()

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "-v0"],
        cwd=ROOT,
        env=bench_environment(),
    )
    try:
        wait_until(WorkerHeartbeat.objects.exists, timeout=60)
        started = time.perf_counter()
        notice, request_s = publish(f"停水通知 {stamp}")
        told = Notification.objects.filter(about=f"notice:{notice.pk}")
        wait_until(lambda: told.count() >= audience)
        all_s = time.perf_counter() - started
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.get(
            task_path="notices.tasks.announce_notice", args_kwargs__args=[notice.pk]
        )
        wait_until(lambda: DBTaskResult.objects.get(pk=task.pk).finished_at is not None)
        task.refresh_from_db()
        task_s = (task.finished_at - task.started_at).total_seconds()
        ahead = DBTaskResult.objects.filter(enqueued_at__lt=task.enqueued_at).count()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(f"the announcement task itself ran {task_s:.1f} s; {ahead} tasks were queued before it")
    print(
        f"publishing to {audience} retirees: the publish took {before_s:.2f} s before, "
        f"{request_s:.2f} s with the queue; one worker stored them all in {all_s:.1f} s"
    )
    merge_results(
        {
            "announce_audience": audience,
            "announce_request_before_s": round(before_s, 2),
            "announce_request_s": round(request_s, 2),
            "announce_all_s": round(all_s, 1),
            "announce_task_s": round(task_s, 1),
        }
    )


if __name__ == "__main__":
    main()
