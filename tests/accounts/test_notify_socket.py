"""/ws/notify/ through the real ASGI stack: origin check, session auth, group push."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.services import notify_user
from config.asgi import application
from tests.live.conftest import refusal_code

pytestmark = pytest.mark.django_db(transaction=True)

SAME_ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@database_sync_to_async
def session_cookie_for(login: str) -> bytes:
    client = Client()
    client.force_login(User.objects.get(username=login))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/notify/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def connected_as(login: str) -> WebsocketCommunicator:
    """A user's open /ws/notify/ socket, from a page of this site."""
    cookie = await session_cookie_for(login)
    communicator, connected, _ = await connect([SAME_ORIGIN, (b"cookie", cookie)])
    assert connected
    return communicator


@database_sync_to_async
def notify(login: str, text: str, url: str = "") -> None:
    notify_user(User.objects.get(username=login), "notice", text, url)


async def test_anonymous_socket_is_accepted_then_closed_with_4401():
    communicator = WebsocketCommunicator(application, "/ws/notify/", headers=[SAME_ORIGIN])
    assert await refusal_code(communicator) == 4401


async def test_logged_in_socket_is_accepted_and_receives_pushed_notifications(cast):
    communicator = await connected_as("13500000001")
    await notify("13500000001", "您已从候补转为正式学员：书法课", "/me/")
    message = await communicator.receive_json_from(timeout=3)
    assert message["type"] == "notify.message"
    assert message["data"]["text"] == "您已从候补转为正式学员：书法课"
    assert message["data"]["url"] == "/me/"
    await communicator.disconnect()


async def test_notifications_reach_only_their_own_user(cast):
    communicator = await connected_as("13500000001")
    await notify("13500000002", "给高秀兰的提醒")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_garbage_from_the_client_is_ignored(cast):
    communicator = await connected_as("13500000001")
    await communicator.send_to(text_data="{not json")
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert await communicator.receive_nothing(timeout=0.3)
    await notify("13500000001", "仍然在线")
    assert (await communicator.receive_json_from(timeout=3))["data"]["text"] == "仍然在线"
    await communicator.disconnect()


async def test_foreign_origin_is_refused_even_when_logged_in(cast):
    cookie = await session_cookie_for("13500000001")
    communicator, connected, _ = await connect(
        [(b"origin", b"https://evil.example"), (b"cookie", cookie)]
    )
    assert not connected


async def test_missing_origin_is_refused():
    communicator, connected, _ = await connect([])
    assert not connected
