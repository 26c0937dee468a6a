"""Real Daphne processes for tests that need one (or two, sharing a room through Redis), and
the production topology (nginx, gunicorn and Daphne: config/serve.py)."""

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections

from config import serve

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
            env=server_environment(**environment),
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()

        def drain_log() -> None:  # keeps the pipe from filling; the first lines tell readiness
            for line in process.stderr:
                lines.put(line)

        threading.Thread(target=drain_log, daemon=True).start()
        started, deadline = [], time.monotonic() + 180  # minutes on a busy machine
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


@dataclass
class WorkerProcess:
    """`manage.py worker` (a django-tasks-db worker with a heartbeat) on the test database."""

    process: subprocess.Popen
    log_path: Path

    @classmethod
    def start(cls, **environment: str) -> "WorkerProcess":
        """Call with database access unblocked; `environment` as for DaphneProcess."""
        log_path = Path(tempfile.mkstemp(prefix="junxiu-worker-", suffix=".log")[1])
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.1"],
                cwd=PROJECT,
                env=server_environment(TEST_TASK_QUEUE="database", **environment),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return cls(process, log_path)

    def log(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL, mid-task if it has one: no goodbye to the queue."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.log_path.unlink(missing_ok=True)


def server_environment(**environment: str) -> dict[str, str]:
    """A server process's environment: tests.settings on the test database (call with
    database access unblocked), with `environment` on top."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_DATABASE_NAME": str(connections["default"].settings_dict["NAME"]),
        "LOG_LEVEL": "INFO",  # Daphne announces "Listening on TCP address" at INFO
        **environment,
    }


@dataclass
class Topology:
    """nginx in front of gunicorn and Daphne on a free port, as `make serve` runs them
    (config/serve.py), serving the test database. Static files are linked into the run
    directory, which is removed on stop."""

    servers: serve.Topology
    read_up_to: dict[Path, int] = field(default_factory=dict)

    @classmethod
    def start(cls, **environment: str) -> "Topology":
        run_dir = Path(tempfile.mkdtemp(prefix="junxiu-topology-"))
        environment = server_environment(
            STATIC_ROOT=str(run_dir / "static"),
            WEB_CONCURRENCY="2",
            TEST_TASK_QUEUE="database",
            TASK_WORKERS="1",
            **environment,
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--link", "-v0"],
            cwd=PROJECT,
            env=environment,
            check=True,
        )
        servers = serve.start_topology(port=free_port(), run_dir=run_dir, environment=environment)
        return cls(servers)

    @property
    def url(self) -> str:
        return self.servers.url

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    @property
    def processes(self) -> dict[str, subprocess.Popen]:
        return self.servers.processes

    def log_lines(self) -> list[str]:
        """What nginx, gunicorn and Daphne have logged since started (or since last asked)."""
        taken = []
        for log in sorted((self.servers.run_dir / "logs").glob("*.log")):
            with log.open() as lines:
                lines.seek(self.read_up_to.get(log, 0))
                taken += lines.readlines()
                self.read_up_to[log] = lines.tell()
        return taken

    def stop(self) -> None:
        self.servers.stop()
        shutil.rmtree(self.servers.run_dir, ignore_errors=True)


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
