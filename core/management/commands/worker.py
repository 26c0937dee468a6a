"""`manage.py worker`: django-tasks-db's db_worker, plus a sign of life every
TASK_HEARTBEAT_SECONDS so that the tasks of a worker that was killed go back to the queue."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core import services

logger = logging.getLogger(__name__)


def keep_beating(worker_id: str, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            services.beat(worker_id=worker_id)
            services.requeue_lost_tasks()
        except DatabaseError:
            # On SQLite a long write (a 20,000-row roster import) holds the database past the
            # busy timeout; a thread that died here would leave this worker silent for good
            # and its tasks taken away from it. The next beat tries again.
            logger.warning("Heartbeat of worker %s not recorded; trying again", worker_id)
        finally:
            connection.close()  # this thread's own connection; not kept between beats
        stopping.wait(settings.TASK_HEARTBEAT_SECONDS)


class Command(DatabaseWorkerCommand):
    help = "Run a background task worker (db_worker with a heartbeat)"

    def handle(self, *args, **options) -> None:
        # A reloading parent would beat for a worker id its child does not use.
        options["reload"] = False
        worker_id = options["worker_id"]
        stopping = threading.Event()
        threading.Thread(target=keep_beating, args=(worker_id, stopping), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stopping.set()
            services.forget_worker(worker_id=worker_id)
