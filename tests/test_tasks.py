"""The task framework with real worker and scheduler processes on the test database: a queued
task runs in a worker; a failing one is retried with backoff, then shown to admins with 重试;
a worker killed mid-task leaves its task to another and nobody is told twice; two schedulers
enqueue each job once per slot."""

import datetime
import subprocess
import sys
from collections import Counter

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Institution, Notification, User
from config.schedule import JOBS
from core.models import ScheduledRun, WorkerHeartbeat
from core.scheduler import Job
from notices.models import NoticePage
from notices.services import ensure_notice_index
from tests.servers import PROJECT, WorkerProcess, server_environment, wait_until
from tests.task_samples import always_fails

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {"TASK_HEARTBEAT_SECONDS": "0.2", "TASK_WORKER_LOST_AFTER": "1", "TASK_RETRY_DELAY": "0.2"}


@pytest.fixture
def queue(settings):
    """The project's database queue in this process too (conftest runs tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def workers():
    started: list[WorkerProcess] = []

    def start(**environment: str) -> WorkerProcess:
        worker = WorkerProcess.start(**{**FAST, **environment})
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def the_task(path: str) -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=path)


def publish_notice_to(institution: Institution, title: str) -> NoticePage:
    index = ensure_notice_index(institution)
    notice = index.add_child(
        instance=NoticePage(title=title, category="announcement", body="<p>正文</p>")
    )
    notice.save_revision().publish()
    return notice


def add_retirees(institution: Institution, count: int) -> None:
    User.objects.bulk_create(
        User(username=f"t{n:05d}", role=User.Role.RETIREE, institution=institution, password="!")
        for n in range(count)
    )


def test_a_published_notice_is_announced_by_the_worker(queue, demo_people, workers):
    center = Institution.objects.get(name="第一军休所")
    notice = publish_notice_to(center, "停水通知")
    # The request's work ends at the queue: nobody is told yet.
    assert the_task("notices.tasks.announce_notice").status == TaskResultStatus.READY
    assert not Notification.objects.filter(about=f"notice:{notice.pk}").exists()
    workers()
    wait_until(
        lambda: the_task("notices.tasks.announce_notice").status == TaskResultStatus.SUCCESSFUL,
        "the worker announces the notice",
    )
    audience = set(
        User.objects.filter(
            role="retiree", is_active=True, institution__path__startswith=center.path
        ).values_list("pk", flat=True)
    )
    told = Notification.objects.filter(about=f"notice:{notice.pk}", kind="notice")
    assert audience and set(told.values_list("user_id", flat=True)) == audience
    assert told.count() == len(audience)


def test_a_worker_killed_mid_announcement_leaves_nobody_told_twice(queue, demo_people, workers):
    station = Institution.objects.get(name="第二军休所")
    add_retirees(station, 3000)
    notice = publish_notice_to(station, "体检通知")
    audience = User.objects.filter(
        role="retiree", is_active=True, institution__path__startswith=station.path
    ).count()
    told = Notification.objects.filter(about=f"notice:{notice.pk}")
    first = workers(ANNOUNCE_BATCH_SIZE="20")
    wait_until(lambda: told.count() >= 200, "the first batches are stored", step=0.005)
    first.kill()
    at_the_kill = told.count()
    assert at_the_kill < audience, "the worker finished before it could be killed"
    assert the_task("notices.tasks.announce_notice").status == TaskResultStatus.RUNNING

    workers(ANNOUNCE_BATCH_SIZE="20")
    wait_until(
        lambda: the_task("notices.tasks.announce_notice").status == TaskResultStatus.SUCCESSFUL,
        "another worker takes the task again and finishes it",
        timeout=120,
    )
    per_person = Counter(told.values_list("user_id", flat=True))
    assert len(per_person) == audience
    assert set(per_person.values()) == {1}
    # Both workers are on the task's record. django-tasks-db appends a worker's id to
    # worker_ids only in DBTaskResult.claim(), on the row it has just locked (SELECT ... FOR
    # UPDATE SKIP LOCKED), and each `manage.py worker` process draws its own random id (the
    # --worker-id default is made when the process builds its parser); putting a lost task back
    # (core.services.requeue_lost_tasks) changes its status only. So the list grows by one per
    # claim and never shrinks. It may hold the second worker twice (a failed try of its own,
    # retried), so the assertion counts distinct workers. The earlier report of one worker on
    # PostgreSQL did not reproduce (repeated runs there and on SQLite recorded both), and no
    # path in the backend writes a shorter list.
    ids = the_task("notices.tasks.announce_notice").worker_ids
    assert len(set(ids)) == 2 and ids[0] != ids[-1], ids


def test_a_failing_task_is_retried_then_shown_to_admins_with_retry(
    queue, demo_people, workers, client_as
):
    result = always_fails.enqueue()
    workers(TASK_MAX_ATTEMPTS="3")
    row = DBTaskResult.objects.filter(pk=result.id)
    wait_until(
        lambda: (
            row.filter(status=TaskResultStatus.FAILED).exists() and len(row.get().worker_ids) == 3
        ),
        "three tries, then failed",
    )
    tries = row.get()
    assert "故意失败" in tries.traceback

    admin = client_as("admin")
    page = admin.get("/admin/tasks/failed/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "always_fails" in text and "重试" in text
    assert client_as("jxs1").get("/admin/tasks/failed/").status_code in (302, 403)

    admin.post(f"/admin/tasks/{result.id}/retry/")
    wait_until(
        lambda: len(row.get().worker_ids) == 4 and row.get().status == TaskResultStatus.FAILED,
        "staff's 重试 runs it once more",
    )


def test_two_schedulers_enqueue_each_job_once(queue, demo_people):
    commands = [
        subprocess.Popen(
            [sys.executable, "manage.py", "scheduler", "--once"],
            cwd=PROJECT,
            env=server_environment(TEST_TASK_QUEUE="database"),
            stdout=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    assert [command.wait(timeout=60) for command in commands] == [0, 0]
    assert ScheduledRun.objects.count() == len(JOBS)
    queued = Counter(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == Counter(job.task for job in JOBS)


def test_slots_in_beijing_time_across_midnight(db):
    beijing = timezone.get_current_timezone()
    daily = Job("daily", "core.tasks.prune_task_history", daily_at=datetime.time(3, 30))
    minutely = Job("minutely", "core.tasks.publish_scheduled_pages", every_minutes=1)
    # 2026-12-01 19:10 UTC is 12-02 03:10 in Beijing: the day's 03:30 slot has not come yet.
    before = datetime.datetime(2026, 12, 1, 19, 10, tzinfo=datetime.UTC)
    assert daily.slot(before) == datetime.datetime(2026, 12, 1, 3, 30, tzinfo=beijing)
    after = before + datetime.timedelta(minutes=25)
    assert daily.slot(after) == datetime.datetime(2026, 12, 2, 3, 30, tzinfo=beijing)
    assert minutely.slot(after + datetime.timedelta(seconds=59)) == after


def test_a_worker_stopped_politely_leaves_no_heartbeat(queue, demo_people, workers):
    worker = workers()
    wait_until(WorkerHeartbeat.objects.exists, "the worker reports")
    worker.process.terminate()
    assert worker.process.wait(timeout=15) == 0
    assert not WorkerHeartbeat.objects.exists()
