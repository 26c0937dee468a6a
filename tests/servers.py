"""Real Daphne processes for tests that need one (or two, sharing a room through Redis)."""

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class DaphneProcess:
    url: str
    process: subprocess.Popen

    @classmethod
    def start(cls) -> "DaphneProcess":
        """`daphne config.asgi:application` as in production, on the test database. Call
        with database access unblocked (it reads the test database's name)."""
        test_database = str(connections["default"].settings_dict["NAME"])
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],
            cwd=PROJECT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.server_settings",
                "TEST_DATABASE_NAME": test_database,
                "LOG_LEVEL": "INFO",  # Daphne announces "Listening on TCP address" at INFO
            },
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()

        def drain_log() -> None:  # keeps the pipe from filling; the first lines tell readiness
            for line in process.stderr:
                lines.put(line)

        threading.Thread(target=drain_log, daemon=True).start()
        started, deadline = [], time.monotonic() + 60
        while not any("Listening on TCP address" in line for line in started):
            try:
                started.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                process.kill()
                raise RuntimeError("Daphne did not start:\n" + "".join(started)) from None
        return cls(f"http://127.0.0.1:{port}", process)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
