"""`make serve`'s servers (config/serve.py) answering real requests: nginx serves static files
itself, pages come from gunicorn, /ws/ reaches Daphne, the visitor's address is nginx's to
say, the page cache keeps only what Django allows and PURGE refreshes it, and stopping the
launcher stops every server."""

import asyncio
import http.client
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import requests
from django.utils import timezone
from wagtail.models import Page
from websockets.asyncio.client import connect as ws_connect

from courses.models import CoursePage
from tests.live.conftest import session_cookie
from tests.servers import PROJECT, Topology, free_port, server_environment, wait_until
from tests.test_serving import ODD_COOKIES

CACHED_PAGE = "/test-only/kept-for-30-seconds/"
# The servers read the demo site that the session's database setup committed.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def topology(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        servers = Topology.start()
    yield servers
    servers.stop()


def ask(topology: Topology, method: str, path: str, source: str = "127.0.0.1", **headers):
    """One request from a chosen loopback address: (status, headers, body)."""
    port = int(topology.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0))
    try:
        connection.request(method, path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def test_static_files_come_from_nginx_and_pages_from_gunicorn(topology):
    stylesheet = next((Path(topology.servers.run_dir) / "static" / "site" / "css").glob("*.css"))
    static = requests.get(f"{topology.url}/static/site/css/{stylesheet.name}")
    assert static.status_code == 200 and static.headers["Server"] == "nginx"
    # Django's middleware never saw it (it adds these to every answer of its own).
    assert "Content-Security-Policy" not in static.headers

    page = requests.get(f"{topology.url}/")
    assert page.status_code == 200 and page.headers["Server"].startswith("gunicorn")
    assert "Content-Security-Policy" in page.headers


@pytest.mark.django_db(transaction=True)
def test_the_notification_socket_upgrades_through_nginx_to_daphne(topology, demo_people):
    name, value = session_cookie("13900000001")

    async def open_socket() -> tuple[int, str]:
        async with ws_connect(
            f"{topology.ws_url}/ws/notify/",
            origin=topology.url,
            additional_headers={"Cookie": f"{name}={value}"},
        ) as socket:
            await socket.ping()
            return socket.response.status_code, socket.response.headers.get("Server", "")

    status, server = asyncio.run(open_socket())
    assert status == 101 and server.startswith("daphne")


def test_x_forwarded_for_from_the_visitor_is_replaced_by_nginx(topology):
    status, _, body = ask(
        topology, "GET", "/test-only/request-headers/", **{"X-Forwarded-For": "203.0.113.9"}
    )
    seen = json.loads(body)
    assert status == 200
    assert seen["x_forwarded_for"] == "127.0.0.1"
    assert seen["x_forwarded_proto"] == "http"


def test_a_page_django_allows_is_kept_and_purge_refreshes_it(topology):
    _, first, fresh = ask(topology, "GET", CACHED_PAGE)
    _, again, kept = ask(topology, "GET", CACHED_PAGE)
    assert first["X-Cache-Status"] in {"MISS", "EXPIRED"}
    assert again["X-Cache-Status"] == "HIT" and kept == fresh

    # Wagtail's frontend cache (HTTPBackend) asks from this machine with the page's Host.
    status, _, purged = ask(topology, "PURGE", CACHED_PAGE)
    assert status == 200 and purged != fresh
    _, after, served = ask(topology, "GET", CACHED_PAGE)
    assert after["X-Cache-Status"] == "HIT" and served == purged


def test_purge_from_elsewhere_is_refused(topology):
    _, _, cached = ask(topology, "GET", CACHED_PAGE)
    status, _, _ = ask(topology, "PURGE", CACHED_PAGE, source="127.0.0.2")
    assert status == 405
    # Nor may anyone else ask for a refresh in the PURGE's own way.
    _, headers, body = ask(
        topology, "GET", CACHED_PAGE, source="127.0.0.2", **{"X-Cache-Refresh": "1"}
    )
    assert headers["X-Cache-Status"] == "HIT" and body == cached


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=abc"},
        {"Cookie": "theme=dark; elder_mode=1"},
        {"Cookie": "messages=abc"},
        {"Authorization": "Basic YTpi"},
    ],
)
def test_a_visitor_with_a_page_of_their_own_passes_the_cache(topology, headers):
    ask(topology, "GET", CACHED_PAGE)
    _, answered, _ = ask(topology, "GET", CACHED_PAGE, **headers)
    assert answered["X-Cache-Status"] == "BYPASS"


def test_sigterm_to_the_launcher_stops_every_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        environment = server_environment(WEB_CONCURRENCY="1", TEST_TASK_QUEUE="database")
    port, run_dir = free_port(), tempfile.mkdtemp(prefix="junxiu-serve-")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "config.serve", "--port", str(port), "--run-dir", run_dir],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "请用浏览器打开" in launcher.stdout.readline()  # printed once all answer
        servers = psutil.Process(launcher.pid).children(recursive=True)
        names = " ".join(" ".join(server.cmdline()) for server in servers)
        assert "gunicorn" in names and "daphne" in names and "nginx" in names
        assert "manage.py worker" in names and "manage.py scheduler" in names

        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=30) == 0
        wait_until(lambda: not any(server.is_running() for server in servers), "servers to stop")
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        launcher.kill()
        launcher.wait()


def test_odd_cookie_spellings_never_put_a_personal_page_in_front_of_others(
    topology, committed_demo
):
    """S4: while one client sends cookies Django reads as 长辈模式 or a session but a plain
    match might not, every ordinary visitor gets the ordinary catalog."""
    for round_ in range(5):
        ask(topology, "PURGE", "/courses/")  # each round starts from a page fetched afresh
        for cookie in ODD_COOKIES:
            _, _, odd = ask(topology, "GET", "/courses/", Cookie=cookie)
            _, headers, ordinary = ask(topology, "GET", "/courses/")
            assert "开启长辈模式" in ordinary and "关闭长辈模式" not in ordinary, (round_, cookie)
        assert headers["X-Cache-Status"] == "HIT"
    assert "关闭长辈模式" in ask(topology, "GET", "/courses/", Cookie='elder_mode="1"')[2]


@pytest.mark.django_db(transaction=True)
def test_a_published_course_is_purged_from_the_cache(topology, demo_site, settings):
    """Publishing purges the course's page and the catalog through Wagtail's frontend cache;
    unpublishing (publish_scheduled, another process) takes the page away at once too."""
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": topology.url,
        }
    }
    course = CoursePage.objects.get(title="书法入门")
    path = urlsplit(course.full_url).path
    for page in (path, "/courses/"):
        ask(topology, "GET", page)
        assert ask(topology, "GET", page)[1]["X-Cache-Status"] == "HIT"

    course.title = "书法入门（新班）"
    course.save_revision().publish()
    for page in (path, "/courses/"):
        _, headers, body = ask(topology, "GET", page)
        assert "书法入门（新班）" in body and headers["X-Cache-Status"] == "HIT", page

    Page.objects.filter(pk=course.pk).update(expire_at=timezone.now())
    subprocess.run(
        [sys.executable, "manage.py", "publish_scheduled"],
        cwd=PROJECT,
        env={**server_environment(), "FRONTEND_CACHE_URL": topology.url},
        check=True,
    )
    assert ask(topology, "GET", path)[0] == 404
    assert "书法入门（新班）" not in ask(topology, "GET", "/courses/")[2]
