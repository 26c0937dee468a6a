"""Soak: 500 retiree sockets in a live class (the teacher saying something every second) and
20 page requests a second, for 10 minutes, against one Daphne in production mode. A check,
not a benchmark: exits 1 unless there were no server errors, every message reached every
socket, and the server's memory grew by less than 10 % after the first minute.

    .venv/bin/python bench/soak.py                  # the full 10 minutes (make soak)
    .venv/bin/python bench/soak.py --seconds 120    # CI's short run

Writes the "soak" entry of bench/results/latest.json."""

import argparse
import json
import subprocess
import sys
import threading
import time

import psutil
import requests
from common import ROOT, Daphne, merge_results, session_cookie, setup_django
from fanout import prepare

MEMORY_GROWTH_LIMIT = 0.10


def pages_to_fetch() -> list[tuple[str, str]]:
    """(path, cookie): what retirees open while the class goes on, some logged in."""
    from django.core.management import call_command

    from accounts.models import User
    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from notices.models import NoticePage

    call_command("collectstatic", interactive=False, verbosity=0)  # production mode's manifest
    retiree = session_cookie(User.objects.get(username="13900000001"))
    course = CoursePage.objects.get(title="书法入门")
    return [
        ("/", ""),
        (CourseIndexPage.objects.live().first().url, ""),
        (course.url, ""),
        (LessonPage.objects.child_of(course).live().first().url, retiree),
        ("/notices/", retiree),
        (NoticePage.objects.live().first().url, retiree),
        ("/me/", retiree),
        ("/live/", retiree),
        ("/help/", ""),
    ]


class PageLoad:
    """`rate` requests a second from worker threads, each keeping its own pace; counts
    answers by status and failures."""

    def __init__(self, base: str, pages: list[tuple[str, str]], rate: float, workers: int = 8):
        self.base, self.pages, self.interval = base, pages, workers / rate
        self.statuses: dict[int, int] = {}
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.work, args=(n,)) for n in range(workers)]
        for thread in self.threads:
            thread.start()

    def work(self, number: int) -> None:
        web = requests.Session()
        turn = number
        next_at = time.monotonic() + number * self.interval / len(self.threads)
        while not self.stopping.wait(max(0.0, next_at - time.monotonic())):
            next_at += self.interval
            path, cookie = self.pages[turn % len(self.pages)]
            turn += 1
            try:
                answer = web.get(self.base + path, headers={"Cookie": cookie}, timeout=30)
                outcome = answer.status_code
            except requests.RequestException as failure:
                outcome, detail = 0, f"{path}: {failure}"
                with self.lock:
                    self.failures.append(detail)
            with self.lock:
                self.statuses[outcome] = self.statuses.get(outcome, 0) + 1

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


class MemorySampler:
    """A process's resident memory (MB) once a second: (seconds since start, MB)."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.samples: list[tuple[float, float]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        start = time.monotonic()
        while not self.stopping.wait(1.0):
            rss = self.process.memory_info().rss / 2**20
            self.samples.append((time.monotonic() - start, rss))

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def growth_after(self, warm_up: float) -> tuple[float, float]:
        """(MB once warmed up, MB at the end)."""
        warm = next((mb for at, mb in self.samples if at >= warm_up), self.samples[0][1])
        return warm, self.samples[-1][1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--page-rate", type=float, default=20)
    options = parser.parse_args()
    warm_up = min(60.0, options.seconds / 4)
    setup_django()
    setup = prepare(options.clients)
    class_id, cookies, teacher_cookie = setup
    pages = pages_to_fetch()
    server = Daphne.start("config.asgi:application")
    memory = MemorySampler(server.process.pid)
    url = server.url.replace("http", "ws") + f"/ws/live/{class_id}/"
    plan = {
        "kind": "room",
        "urls": [url],
        "sender_url": url,
        "cookies": cookies,
        "sender_cookie": teacher_cookie,
        "origin": server.url,
        "clients": options.clients,
        "rate": 1.0,
        "messages": int(options.seconds),
        "grace": 30,
        "run": f"soak{time.time_ns()}",
    }
    print(f"soak: {options.clients} sockets, 1 message/s, {options.page_rate} pages/s, "
          f"{options.seconds:.0f} s", flush=True)  # fmt: skip
    sockets = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fanout_client.py")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    sockets.stdin.write(json.dumps(plan))
    sockets.stdin.close()
    sockets.stdin = None  # communicate() below only reads
    load = PageLoad(server.url, pages, options.page_rate)
    load_started = time.monotonic()
    delivered, errors = {}, ""
    try:
        out, errors = sockets.communicate(timeout=options.seconds + 900)
        delivered = json.loads(out) if sockets.returncode == 0 else {}
    finally:
        load.stop()
        load_seconds = time.monotonic() - load_started
        memory.stop()
        server.stop()

    warm, end = memory.growth_after(warm_up)
    growth = (end - warm) / warm
    server_errors = [line for line in server.errors if line.startswith("Traceback")]
    if server.errors:
        (ROOT / "bench" / "results" / "soak-errors.log").write_text("".join(server.errors))
    answers = sum(load.statuses.values())
    figures = {
        "seconds": options.seconds,
        "sockets": options.clients,
        "messages": plan["messages"],
        "deliveries_expected": delivered.get("expected"),
        "deliveries": delivered.get("delivered"),
        "lost": (delivered.get("expected") or 0) - (delivered.get("delivered") or 0),
        "page_requests": answers,
        "pages_per_s": round(answers / load_seconds, 1),
        "page_statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "server_errors": len(server_errors) + sum(v for k, v in load.statuses.items() if k >= 500),
        "memory_after_warm_up_mb": round(warm, 1),
        "memory_at_end_mb": round(end, 1),
        "memory_growth_percent": round(growth * 100, 1),
    }
    for key, value in figures.items():
        print(f"  {key}: {value}")
    problems = []
    if not delivered:
        problems.append(f"the socket clients failed: {errors[-2000:]}")
    if figures["lost"]:
        problems.append(f"{figures['lost']} deliveries lost")
    if figures["server_errors"] or load.failures:
        problems.append(f"server errors: {server_errors[:5]} {load.failures[:5]}")
    if set(load.statuses) - {200}:
        problems.append(f"answers other than 200: {load.statuses}")
    if growth >= MEMORY_GROWTH_LIMIT:
        problems.append(f"memory grew {growth:.0%} after the warm-up")
    merge_results({"soak": {**figures, "passed": not problems}})
    for problem in problems:
        print("FAIL:", problem)
    print("soak passed" if not problems else "soak FAILED", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
