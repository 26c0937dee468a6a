import contextlib
import datetime
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from circles.models import Circle
from config.asgi import application
from courses.models import CoursePage, Enrollment
from live.models import LiveClass

SAME_ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def make_class(**fields) -> LiveClass:
    """书法入门 (第一军休所, taught by 刘书文), now; 13900000001 and 02 enrolled."""
    course = CoursePage.objects.get(title="书法入门")
    now = timezone.now()
    for login in ("13900000001", "13900000002"):
        Enrollment.objects.update_or_create(
            course=course,
            retiree=User.objects.get(username=login),
            defaults={"status": "enrolled", "queued_at": now},
        )
    fields.setdefault("starts_at", now - datetime.timedelta(minutes=5))
    fields.setdefault("ends_at", now + datetime.timedelta(minutes=55))
    fields.setdefault("title", "楷书横画")
    return LiveClass.objects.create(
        course=course, instructor=User.objects.get(username="liushuwen"), **fields
    )


@pytest.fixture
def live_class(demo_site):
    return make_class()


def session_cookie(login: str) -> tuple[str, str]:
    """(cookie name, value) of a fresh session logged in as this demo account."""
    client = Client()
    client.force_login(User.objects.get(username=login))
    name = settings.SESSION_COOKIE_NAME
    return name, client.cookies[name].value


@database_sync_to_async
def cookie_for(login: str) -> bytes:
    return "=".join(session_cookie(login)).encode()


class Socket:
    """A WebsocketCommunicator with helpers that skip frames a test does not look at."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator

    async def send(self, type: str, data: dict | None = None, id: str | None = None):
        frame = {"type": type, "data": data or {}}
        if id is not None:
            frame["id"] = id
        await self.communicator.send_json_to(frame)

    async def send_raw(self, text: str):
        await self.communicator.send_to(text_data=text)

    async def receive(self, type: str, timeout: float = 3) -> dict:
        while True:
            frame = await self.communicator.receive_json_from(timeout=timeout)
            if frame["type"] == type:
                return frame

    async def receive_types(self, types: set[str], count: int, timeout: float = 3) -> list[dict]:
        frames = []
        while len(frames) < count:
            frame = await self.communicator.receive_json_from(timeout=timeout)
            if frame["type"] in types:
                frames.append(frame)
        return frames

    async def nothing_of(self, type: str, wait: float = 0.5) -> bool:
        """True when no frame of this type arrives within `wait` seconds. (A receive that
        times out would cancel the application, so this only peeks at the queue.)"""
        while not await self.communicator.receive_nothing(timeout=wait):
            output = await self.communicator.receive_output()
            if "text" in output and json.loads(output["text"])["type"] == type:
                return False
        return True

    async def hello(self, last_seq: int = 0) -> dict:
        await self.send("hello", {"last_seq": last_seq})
        return (await self.receive("room.state"))["data"]

    async def close(self):
        # Already closed by the server, or by the test itself: nothing left to do.
        with contextlib.suppress(Exception):
            await self.communicator.disconnect()


async def refusal_code(communicator: WebsocketCommunicator) -> int | None:
    """Connect; the close code when the server turns the socket away, else None. A refusal is
    an accepted handshake closed at once (accept and close are queued in the same step, so
    nothing is waited for): a close before accept would reach a browser as HTTP 403."""
    accepted, _ = await communicator.connect()
    assert accepted, "the handshake must succeed, even for a refusal"
    if await communicator.receive_nothing(timeout=0):
        return None
    output = await communicator.receive_output()
    assert output["type"] == "websocket.close", output
    return output["code"]


async def connect(
    place_id: int, login: str | None, route: str = "live"
) -> tuple[Socket, bool, int | None]:
    """Open /ws/<route>/<id>/ (a live class, or a study circle with route="circle"):
    (socket, entered, the close code of a refusal)."""
    headers = [SAME_ORIGIN]
    if login:
        headers.append((b"cookie", await cookie_for(login)))
    communicator = WebsocketCommunicator(application, f"/ws/{route}/{place_id}/", headers=headers)
    code = await refusal_code(communicator)
    return Socket(communicator), code is None, code


@pytest.fixture
async def join():
    """await join(live_class_or_circle, "13900000001") → a Socket that has said hello. Every
    socket is closed at the end, so that no consumer outlives the test's event loop (on Redis,
    one that did would hold the layer's receive lock)."""
    opened = []

    async def make(place: LiveClass | Circle, login: str) -> Socket:
        route = "circle" if isinstance(place, Circle) else "live"
        socket, connected, code = await connect(place.pk, login, route)
        assert connected, f"{login} refused with {code}"
        opened.append(socket)
        await socket.hello()
        return socket

    yield make
    for socket in opened:
        await socket.close()
    await release_layer()


async def release_layer() -> None:
    """channels-redis keeps asyncio locks on the layer object; one still held when a test's
    event loop closes would break the next test's loop. Each test (or hypothesis example)
    gets a fresh layer object (Daphne has one loop for its life: a test-only concern)."""
    layer = get_channel_layer()
    if hasattr(layer, "wait_received"):
        await layer.wait_received()
        await layer.close_pools()
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
