"""/ws/live/<id>/ through the real ASGI stack, for every message type, permission and error."""

import json

import pytest
from channels.db import database_sync_to_async

from live.models import LiveClass, PollVote
from rooms.models import RoomEvent
from tests.live.conftest import connect

pytestmark = pytest.mark.django_db(transaction=True)

A, B, OUTSIDER = "13900000001", "13900000002", "13900000007"  # B enrolled; OUTSIDER is not


@pytest.mark.parametrize(
    "login, code",
    [(None, 4401), (OUTSIDER, 4403), ("jxs2", 4403), ("zhouyaqin", 4403)],
)
async def test_who_may_not_enter(live_class, login, code):
    _, connected, close_code = await connect(live_class.pk, login)
    assert (connected, close_code) == (False, code)


async def test_unknown_class_is_4404(live_class):
    _, connected, code = await connect(live_class.pk + 1000, A)
    assert (connected, code) == (False, 4404)


@pytest.mark.parametrize("login, teacher", [(A, False), ("liushuwen", True), ("jxs1", True)])
async def test_enrolled_retirees_instructor_and_own_staff_enter(live_class, join, login, teacher):
    socket = await join(live_class, login)
    state = await socket.hello()
    assert state["me"]["teacher"] is teacher
    assert state["class"]["title"] == "楷书横画"
    await socket.close()


async def test_chat_is_stored_then_broadcast_and_a_resend_is_stored_once(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await a.send("chat.send", {"text": "老师好！"}, id="c-1")
    ack = await a.receive("ack")
    assert ack["ref"] == "c-1" and ack["seq"] >= 1
    for socket in (a, b, teacher):
        message = await socket.receive("chat.message")
        assert message["seq"] == ack["seq"]
        assert message["data"]["text"] == "老师好！"
        assert message["data"]["author"] == "张建国"

    await a.send("chat.send", {"text": "老师好！"}, id="c-1")  # the same message, resent
    again = await a.receive("ack")
    assert again["seq"] == ack["seq"]
    assert await b.nothing_of("chat.message")
    count = await database_sync_to_async(
        RoomEvent.objects.filter(room_id=live_class.room_id, type="chat.message").count
    )()
    assert count == 1


async def test_a_private_question_reaches_only_the_teacher(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await a.send("chat.send", {"text": "这个字怎么写？", "private": True}, id="q-1")
    question = await teacher.receive("chat.message")
    assert question["data"]["private"] is True
    assert (await a.receive("chat.message"))["seq"] == question["seq"]
    assert await b.nothing_of("chat.message")
    assert (await b.hello())["recent_chat"] == []


async def test_reconnect_replays_what_was_missed_in_order_without_duplicates(live_class, join):
    a, b = await join(live_class, A), await join(live_class, B)
    await a.send("chat.send", {"text": "第一条"}, id="m1")
    seen = (await a.receive("chat.message"))["seq"]
    await a.close()  # A's connection drops

    for number in range(2, 5):
        await b.send("chat.send", {"text": f"第{number}条"}, id=f"b{number}")
        await b.receive("ack")
    socket, connected, _ = await connect(live_class.pk, A)
    assert connected
    await socket.send("hello", {"last_seq": seen})
    await socket.receive("room.state")
    missed = await socket.receive_types({"chat.message"}, 3)
    assert [m["data"]["text"] for m in missed] == ["第2条", "第3条", "第4条"]
    assert [m["seq"] for m in missed] == sorted({m["seq"] for m in missed})
    assert all(m["seq"] > seen for m in missed)
    assert await socket.nothing_of("chat.message")
    await socket.close()


async def test_a_gap_too_old_to_replay_asks_for_resync(live_class, join, monkeypatch):
    monkeypatch.setattr("live.selectors.REPLAY_LIMIT", 1)
    b = await join(live_class, B)
    for number in range(3):
        await b.send("chat.send", {"text": f"消息{number}"}, id=f"x{number}")
        await b.receive("ack")
    socket, _, _ = await connect(live_class.pk, A)
    await socket.send("hello", {"last_seq": 1})  # two messages missed, one can be replayed
    state = await socket.receive("room.state")
    assert [m["data"]["text"] for m in state["data"]["recent_chat"]] == ["消息0", "消息1", "消息2"]
    await socket.receive("resync")
    await socket.close()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "bad_json"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "chat.send", "data": {"text": ""}}', "invalid"),
        ('{"type": "chat.send", "data": {"text": 42}}', "invalid"),
        ('{"type": "chat.send", "data": {"text": "' + "长" * 501 + '"}}', "too_long"),
        ('{"type": "hello", "data": {"last_seq": -1}}', "invalid"),
        ('{"type": "poll.vote", "data": {"poll_id": "1", "option": 0}}', "invalid"),
        ("[1, 2, 3]", "invalid"),
        ('{"type": "slide.go", "data": {"page": 0}}', "forbidden"),
        ('{"type": "chat.delete", "data": {"seq": 1}}', "forbidden"),
    ],
)
async def test_bad_frames_get_an_error_and_change_nothing(live_class, join, raw, code):
    a, b = await join(live_class, A), await join(live_class, B)
    await a.send_raw(raw)
    error = await a.receive("error")
    assert error["code"] == code and error["message"]
    assert await b.nothing_of("chat.message", wait=0.2)
    await a.send("chat.send", {"text": "我还在"}, id="ok")  # the socket still works
    assert (await b.receive("chat.message"))["data"]["text"] == "我还在"


async def test_binary_frames_are_refused_and_huge_frames_close_4413(live_class, join):
    a = await join(live_class, A)
    await a.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await a.receive("error"))["code"] == "binary"
    await a.send_raw(json.dumps({"type": "chat.send", "data": {"text": "字" * 5000}}))
    closed = await a.communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4413}


@pytest.mark.parametrize("size, closes", [(8192, False), (8193, True)])
async def test_a_binary_frame_over_8_kb_closes_4413_like_a_text_one(live_class, join, size, closes):
    a = await join(live_class, A)
    await a.communicator.send_to(bytes_data=b"\x00" * size)
    output = await a.communicator.receive_output(timeout=3)
    if closes:
        assert output == {"type": "websocket.close", "code": 4413}
    else:
        assert json.loads(output["text"])["code"] == "binary"


async def test_a_flood_is_rate_limited(live_class, join):
    a = await join(live_class, A)
    for number in range(15):
        await a.send("chat.send", {"text": f"刷屏{number}"}, id=f"f{number}")
    error = await a.receive("error")
    assert error["code"] == "rate_limited"


async def test_teacher_deletes_a_message_for_everyone(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await a.send("chat.send", {"text": "不该说的话"}, id="d1")
    seq = (await b.receive("chat.message"))["seq"]
    await teacher.send("chat.delete", {"seq": seq}, id="del")
    for socket in (a, b):
        deleted = await socket.receive("chat.deleted")
        assert deleted["data"]["seq"] == seq
    state = await b.hello()
    assert state["recent_chat"][-1]["data"] == {"deleted": True}


async def test_mute_one_and_mute_all(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    a_id = (await a.hello())["me"]["user_id"]
    await teacher.send("member.mute", {"user_id": a_id, "muted": True}, id="m")
    await a.receive("member.muted")
    await a.send("chat.send", {"text": "我想说"}, id="a1")
    assert (await a.receive("error"))["code"] == "muted"

    await teacher.send("room.mute", {"muted": True}, id="all")
    await b.receive("room.muted")
    await b.send("chat.send", {"text": "大家好"}, id="b1")
    assert (await b.receive("error"))["code"] == "muted"
    await b.send("chat.send", {"text": "悄悄问一句", "private": True}, id="b2")
    assert (await teacher.receive("chat.message"))["data"]["text"] == "悄悄问一句"


async def test_a_removed_participant_is_closed_with_4408_and_cannot_come_back(live_class, join):
    a, teacher = await join(live_class, A), await join(live_class, "liushuwen")
    a_id = (await a.hello())["me"]["user_id"]
    await a.send("hand.raise", id="h")
    await teacher.receive("hand.raised")
    await teacher.send("member.remove", {"user_id": a_id}, id="r")
    lowered, _ = await teacher.receive_types({"hand.lowered", "member.removed"}, 2)
    assert (lowered["type"], lowered["data"]) == ("hand.lowered", {"user_id": a_id})
    while True:
        output = await a.communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4408
    _, connected, code = await connect(live_class.pk, A)
    assert (connected, code) == (False, 4408)


async def test_hands_raise_call_and_lower(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await a.send("hand.raise", id="h")
    raised = await teacher.receive("hand.raised")
    assert raised["data"]["name"] == "张建国"
    assert [h["name"] for h in (await teacher.hello())["hands"]] == ["张建国"]
    assert (await b.hello())["hands"] == []  # others see a count, not the queue
    await teacher.send("hand.call", {"user_id": raised["data"]["user_id"]}, id="c")
    ack = await teacher.receive("ack")
    for socket in (a, b, teacher):
        # The hand goes down for every page that shows it, then everybody sees who is called.
        lowered, called = await socket.receive_types({"hand.lowered", "hand.called"}, 2)
        assert lowered["type"] == "hand.lowered" and called["type"] == "hand.called"
        assert lowered["data"] == {"user_id": raised["data"]["user_id"]}
        assert called["data"]["name"] == "张建国" and called["seq"] == lowered["seq"] + 1
    assert ack["seq"] == called["seq"]  # the seq of hand.called
    assert (await teacher.hello())["hands"] == []
    # Called on with no hand up: only hand.called.
    await teacher.send("hand.call", {"user_id": raised["data"]["user_id"]}, id="c2")
    assert (await b.receive_types({"hand.lowered", "hand.called"}, 1))[0]["type"] == "hand.called"

    await b.send("hand.raise", id="h2")
    await teacher.receive("hand.raised")
    await b.send("hand.lower", id="l2")
    await teacher.receive("hand.lowered")
    assert (await teacher.hello())["hands"] == []


async def test_slides_are_synced_and_a_late_joiner_sees_the_current_page(live_class, join):
    await database_sync_to_async(LiveClass.objects.filter(pk=live_class.pk).update)(
        slide_images=["/media/slides/1.png", "/media/slides/2.png"]
    )
    a, teacher = await join(live_class, A), await join(live_class, "liushuwen")
    await teacher.send("slide.go", {"page": 1}, id="s")
    changed = await a.receive("slide.changed")
    assert changed["data"] == {"page": 1, "image": "/media/slides/2.png", "pages": 2}
    await teacher.send("slide.go", {"page": 5}, id="s5")
    assert (await teacher.receive("error"))["code"] == "invalid"
    late = await join(live_class, B)
    assert (await late.hello())["slides"] == {"pages": 2, "page": 1, "image": "/media/slides/2.png"}


async def test_a_poll_counts_one_vote_each_and_shows_live_results(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await teacher.send(
        "poll.open", {"question": "今天的课听懂了吗？", "options": ["听懂了", "还要再讲"]}, id="p"
    )
    opened = await a.receive("poll.opened")
    poll_id = opened["data"]["poll_id"]
    await a.send("poll.vote", {"poll_id": poll_id, "option": 0}, id="v1")
    results = await b.receive("poll.results")
    assert results["data"]["counts"] == [1, 0]
    await a.send("poll.vote", {"poll_id": poll_id, "option": 1}, id="v2")
    assert (await a.receive("error"))["code"] == "already_voted"
    await b.send("poll.vote", {"poll_id": poll_id, "option": 1}, id="v3")
    results = await teacher.receive_types({"poll.results"}, 2)  # after A's vote, after B's
    assert [r["data"]["counts"] for r in results] == [[1, 0], [1, 1]]
    await teacher.send("poll.close", {"poll_id": poll_id}, id="pc")
    closed = await a.receive("poll.closed")
    assert closed["data"]["counts"] == [1, 1] and closed["data"]["open"] is False
    await b.send("poll.vote", {"poll_id": poll_id, "option": 0}, id="v4")
    assert (await b.receive("error"))["code"] == "closed"
    await b.send("poll.vote", {"poll_id": poll_id + 1000, "option": 0}, id="v5")
    missing = await b.receive("error")
    assert (missing["code"], missing["ref"]) == ("not_found", "v5")
    assert await database_sync_to_async(PollVote.objects.count)() == 2
    assert (await a.hello())["poll"]["my_vote"] == 0


async def test_presence_counts_people_and_names_them_for_the_teacher(live_class, join):
    teacher = await join(live_class, "liushuwen")
    a = await join(live_class, A)
    while True:
        presence = (await teacher.receive("presence"))["data"]
        if presence["count"] == 2:
            break
    assert {p["name"] for p in presence["people"]} == {"刘书文", "张建国"}
    others = (await a.receive("presence"))["data"]
    assert "people" not in others


async def test_the_teacher_starts_and_ends_the_class(live_class, join):
    a, teacher = await join(live_class, A), await join(live_class, "liushuwen")
    await teacher.send("class.start", id="go")
    assert (await a.receive("class.started"))["data"]["state"] == "live"
    await teacher.send("class.end", id="end")
    assert (await a.receive("class.ended"))["data"]["state"] == "ended"


async def chat_texts(socket, count: int) -> tuple[list[str], list[str]]:
    """The first `count` chat texts a socket receives, and the frame types they came in."""
    texts, kinds = [], []
    while len(texts) < count:
        [frame] = await socket.receive_types({"chat.message", "batch"}, 1)
        kinds.append(frame["type"])
        inner = frame["frames"] if frame["type"] == "batch" else [frame]
        texts += [each["data"]["text"] for each in inner]
    return texts, kinds


async def test_a_busy_room_merges_chat_into_batches(live_class, join, monkeypatch):
    monkeypatch.setattr("rooms.fanout.BUSY_ROOM", 2)
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    for number in range(3):
        await a.send("chat.send", {"text": f"第{number}句"}, id=f"busy{number}")
    await a.send("chat.send", {"text": "只给老师", "private": True}, id="busy-private")
    # The first goes at once (a quiet room waits for nothing); what follows within the
    # interval arrives merged.
    received, kinds = await chat_texts(b, 3)
    assert received == ["第0句", "第1句", "第2句"]
    assert kinds == ["chat.message", "batch"]
    teacher_saw, _ = await chat_texts(teacher, 4)
    assert teacher_saw[-1] == "只给老师"
    assert await b.nothing_of("batch")


async def test_video_signals_pass_between_teacher_and_one_participant(live_class, join):
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    a_id, teacher_id = (await a.hello())["me"]["user_id"], (await teacher.hello())["me"]["user_id"]
    await a.send("rtc.signal", {"kind": "request", "to": None, "payload": {"audio_only": True}})
    request = await teacher.receive("rtc.signal")
    assert request["data"] == {
        "kind": "request",
        "to": None,
        "payload": {"audio_only": True},
        "from": a_id,
    }
    assert await b.nothing_of("rtc.signal")
    await teacher.send("rtc.signal", {"kind": "offer", "to": a_id, "payload": {"sdp": "v=0"}})
    assert (await a.receive("rtc.signal"))["data"]["payload"] == {"sdp": "v=0"}
    assert await b.nothing_of("rtc.signal")
    await a.send("rtc.signal", {"kind": "answer", "to": teacher_id, "payload": {"sdp": "v=0"}})
    assert (await teacher.receive("rtc.signal"))["data"]["kind"] == "answer"
    # With an id, a relayed signal is acknowledged (nothing stored: no seq).
    await a.send("rtc.signal", {"kind": "ice", "to": teacher_id, "payload": {}}, id="ice-1")
    assert await a.receive("ack") == {"type": "ack", "ref": "ice-1", "seq": None}
    # A retiree cannot signal another retiree, nor send an unknown kind; the refusal names
    # the frame it answers.
    b_id = (await b.hello())["me"]["user_id"]
    await a.send("rtc.signal", {"kind": "offer", "to": b_id, "payload": {}}, id="x")
    forbidden = await a.receive("error")
    assert (forbidden["code"], forbidden["ref"]) == ("forbidden", "x")
    await a.send("rtc.signal", {"kind": "dance", "to": None}, id="y")
    assert (await a.receive("error"))["code"] == "invalid"
    assert await b.nothing_of("rtc.signal")


async def test_browser_video_stops_at_the_configured_size(live_class, join, settings):
    settings.LIVE_WEBRTC_MAX_PARTICIPANTS = 1
    a, b, teacher = [await join(live_class, who) for who in (A, B, "liushuwen")]
    await a.send("rtc.signal", {"kind": "request", "to": None, "payload": {}}, id="v")
    full = await a.receive("error")
    assert (full["code"], full["ref"]) == ("video_full", "v")
    assert await teacher.nothing_of("rtc.signal")
