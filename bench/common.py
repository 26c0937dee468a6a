"""What every benchmark shares: Django on a bench database, Daphne as a real process,
resource sampling, percentiles and bench/results/latest.json."""

import contextlib
import json
import os
import platform
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def bench_environment() -> dict[str, str]:
    """Production mode on the bench database (the embedded default's SQLite, in a temporary
    file, unless DATABASE_URL)."""
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("SQLITE_PATH", f"{tempfile.mkdtemp()}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "0123456789abcdef" * 3)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    return dict(os.environ)


def setup_django() -> None:
    bench_environment()
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Daphne:
    port: int
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # every error line, however long it runs

    @classmethod
    def start(cls, application: str = "bench.asgi:application", **env: str) -> "Daphne":
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "--access-log",
                os.devnull,
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                application,
            ],  # fmt: skip
            cwd=ROOT,
            env={**bench_environment(), "LOG_LEVEL": "INFO", **env},
            stdout=subprocess.DEVNULL,  # the access log: one line per request would cost CPU
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        server = cls(port, process)

        def drain() -> None:
            for line in process.stderr:
                lines.put(line)
                if len(server.log) < 200:
                    server.log.append(line)
                if line.startswith((" ", "Traceback")) or "Error" in line or "ERROR" in line:
                    server.errors.append(line)  # the whole of each traceback

        threading.Thread(target=drain, daemon=True).start()
        deadline = time.monotonic() + 60
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                process.kill()
                raise RuntimeError("Daphne did not start:\n" + "".join(server.log)) from None
            if "Listening on TCP address" in line:
                return server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class ResourceSampler:
    """CPU seconds used and peak resident memory of some processes, sampled every 0.2 s."""

    def __init__(self, pids: list[int]):
        self.processes = [psutil.Process(pid) for pid in pids]
        self.peak_rss = 0
        self.stopping = threading.Event()
        self.cpu_start = self.cpu_seconds()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes:
            with contextlib.suppress(psutil.NoSuchProcess):  # a worker process that has ended
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def sample(self) -> None:
        while not self.stopping.wait(0.2):
            rss = 0
            for process in self.processes:
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss += process.memory_info().rss
            self.peak_rss = max(self.peak_rss, rss)

    def stop(self) -> tuple[float, float]:
        """(CPU seconds, peak MB)."""
        self.stopping.set()
        self.thread.join()
        return round(self.cpu_seconds() - self.cpu_start, 2), round(self.peak_rss / 2**20, 1)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def milliseconds(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    python = platform.python_version()
    return f"{platform.node()}: {psutil.cpu_count()} CPU, {memory:.1f} GiB, Python {python}"


def merge_results(figures: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update(figures)
    current["machine"] = machine()
    RESULTS.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n")


def session_cookie(user) -> str:
    """A logged-in session for user, as the Cookie header a browser would send."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def demo_site_with_retirees(*, prefix: str, count: int) -> list:
    """`migrate` and the demo site, plus `count` retirees (logins: prefix and seven digits)
    spread over the 军休所 and 服务站. Returns those made now; an earlier run's are kept."""
    from django.core.management import call_command

    from accounts.models import Institution, User

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    places = list(Institution.objects.filter(kind__in=["institute", "station"]))
    have = User.objects.filter(username__startswith=prefix).count()
    return User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{n:07d}",
                phone=f"{prefix}{n:07d}",
                name=f"学员{n}",
                role="retiree",
                institution=places[n % len(places)],
                password="!",
            )
            for n in range(have, count)
        ],  # fmt: skip
        batch_size=1000,
    )
