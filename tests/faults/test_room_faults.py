"""Faults during a live class, with real processes: a Daphne killed with SIGKILL, and Redis
restarted. Each test runs its own Redis (tests.servers.RedisServer), so the machine's Redis
and the other tests are untouched; both passes of CI run them."""

import pytest
from channels.db import database_sync_to_async

from live.models import LiveClass
from rooms.models import RoomEvent
from tests.room_client import RoomClient, closed_with, enter
from tests.servers import DaphneProcess, RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.process.kill()


@pytest.fixture
def two_daphnes(live_class, redis_server, django_db_blocker):
    # Heartbeats every half second: a dead process's sockets stop counting after two.
    servers = [
        DaphneProcess.start(
            REDIS_URL=redis_server.url,
            LIVE_PRESENCE_HEARTBEAT_SECONDS="0.5",
            LIVE_PRESENCE_STALE_SECONDS="2",
        )
        for _ in range(2)
    ]
    yield servers
    for server in servers:
        if server.process.poll() is None:
            server.stop()


@database_sync_to_async
def stored_chat(live_class: LiveClass) -> list[tuple[int, str]]:
    return list(
        RoomEvent.objects.filter(room=live_class.room, type="chat.message")
        .order_by("seq")
        .values_list("seq", "data__text")
    )


async def said(client: RoomClient, text: str, id: str) -> int:
    """Send a chat message and wait for the server's acknowledgement: its seq."""
    await client.send("chat.send", {"text": text}, id=id)
    return (await client.receive("ack"))["seq"]


async def hear(client: RoomClient, text: str) -> None:
    """Wait for this chat message (others before it are noted in client.seen)."""
    heard = ""
    while heard != text:
        heard = (await client.receive("chat.message"))["data"]["text"]


def chat_seen(*clients: RoomClient) -> list[tuple[int, str]]:
    return [(frame["seq"], frame["data"]["text"]) for c in clients for frame in c.seen]


async def test_a_killed_daphne_loses_no_acknowledged_message(live_class, two_daphnes):
    first, second = two_daphnes
    a = await enter(first, live_class.pk, "13900000001")
    b = await enter(second, live_class.pk, "13900000002")
    await enter(first, live_class.pk, "liushuwen")
    await said(a, "杀进程之前", "a1")
    await hear(a, "杀进程之前")
    await hear(b, "杀进程之前")

    # A message in flight when the process dies: acknowledged or not, the client sends it
    # again after reconnecting (as room_socket.js does), and it is stored once.
    await a.send("chat.send", {"text": "说到一半"}, id="a2")
    first.kill()
    assert await closed_with(a) == 1006  # no closing handshake: the process is gone
    await said(b, "他不在的时候", "b1")

    back = await enter(second, live_class.pk, "13900000001", last_seq=a.last_seq)
    await said(back, "说到一半", "a2")
    await said(b, "最后一条", "b2")
    await hear(back, "最后一条")
    await hear(b, "最后一条")

    stored = await stored_chat(live_class)
    texts = sorted(text for _, text in stored)
    assert texts == sorted(["杀进程之前", "说到一半", "他不在的时候", "最后一条"])
    # What 张建国 saw before and after: every stored message, once, in order.
    assert chat_seen(a, back) == stored
    assert chat_seen(b) == stored
    # The teacher, who was on the killed process and did not come back, stops being counted
    # once that process's rows go stale: 2 people, not 3.
    presence = await b.receive("presence")
    while presence["data"]["count"] != 2:
        presence = await b.receive("presence", timeout=10)


async def test_rooms_recover_when_redis_restarts(live_class, redis_server, two_daphnes):
    first, second = two_daphnes
    a = await enter(first, live_class.pk, "13900000001")
    b = await enter(second, live_class.pk, "13900000002")
    await said(a, "重启之前", "a1")
    await hear(a, "重启之前")
    await hear(b, "重启之前")

    redis_server.kill()
    # Said while Redis is away: stored in the database, so acknowledged.
    await said(a, "Redis 不在的时候", "a2")
    redis_server.start()

    # Each process reaches Redis again by itself and asks its sockets to catch up.
    assert await closed_with(a) == 4205
    assert await closed_with(b) == 4205
    a_again = await enter(first, live_class.pk, "13900000001", last_seq=a.last_seq)
    b_again = await enter(second, live_class.pk, "13900000002", last_seq=b.last_seq)
    await hear(b_again, "Redis 不在的时候")  # replayed from the database

    await said(b_again, "恢复以后", "b2")  # and the two processes share the room again
    await hear(a_again, "恢复以后")
    await hear(b_again, "恢复以后")
    stored = await stored_chat(live_class)
    assert [text for _, text in stored] == ["重启之前", "Redis 不在的时候", "恢复以后"]
    assert chat_seen(a, a_again) == stored
    assert chat_seen(b, b_again) == stored
