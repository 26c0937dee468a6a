"""`manage.py scheduler`: enqueue the periodic jobs of config/schedule.py as their time slots
come round. Running two by mistake is harmless: each job and slot is enqueued once."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import connection

from core.scheduler import enqueue_due


class Command(BaseCommand):
    help = "Enqueue periodic jobs (config/schedule.py) when they are due"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due and exit")
        parser.add_argument("--interval", type=float, default=15, help="Seconds between looks")

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        stopping = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stopping.set())
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            connection.close()
            if once or stopping.wait(interval):
                return
