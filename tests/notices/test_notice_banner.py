"""When a notice goes live, its audience's open pages get the banner over /ws/notify/."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from accounts.models import User
from config.asgi import application
from notices.models import NoticePage
from notices.services import ensure_notice_index

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def session_cookie_for(login: str) -> bytes:
    client = Client()
    client.force_login(User.objects.get(username=login))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def open_notify_socket(login: str) -> WebsocketCommunicator:
    cookie = await session_cookie_for(login)
    communicator = WebsocketCommunicator(
        application,
        "/ws/notify/",
        headers=[(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@database_sync_to_async
def publish_notice_of(institution, title: str) -> str:
    index = ensure_notice_index(institution)
    notice = index.add_child(
        instance=NoticePage(title=title, category="announcement", body="<p>正文</p>")
    )
    notice.save_revision().publish()
    return notice.url


async def test_the_audience_gets_the_banner_and_others_do_not(places):
    station = await open_notify_socket("13500000004")  # 测试一所服务站, under 测试一所
    sibling = await open_notify_socket("13500000007")  # 测试二所
    url = await publish_notice_of(places["first"], "停水通知")

    message = await station.receive_json_from(timeout=3)
    assert message["type"] == "notify.message"
    assert message["data"]["text"] == "新通知：停水通知"
    assert message["data"]["url"] == url
    assert await sibling.receive_nothing(timeout=0.3)
    await station.disconnect()
    await sibling.disconnect()
