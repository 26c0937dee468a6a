"""Pages under load: requests per second and p50/p99 latency with 16 concurrent clients
against Daphne in production mode and against `make serve`'s nginx + gunicorn, SQL queries
per page (with 200 courses in the catalog), and a bare Wagtail page of the same site served
by the same server as each row's baseline.

    .venv/bin/python bench/pages.py [--seconds 10]

Prints a table and writes the "pages" rows of bench/results/latest.json."""

import argparse
import tempfile
import time
from pathlib import Path

import psutil
from common import (
    Daphne,
    ResourceSampler,
    bench_environment,
    free_port,
    merge_results,
    milliseconds,
    percentile,
    session_cookie,
    setup_django,
)
from http_load import load_pages

from config.serve import start_topology

CLIENTS = 16
COURSES = 200
# Pages a shared cache may keep for visitors without an account (core/pages.py;
# nginx in make serve's topology, nothing under Daphne alone). "Uncached" asks with a query
# string never seen before, which that cache cannot answer: Django serves every request, as
# it does for a logged-in retiree. The catalog's body still comes from its own cache
# (courses/caching.py keys it on the search, not on the rest of the address);
# cold_render_ms is what a page costs with nothing cached at all.
CACHED = {"home", "catalog", "course"}


def prepare() -> dict[str, tuple[str, str]]:
    """The demo site with 200 courses; → page name: (path, cookie)."""
    import os

    from django.core.management import call_command
    from wagtail.models import Page

    from accounts.models import User
    from circles.models import Circle
    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from home.models import HomePage
    from notices.models import NoticePage

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production mode's manifest
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    catalog = CourseIndexPage.objects.first()
    model = CoursePage.objects.get(title="书法入门")
    for number in range(CoursePage.objects.count(), COURSES):
        model.copy(
            to=catalog,
            update_attrs={"title": f"书法入门（{number}班）", "slug": f"shufa-{number}"},
            copy_revisions=False,
            keep_live=True,
            log_action=None,
        )
    home = HomePage.objects.first()
    bare = Page.objects.filter(slug="bench-bare").first()
    if bare is None:
        bare = home.add_child(instance=Page(title="基准页面", slug="bench-bare"))
    retiree = session_cookie(User.objects.get(username="13900000001"))
    return {
        "home": ("/", ""),
        "catalog": (catalog.url, ""),
        "course": (model.url, ""),
        "course_retiree": (model.url, retiree),
        "lesson": (LessonPage.objects.get(title="横与竖").url, retiree),
        "notice_list": ("/notices/", retiree),
        "notice": (NoticePage.objects.get(slug="winter-heating").url, retiree),
        "circle": (f"/circles/{Circle.objects.get(name='合唱爱好者').pk}/", retiree),
        "me": ("/me/", retiree),
        "bare_wagtail_page": (bare.url, ""),
    }


def queries_and_cold_render(path: str, cookie: str) -> tuple[int, float]:
    """SQL queries of one page rendered in this process with nothing cached (not even the
    catalog's body), and the median time of such a render, in ms."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.caching import forget_catalog

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.get(path)  # warm: routing, site and content-type caches
    forget_catalog()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    count = len(queries)  # now: the next request empties the query log it reads
    renders = []
    for _ in range(9):
        forget_catalog()
        started = time.perf_counter()
        client.get(path)
        renders.append(time.perf_counter() - started)
    return count, milliseconds(percentile(renders, 0.5))


def measure(server: str, port: int, pids, pages: dict, seconds: float) -> list[dict]:
    """Every page on one server (pids() → its processes, for CPU); each row carries the bare
    Wagtail page measured on the same server in the same run as its baseline."""
    measured = {}
    for name, (path, cookie) in pages.items():
        queries, cold_render_ms = queries_and_cold_render(path, cookie)
        load_pages(port, path, cookie, 1, vary=False, clients=CLIENTS)  # warm up
        sampler = ResourceSampler(pids())
        rps, latencies = load_pages(port, path, cookie, seconds, vary=True, clients=CLIENTS)
        cpu, _ = sampler.stop()
        cached_rps = cached_p50 = alone_cached_p50 = None
        if name in CACHED:
            cached_rps, cached = load_pages(
                port, path, cookie, seconds, vary=False, clients=CLIENTS
            )
            cached_rps = round(cached_rps, 1)
            cached_p50 = milliseconds(percentile(cached, 0.5))
            _, cached = load_pages(port, path, cookie, 3, vary=False, clients=1)
            alone_cached_p50 = milliseconds(percentile(cached, 0.5))
        # What one visitor waits when nobody else is asking.
        _, alone = load_pages(port, path, cookie, 3, vary=True, clients=1)
        measured[name] = {
            "page": name,
            "server": server,
            "queries": queries,
            "rps": round(rps, 1),
            "p50_ms": milliseconds(percentile(latencies, 0.5)),
            "p99_ms": milliseconds(percentile(latencies, 0.99)),
            "cached_rps": cached_rps,
            "cached_p50_ms": cached_p50,
            "alone_p50_ms": milliseconds(percentile(alone, 0.5)),
            "alone_cached_p50_ms": alone_cached_p50,
            "cold_render_ms": cold_render_ms,
            "server_cpu_s": cpu,
        }
        print(*measured[name].values(), sep="  ", flush=True)
    baseline = measured.pop("bare_wagtail_page")
    for row in measured.values():
        row["baseline_rps"], row["baseline_p50_ms"] = baseline["rps"], baseline["p50_ms"]
        row["baseline_p99_ms"] = baseline["p99_ms"]
    return [*measured.values(), baseline]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    options = parser.parse_args()
    setup_django()
    pages = prepare()
    rows = []

    server = Daphne.start("config.asgi:application")
    try:
        rows += measure("daphne", server.port, lambda: [server.process.pid], pages, options.seconds)
    finally:
        server.stop()

    # make serve's servers: nginx in front of gunicorn and Daphne (config/serve.py).
    topology = start_topology(
        port=free_port(), run_dir=Path(tempfile.mkdtemp()), environment=bench_environment()
    )

    def topology_pids() -> list[int]:
        servers = [
            psutil.Process(process.pid)
            for name, process in topology.processes.items()
            if name in ("nginx", "gunicorn", "daphne")
        ]
        return [p.pid for server in servers for p in [server, *server.children(recursive=True)]]

    try:
        rows += measure("nginx+gunicorn", topology.port, topology_pids, pages, options.seconds)
    finally:
        topology.stop()
    baselines = [row for row in rows if row["page"] == "bare_wagtail_page"]
    merge_results(
        {"pages": [row for row in rows if row not in baselines], "pages_baseline": baselines}
    )


if __name__ == "__main__":
    main()
