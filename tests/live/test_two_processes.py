"""Two real Daphne processes share one room through Redis, and an idle socket stays open.
Needs REDIS_URL (CI's second pass); skipped on the in-memory default."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.conf import settings

from live.models import LiveClass
from tests.room_client import enter
from tests.servers import DaphneProcess

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="two processes share a room only through Redis"
    ),
]


@pytest.fixture
def two_servers(live_class, django_db_blocker):
    servers = [DaphneProcess.start(), DaphneProcess.start()]
    yield servers
    for server in servers:
        server.stop()


async def test_a_room_spans_two_processes_and_idle_sockets_stay_open(live_class, two_servers):
    first, second = two_servers
    a = await enter(first, live_class.pk, "13900000001")
    b = await enter(second, live_class.pk, "13900000002")
    teacher = await enter(second, live_class.pk, "liushuwen")

    await a.send("chat.send", {"text": "一号进程的消息"}, id="p1")
    for client in (b, teacher):
        assert (await client.receive("chat.message"))["data"]["text"] == "一号进程的消息"
    await database_sync_to_async(LiveClass.objects.filter(pk=live_class.pk).update)(
        slide_images=["/media/slides/1.png", "/media/slides/2.png"]
    )
    await teacher.send("slide.go", {"page": 1}, id="s")
    assert (await a.receive("slide.changed"))["data"]["page"] == 1
    await teacher.send("hand.call", {"user_id": a.me["user_id"]}, id="c")
    assert (await a.receive("hand.called"))["data"]["name"] == "张建国"
    presence = await a.receive("presence")
    while presence["data"]["count"] != 3:  # joins settle into one presence frame a second
        presence = await a.receive("presence")

    # channels-redis with redis-py 8 would close an idle consumer with 1011 within seconds.
    await asyncio.sleep(30)
    await b.send("chat.send", {"text": "三十秒后"}, id="p2")
    assert (await a.receive("chat.message"))["data"]["text"] == "三十秒后"
    for client in (a, b, teacher):
        await client.socket.close()
