"""Live-room fan-out: our room against the bare Channels stack and the process-local floor,
the teacher alternating chat messages and slide changes,
with N retiree sockets connected from a separate client process (bench/fanout_client.py).

    .venv/bin/python bench/fanout.py                          # everything (about 25 minutes)
    .venv/bin/python bench/fanout.py --clients 1000 --rates 5 --seconds 120 --layers inmemory

Prints a table and writes the "fanout" rows of bench/results/latest.json."""

import argparse
import json
import os
import subprocess
import sys
import time

from common import (
    ROOT,
    Daphne,
    ResourceSampler,
    merge_results,
    milliseconds,
    percentile,
    session_cookie,
    setup_django,
)

KINDS = ("room", "relay", "floor")
SLIDE_PAGES = 30  # a deck as a teacher would bring


def prepare(clients: int) -> tuple[int, list[str], str]:
    """The demo site, `clients` more retirees enrolled in 书法入门, a class in progress, and a
    logged-in session for each. → (class id, retiree cookies, teacher cookie)."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Institution, User
    from courses.models import CoursePage, Enrollment
    from live.models import LiveClass

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    course = CoursePage.objects.get(title="书法入门")
    place = Institution.objects.get(name="第一军休所")
    existing = set(
        User.objects.filter(username__startswith="1350").values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(
                username=f"1350{n:07d}",
                phone=f"1350{n:07d}",
                name=f"学员{n}",
                role="retiree",
                institution=place,
                password="!",
            )
            for n in range(clients)
            if f"1350{n:07d}" not in existing
        ],  # fmt: skip
        batch_size=500,
    )
    retirees = list(User.objects.filter(username__startswith="1350").order_by("username")[:clients])
    now = timezone.now()
    Enrollment.objects.bulk_create(
        [Enrollment(course=course, retiree=r, status="enrolled", queued_at=now) for r in retirees],
        ignore_conflicts=True,
        batch_size=500,
    )
    course.capacity = clients + 100
    course.save(update_fields=["capacity"])
    teacher = User.objects.get(username="liushuwen")
    live_class, _ = LiveClass.objects.update_or_create(
        course=course,
        title="基准测试直播课",
        defaults={
            "instructor": teacher,
            "starts_at": now - timezone.timedelta(minutes=5),
            "ends_at": now + timezone.timedelta(hours=6),
            "state": "live",
            "slide_images": [f"/media/live/slides/bench-{n}.png" for n in range(SLIDE_PAGES)],
        },  # fmt: skip
    )

    return live_class.pk, [session_cookie(r) for r in retirees], session_cookie(teacher)


def run_once(kind: str, layer: str, clients: int, rate: float, seconds: float, setup) -> dict:
    class_id, cookies, teacher_cookie = setup
    env = {}
    processes = 1
    if layer == "redis":
        env = {"REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
               "CHANNELS_PREFIX": f"bench{time.time_ns()}"}  # fmt: skip
        processes = 1 if kind == "floor" else 2  # the floor is one process's own loop
    servers = [Daphne.start(**env) for _ in range(processes)]
    path = {
        "room": f"/ws/live/{class_id}/",
        "relay": "/ws/bench/relay/",
        "floor": "/ws/bench/floor/",
    }[kind]
    urls = [server.url.replace("http", "ws") + path for server in servers]
    plan = {
        "kind": "room" if kind == "room" else "raw",
        "urls": urls,
        "sender_url": urls[0],
        "cookies": cookies[:clients],
        "sender_cookie": teacher_cookie,
        "origin": servers[0].url,
        "clients": clients,
        "rate": rate,
        "messages": max(2, int(rate * seconds)),
        "grace": 15,
        "run": f"bench{time.time_ns()}",  # message ids are stored once per author: fresh ones
        "slides": True,  # the room's teacher alternates chat and slide changes
    }
    sampler = ResourceSampler([server.process.pid for server in servers])
    try:
        client = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "fanout_client.py")],
            input=json.dumps(plan), capture_output=True, text=True, timeout=seconds + 600,
        )  # fmt: skip
    finally:
        cpu, peak = sampler.stop()
        for server in servers:
            server.stop()
    if client.returncode != 0:
        raise RuntimeError(client.stderr[-3000:])
    result = json.loads(client.stdout)
    to_last = result["to_last"]
    return {
        "kind": kind,
        "p50_ms": milliseconds(percentile(to_last, 0.5)),
        "p95_ms": milliseconds(percentile(to_last, 0.95)),
        "p99_ms": milliseconds(percentile(to_last, 0.99)),
        "delivery_p50_ms": milliseconds(percentile(result["per_delivery"], 0.5)),
        "deliveries_per_s": result["deliveries_per_s"],
        "lost": result["expected"] - result["delivered"],
        "halves_p50_ms": [milliseconds(h) for h in result["halves_p50"]],
        "connect_s": result["connect_s"],
        "server_cpu_s": cpu,
        "server_peak_mb": peak,
    }


PRINTED = (
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "deliveries_per_s",
    "lost",
    "server_cpu_s",
    "server_peak_mb",
)


def row_of(layer: str, clients: int, rate: float, seconds: float, runs: dict) -> dict:
    """One row of latest.json: our room's figures with both baselines' from the same run."""
    ours = runs["room"]
    return {
        "layer": layer,
        "processes": 2 if layer == "redis" else 1,
        "clients": clients,
        "rate": rate,
        "seconds": seconds,
        **{key: ours[key] for key in (*PRINTED, "halves_p50_ms")},
        "baseline_p99_ms": runs["relay"]["p99_ms"],
        "baseline_lost": runs["relay"]["lost"],
        "floor_p99_ms": runs["floor"]["p99_ms"],
        "floor_lost": runs["floor"]["lost"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--rates", default="0.5,5")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--layers", default="inmemory,redis")
    options = parser.parse_args()
    clients = [int(n) for n in options.clients.split(",")]
    setup_django()
    setup = prepare(max(clients))
    rows = []
    columns = ["layer", "proc", "N", "rate", "kind", "p50", "p95", "p99", "deliv/s", "lost"]
    print("  ".join(columns + ["cpu s", "MB"]))
    for layer in options.layers.split(","):
        for n in clients:
            for rate in [float(r) for r in options.rates.split(",")]:
                seconds = max(options.seconds, 20 / rate)  # at least 10 messages
                runs = {}
                for kind in KINDS:
                    runs[kind] = run_once(kind, layer, n, rate, seconds, setup)
                    r = runs[kind]
                    processes = 2 if layer == "redis" and kind != "floor" else 1
                    figures = [r[k] for k in PRINTED]
                    print(*[layer, processes, n, rate, kind, *figures], sep="  ", flush=True)
                rows.append(row_of(layer, n, rate, seconds, runs))
    merge_results({"fanout": with_earlier_rows(rows)})


def with_earlier_rows(rows: list[dict]) -> list[dict]:
    """This run's rows, plus earlier rows of configurations this run did not measure."""
    from common import RESULTS

    key = lambda row: (row["layer"], row["clients"], row["rate"])  # noqa: E731
    earlier = json.loads(RESULTS.read_text()).get("fanout", []) if RESULTS.exists() else []
    fresh = {key(row) for row in rows}
    return sorted([r for r in earlier if key(r) not in fresh] + rows, key=key)


if __name__ == "__main__":
    main()
