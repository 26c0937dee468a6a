"""Under Daphne alone (`make run`), clients that ask for a large lesson video and never read
must not make the server hold it: Daphne buffers whatever it is handed without waiting for
the client, so a Range request gets at most LARGEST_PART and a plain GET of a larger file a
refusal (core/media.py says why)."""

import socket

import psutil
import pytest

from core.media import LARGEST_PART
from tests.servers import DaphneProcess, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 200 * 1024 * 1024
LIMIT = 50 * 1024 * 1024


@pytest.fixture
def daphne_with_a_long_video(tmp_path, django_db_blocker):
    folder = tmp_path / "lessons" / "media"
    folder.mkdir(parents=True)
    with open(folder / "long.webm", "wb") as video:
        video.truncate(SIZE)  # sparse: no disk used
    server = DaphneProcess.start(MEDIA_ROOT=str(tmp_path))
    yield server
    server.stop()


def ask_and_never_read(url: str, headers: str = "") -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    client = socket.create_connection((host, int(port)))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    request = f"GET /media/lessons/media/long.webm HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n"
    client.sendall(request.encode())
    return client


def answered(client: socket.socket) -> bool:
    """The status line has arrived (peeked, so the body stays unread)."""
    try:
        return client.recv(16, socket.MSG_PEEK | socket.MSG_DONTWAIT).startswith(b"HTTP/1.1")
    except BlockingIOError:
        return False


def test_clients_that_never_read_do_not_pin_a_large_file(daphne_with_a_long_video):
    server = daphne_with_a_long_video
    process = psutil.Process(server.process.pid)
    before = process.memory_info().rss
    clients = [ask_and_never_read(server.url) for _ in range(3)]
    clients += [ask_and_never_read(server.url, "Range: bytes=0-\r\n") for _ in range(3)]
    try:
        for client in clients:
            wait_until(lambda client=client: answered(client), "an answer's status line")
        statuses = [client.recv(12, socket.MSG_PEEK)[9:12] for client in clients]
        assert statuses == [b"403"] * 3 + [b"206"] * 3

        def grown() -> int:
            return process.memory_info().rss - before

        # Daphne keeps writing a streamed answer into its buffers after the status line: watch
        # the process for a while; it must not grow by the size of the file.
        with pytest.raises(TimeoutError):
            wait_until(lambda: grown() > LIMIT, "Daphne holding the file", timeout=5)
        assert grown() < LIMIT, f"{grown() / 1024 / 1024:.0f} MB held"
        assert LARGEST_PART * 3 < LIMIT
    finally:
        for client in clients:
            client.close()
