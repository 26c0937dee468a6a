"""Django under Daphne (config.handler.PooledASGIHandler): a request's signals, middleware and
view run in one hop on a worker thread that keeps its database connection between requests;
a streamed file goes out whole and is closed once it has been sent."""

import os
import threading
import tracemalloc

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from config.asgi import django_asgi_app
from config.media import LARGEST_PART
from tests.asgi_requests import asgi_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signals_seen():
    """Each request signal as it is sent: (signal, thread name, this thread's connection)."""
    seen: list[tuple[str, str, int]] = []

    def record(name):
        def receiver(**kwargs):
            seen.append((name, threading.current_thread().name, id(connection.connection)))

        return receiver

    on_start, on_finish = record("started"), record("finished")
    request_started.connect(on_start)
    request_finished.connect(on_finish)
    yield seen
    request_started.disconnect(on_start)
    request_finished.disconnect(on_finish)


def test_a_page_is_served_on_one_worker_that_keeps_its_connection(demo_site, signals_seen):
    for _ in range(6):
        page = asgi_request(django_asgi_app, "/courses/?page=1")
        assert page["status"] == 200 and "书法入门" in page["html"]
    assert [name for name, _, _ in signals_seen] == ["started", "finished"] * 6
    for started, finished in zip(signals_seen[::2], signals_seen[1::2], strict=True):
        assert started[1] == finished[1] and started[1].startswith("request")
    by_worker: dict[str, set[int]] = {}
    for _, worker, connection_id in signals_seen[1::2]:  # after each request: connected
        by_worker.setdefault(worker, set()).add(connection_id)
    assert all(len(ids) == 1 for ids in by_worker.values()), by_worker


def test_a_streamed_file_is_sent_whole_and_then_closed(demo_site, signals_seen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = os.urandom(300_000)  # several of Django's 64 KB chunks
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "clip.webm").write_bytes(content)
    answer = asgi_request(django_asgi_app, "/media/lessons/clip.webm")
    assert answer["status"] == 200
    assert answer["body"] == content
    assert [name for name, _, _ in signals_seen] == ["started", "finished"]


def test_a_large_file_goes_out_a_chunk_at_a_time(demo_site, settings, tmp_path):
    """Django's own ASGI handler reads a file response whole into memory before sending it."""
    settings.MEDIA_ROOT = tmp_path
    size = LARGEST_PART  # the largest file /media/ sends whole without a Range (config.media)
    (tmp_path / "lessons").mkdir()
    with open(tmp_path / "lessons" / "long.webm", "wb") as video:
        video.truncate(size)
    tracemalloc.start()
    try:
        answer = asgi_request(django_asgi_app, "/media/lessons/long.webm", keep_body=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer["status"] == 200
    assert answer["body_length"] == size
    assert peak < size / 4, f"{peak / 1024 / 1024:.1f} MB held at once"
