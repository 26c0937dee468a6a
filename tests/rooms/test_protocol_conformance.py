"""docs/live-protocol.md walked frame by frame by a real client (the `websockets` library)
against a real Daphne: what a client written from that document alone relies on. The
WebsocketCommunicator tests (tests/live, tests/circles) cover every rule in depth; these
check that the words of the document and the bytes on the wire agree."""

import datetime
import json
import re
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect as ws_connect

from accounts.models import User
from live.models import LiveClass
from rooms.models import Room, RoomEvent
from rooms.selectors import REPLAY_LIMIT
from tests.circles.conftest import LEADER, MEMBER
from tests.live.conftest import cookie_for
from tests.room_client import RoomClient, closed_with
from tests.room_client import enter as enter_room
from tests.servers import DaphneProcess

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENT = (Path(__file__).resolve().parents[2] / "docs" / "live-protocol.md").read_text()
A, B, TEACHER = "13900000001", "13900000002", "liushuwen"  # A and B enrolled; 刘书文 teaches


@pytest.fixture(scope="module")
def daphne(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = DaphneProcess.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
async def sockets():
    """Every socket a test opened is closed when it ends, so that Daphne forgets it before the
    next test's data."""
    opened_here: list[RoomClient] = []
    yield opened_here
    for client in opened_here:
        await client.socket.close()


@pytest.fixture
def opened(daphne, sockets):
    async def open_socket(path: str, login: str) -> RoomClient:
        """A socket that has not said hello yet."""
        socket = await ws_connect(
            daphne.ws_url + path,
            origin=daphne.url,
            additional_headers={"Cookie": (await cookie_for(login)).decode()},
        )
        sockets.append(RoomClient(socket))
        return sockets[-1]

    return open_socket


@pytest.fixture
def enter(daphne, sockets):
    async def enter_and_say_hello(place_id: int, login: str, route: str = "live") -> RoomClient:
        """A socket that has said hello and read its snapshot (tests.room_client.enter)."""
        sockets.append(await enter_room(daphne, place_id, login, route=route))
        return sockets[-1]

    return enter_and_say_hello


async def next_frame(client: RoomClient, skip: tuple[str, ...] = ("presence",)) -> dict:
    """The next frame that is not one of `skip` (presence arrives whenever people come and go)."""
    while True:
        for frame in await client.read():
            if frame["type"] not in skip:
                return frame


async def frames_until_pong(client: RoomClient) -> list[dict]:
    """Everything the server sends before it answers a ping (frames on one socket keep their
    order, so this is all it had to say before)."""
    await client.send("ping")
    frames = []
    while (frame := await next_frame(client))["type"] != "pong":
        frames.append(frame)
    return frames


def documented_frames_without_seq() -> set[str]:
    listed = re.search(r"State frames\s*\(([^)]*)\)\s*carry no\s*`seq`", DOCUMENT)
    assert listed, "the document lists the frames that carry no seq"
    return set(re.findall(r"`([a-z.]+)`", listed.group(1)))


# A live class


async def test_hello_is_answered_with_the_snapshot_first(live_class, opened):
    client = await opened(f"/ws/live/{live_class.pk}/", A)
    await client.send("hello", {"last_seq": 0})
    state = await next_frame(client)
    assert state["type"] == "room.state" and "seq" not in state
    assert set(state["data"]) == {
        "class", "me", "last_seq", "chat_muted", "slides", "hands", "hands_count", "poll",
        "presence", "recent_chat",
    }  # fmt: skip
    assert set(state["data"]["me"]) == {"user_id", "name", "teacher", "muted", "hand_raised"}
    await client.socket.close()


async def test_chat_is_acknowledged_with_its_seq_and_reaches_the_others(live_class, enter):
    a, b = await enter(live_class.pk, A), await enter(live_class.pk, B)
    await a.send("chat.send", {"text": "老师好！"}, id="c-1")
    ack = await next_frame(a)
    assert ack["type"] == "ack" and set(ack) == {"type", "ref", "seq"} and ack["ref"] == "c-1"
    message = await b.receive("chat.message")
    assert message["seq"] == ack["seq"] and message["data"]["text"] == "老师好！"
    # ts: ISO 8601 in UTC, in the same form as the document's example.
    example = re.search(r'"ts": "([^"]+)"', DOCUMENT).group(1)
    sent = datetime.datetime.fromisoformat(message["ts"])
    assert (
        sent.utcoffset()
        == datetime.timedelta(0)
        == (datetime.datetime.fromisoformat(example).utcoffset())
    )
    assert message["ts"].endswith("+00:00") and example.endswith("+00:00")
    await a.send("chat.send", {"text": "老师好！"}, id="c-1")  # a resend: the same seq
    assert (await a.receive("ack"))["seq"] == ack["seq"]


async def test_frames_the_document_lists_without_seq_have_none(live_class, opened, enter):
    """Every state frame the document says carries no seq, as the server sends it."""
    a, teacher = await enter(live_class.pk, A), await enter(live_class.pk, TEACHER)
    seen = {}
    await a.send("ping")
    seen["pong"] = await a.receive("pong")
    await a.send("dance", id="d")
    seen["error"] = await a.receive("error")
    seen["presence"] = await teacher.receive("presence")
    await teacher.send("poll.open", {"question": "听懂了吗？", "options": ["懂", "不懂"]})
    poll_id = (await a.receive("poll.opened"))["data"]["poll_id"]
    await a.send("poll.vote", {"poll_id": poll_id, "option": 0})
    seen["poll.results"] = await teacher.receive("poll.results")
    await a.send("rtc.signal", {"kind": "request", "to": None, "payload": {}})
    seen["rtc.signal"] = await teacher.receive("rtc.signal")
    before = await stored_chat(live_class, REPLAY_LIMIT + 1)
    late = await opened(f"/ws/live/{live_class.pk}/", B)
    await late.send("hello", {"last_seq": before})
    seen["room.state"] = await late.receive("room.state")
    seen["resync"] = await late.receive("resync")
    listed = documented_frames_without_seq()
    assert listed <= set(seen), listed - set(seen)
    assert [kind for kind in listed if "seq" in seen[kind]] == []
    # ack is not among them: its seq is the acknowledged event's (null when none was stored).
    assert "ack" not in listed


async def test_frames_over_8_kb_close_4413_text_or_binary(live_class, enter):
    text = await enter(live_class.pk, A)
    await text.socket.send(json.dumps({"type": "chat.send", "data": {"text": "字" * 3000}}))
    assert await closed_with(text, timeout=5) == 4413
    binary = await enter(live_class.pk, A)
    await binary.socket.send(b"\x00" * 100)  # small: refused, the socket stays
    assert (await binary.receive("error"))["code"] == "binary"
    await binary.socket.send(b"\x00" * (8 * 1024 + 1))
    assert await closed_with(binary, timeout=5) == 4413


async def test_an_unknown_type_gets_the_documented_error(live_class, enter):
    a = await enter(live_class.pk, A)
    await a.send("dance", {}, id="x-1")
    error = await a.receive("error")
    assert error["code"] == "unknown_type" and error["ref"] == "x-1" and error["message"]
    assert f"`{error['code']}`" in DOCUMENT


async def test_a_video_signal_with_an_id_is_acknowledged_and_a_refusal_names_it(live_class, enter):
    a, b = await enter(live_class.pk, A), await enter(live_class.pk, B)
    teacher = await enter(live_class.pk, TEACHER)
    await a.send("rtc.signal", {"kind": "request", "to": None, "payload": {}}, id="r-1")
    assert await a.receive("ack") == {"type": "ack", "ref": "r-1", "seq": None}
    assert (await teacher.receive("rtc.signal"))["data"]["from"] == a.me["user_id"]
    await a.send("rtc.signal", {"kind": "offer", "to": b.me["user_id"], "payload": {}}, id="r-2")
    refusal = await a.receive("error")
    assert (refusal["code"], refusal["ref"]) == ("forbidden", "r-2")


async def test_a_vote_for_a_poll_that_does_not_exist_is_not_found(live_class, enter):
    a = await enter(live_class.pk, A)
    await a.send("poll.vote", {"poll_id": 999999, "option": 0}, id="v-1")
    error = await a.receive("error")
    assert (error["code"], error["ref"]) == ("not_found", "v-1")


async def test_a_called_hand_is_lowered_for_everyone(live_class, enter):
    a, b = await enter(live_class.pk, A), await enter(live_class.pk, B)
    teacher = await enter(live_class.pk, TEACHER)
    await a.send("hand.raise", id="h-1")
    raised = await teacher.receive("hand.raised")
    assert raised["data"]["user_id"] == a.me["user_id"]
    await teacher.send("hand.call", {"user_id": a.me["user_id"]}, id="c-1")
    ack = await teacher.receive("ack")
    for client in (a, b, teacher):
        lowered = await client.receive("hand.lowered")
        called = await next_frame(client)
        assert lowered["data"] == {"user_id": a.me["user_id"]}
        assert called["type"] == "hand.called" and called["seq"] == ack["seq"]


@database_sync_to_async
def stored_chat(live_class: LiveClass, count: int, private_every: int = 0) -> int:
    """`count` chat messages by B that everybody may see, with a private question of B's after
    every `private_every` of them; → the room's last seq before them."""
    room = Room.objects.get(pk=live_class.room_id)
    author = User.objects.get(username=B)
    events, seq = [], room.last_seq
    for number in range(count):
        seq += 1
        data = {"text": f"第{number}条", "author_id": author.pk, "private": False}
        events.append(RoomEvent(room=room, seq=seq, type="chat.message", data=data, author=author))
        if private_every and number % private_every == 0:
            seq += 1
            data = {**data, "text": "悄悄问", "private": True}
            events.append(
                RoomEvent(
                    room=room, seq=seq, type="chat.message", data=data, author=author, private=True
                )
            )
    RoomEvent.objects.bulk_create(events)
    Room.objects.filter(pk=room.pk).update(last_seq=seq)
    return room.last_seq


async def test_missed_counts_the_events_the_reader_may_see(live_class, opened):
    """500 events A may see are replayed although the raw gap is bigger (B's private
    questions are neither sent nor counted); one more and A gets resync instead."""
    assert f"more than {REPLAY_LIMIT} were missed" in DOCUMENT
    await stored_chat(live_class, 1)  # A saw this one (hello with last_seq 0 replays nothing)
    before = await stored_chat(live_class, REPLAY_LIMIT, private_every=100)
    a = await opened(f"/ws/live/{live_class.pk}/", A)
    await a.send("hello", {"last_seq": before})
    state = await next_frame(a)
    assert state["data"]["last_seq"] > before + REPLAY_LIMIT  # the raw gap
    replayed = await frames_until_pong(a)
    assert [frame["type"] for frame in replayed] == ["chat.message"] * REPLAY_LIMIT
    assert not any(frame["data"]["private"] for frame in replayed)

    await stored_chat(live_class, 1)
    again = await opened(f"/ws/live/{live_class.pk}/", A)
    await again.send("hello", {"last_seq": before})
    assert (await next_frame(again))["type"] == "room.state"
    assert [frame["type"] for frame in await frames_until_pong(again)] == ["resync"]


# A study circle


async def test_a_circle_socket_speaks_the_same_envelope(chorus, opened, enter):
    member = await opened(f"/ws/circle/{chorus.pk}/", MEMBER)
    await member.send("hello", {"last_seq": 0})
    state = await next_frame(member)
    assert state["type"] == "room.state"
    assert set(state["data"]) == {"circle", "me", "last_seq", "recent_chat", "more", "presence"}
    assert set(state["data"]["me"]) == {
        "user_id", "name", "moderates", "role", "muted_until", "last_read_seq"
    }  # fmt: skip
    leader = await enter(chorus.pk, LEADER, route="circle")
    await leader.send("chat.send", {"text": "今晚排练"}, id="s-1")
    ack = await leader.receive("ack")
    message = await member.receive("chat.message")
    assert message["seq"] == ack["seq"] and message["data"]["kind"] == "text"
    assert message["ts"].endswith("+00:00")
    await member.send("hand.raise", id="h-1")  # a live class's type: not a circle's
    assert (await member.receive("error"))["code"] == "unknown_type"
    week = 7 * 24 * 60
    mute = {"user_id": state["data"]["me"]["user_id"], "minutes": week + 1}
    await leader.send("member.mute", mute, id="m-1")
    refusal = await leader.receive("error")
    assert (refusal["code"], refusal["ref"]) == ("too_long", "m-1")
    await member.socket.send(b"\x00" * (8 * 1024 + 1))
    assert await closed_with(member, timeout=5) == 4413
