"""Real Daphne processes for tests that need one (or two, sharing a room through Redis)."""

import contextlib
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
    log: "queue.Queue[str]"

    @classmethod
    def start(cls, **environment: str) -> "DaphneProcess":
        """`daphne config.asgi:application` as in production, on the test database. Call
        with database access unblocked (it reads the test database's name). `environment`
        overrides variables (REDIS_URL, DATABASE_URL) for this process only."""
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
                **environment,
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
        return cls(f"http://127.0.0.1:{port}", process, lines)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def log_lines(self) -> list[str]:
        """What the process has written to its log since it started (or since last asked)."""
        taken = []
        while not self.log.empty():
            taken.append(self.log.get_nowait())
        return taken

    def kill(self) -> None:
        """SIGKILL: no goodbye to its sockets, its database rows or Redis."""
        self.process.kill()
        self.process.wait(timeout=10)


def wait_until(condition, what: str, timeout: float = 30.0, step: float = 0.05):
    """Poll until condition() is true (for a process or server to come up or go away)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting: {what}")
        time.sleep(step)


class RedisServer:
    """A Redis of the test's own on a free port, to kill and start again without touching the
    machine's Redis that other tests use."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, "Redis to start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        wait_until(lambda: not self.answers(), "Redis to stop")


class TcpProxy:
    """127.0.0.1:<port> passing bytes to a server on another port. cut() drops every
    connection and refuses new ones, as a server does while it restarts; resume() accepts
    again on the same port."""

    def __init__(self, target_port: int) -> None:
        self.port, self.target_port = free_port(), target_port
        self.links: list[socket.socket] = []
        self.lock = threading.Lock()
        self.resume()

    def resume(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                return
            with self.lock:
                self.links += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):  # OSError: cut already
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting on it
        self.listener.close()
        with self.lock:
            links, self.links = self.links, []
        for link in links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()
