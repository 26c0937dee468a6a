"""/ws/circle/<id>/ through the real ASGI stack: who gets in, chat, catch-up after a
reconnect, and moderation that reaches every connected member at once."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from circles.models import MessageReport
from rooms.models import RoomEvent
from tests.circles.conftest import LEADER, MEMBER, OTHER_INSTITUTE, person
from tests.live.conftest import connect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("login, code", [(None, 4401), (OTHER_INSTITUTE, 4403), ("jxs2", 4403)])
async def test_who_may_not_enter(chorus, login, code):
    _, connected, close_code = await connect(chorus.pk, login, "circle")
    assert (connected, close_code) == (False, code)


async def test_an_unknown_circle_is_4404(chorus):
    _, connected, code = await connect(chorus.pk + 100, MEMBER, "circle")
    assert (connected, code) == (False, 4404)


async def test_chat_reaches_members_and_a_reconnect_catches_up(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    await leader.send("chat.send", {"text": "周三下午两点练歌"}, id="m-1")
    ack = await leader.receive("ack")
    message = await member.receive("chat.message")
    assert message["seq"] == ack["seq"]
    assert message["data"] | {"author_id": 0} == {
        "kind": "text",
        "text": "周三下午两点练歌",
        "author": "张建国",
        "author_id": 0,
        "role": "圈主",
        "teacher": True,
    }
    # The member drops off; two messages are sent meanwhile; the member comes back.
    await member.close()
    for number, text in enumerate(("带上歌谱", "别迟到")):
        await leader.send("chat.send", {"text": text}, id=f"m-{number + 2}")
        await leader.receive("ack")
    again = await join(chorus, MEMBER)
    await again.send("hello", {"last_seq": message["seq"]})
    await again.receive("room.state")
    missed = await again.receive_types({"chat.message"}, 2)
    assert [frame["data"]["text"] for frame in missed] == ["带上歌谱", "别迟到"]


async def test_a_new_socket_gets_recent_history_and_its_read_position(chorus, join):
    leader = await join(chorus, LEADER)
    await leader.send("chat.send", {"text": "大家好"}, id="h-1")
    await leader.receive("ack")
    member = await join(chorus, MEMBER)
    state = await member.hello()
    assert [f["data"]["text"] for f in state["recent_chat"]] == ["大家好"]
    assert state["me"]["last_read_seq"] == 0 and state["me"]["moderates"] is False
    await member.send("read", {"seq": state["last_seq"]})
    await member.send("ping")
    await member.receive("pong")
    state = await member.hello()
    assert state["me"]["last_read_seq"] == state["last_seq"]


async def test_a_member_cannot_delete_or_mute(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    await leader.send("chat.send", {"text": "第一条"}, id="x-1")
    seq = (await leader.receive("ack"))["seq"]
    await member.send("chat.delete", {"seq": seq}, id="d-1")
    error = await member.receive("error")
    assert error["code"] == "forbidden" and "圈主" in error["message"]
    await member.send("member.mute", {"user_id": 1, "minutes": 60}, id="d-2")
    assert (await member.receive("error"))["code"] == "forbidden"


async def test_the_leader_deletes_and_it_vanishes_for_everyone(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    await member.send("chat.send", {"text": "不合适的话"}, id="bad-1")
    seq = (await member.receive("ack"))["seq"]
    await leader.receive("chat.message")
    await leader.send("chat.delete", {"seq": seq}, id="del-1")
    for socket in (leader, member):
        assert (await socket.receive("chat.deleted"))["data"] == {"seq": seq}
    # Anyone joining later sees it as deleted, not its text.
    late = await join(chorus, "jxs1")
    state = await late.hello()
    assert state["recent_chat"][-1]["data"] == {"deleted": True}


async def test_a_mute_lasts_for_its_period_and_is_lifted(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    member_id = await database_sync_to_async(lambda: person(MEMBER).pk)()
    await leader.send("member.mute", {"user_id": member_id, "minutes": 60}, id="mute-1")
    muted = await member.receive("member.muted")
    assert muted["data"]["muted"] is True and muted["data"]["until"]
    await member.send("chat.send", {"text": "我还能说话吗"}, id="s-1")
    refusal = await member.receive("error")
    assert refusal["code"] == "muted" and "恢复" in refusal["message"]
    await leader.send("member.mute", {"user_id": member_id, "minutes": 0}, id="mute-2")
    assert (await member.receive("member.muted"))["data"]["muted"] is False
    await member.send("chat.send", {"text": "谢谢圈主"}, id="s-2")
    assert (await member.receive("ack"))["seq"]


async def test_a_mute_over_7_days_is_refused_not_shortened(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    member_id = await database_sync_to_async(lambda: person(MEMBER).pk)()
    await leader.send("member.mute", {"user_id": member_id, "minutes": 7 * 24 * 60 + 1}, id="m")
    refusal = await leader.receive("error")
    assert (refusal["code"], refusal["ref"]) == ("too_long", "m") and "7 天" in refusal["message"]
    assert await member.nothing_of("member.muted")
    await leader.send("member.mute", {"user_id": member_id, "minutes": 7 * 24 * 60}, id="m2")
    assert (await member.receive("member.muted"))["data"]["muted"] is True


async def test_a_report_goes_to_staff_whose_decision_reaches_the_room(chorus, join):
    leader, member = await join(chorus, LEADER), await join(chorus, MEMBER)
    await member.send("chat.send", {"text": "广告：保健品特价"}, id="ad-1")
    seq = (await member.receive("ack"))["seq"]
    await leader.send("chat.report", {"seq": seq, "reason": "像是广告"}, id="r-1")
    await leader.receive("ack")
    await leader.send("chat.report", {"seq": seq, "reason": "再报一次"}, id="r-2")
    await leader.receive("ack")

    def staff_decides(login: str) -> str:
        client = Client()
        client.force_login(person(login))
        listing = client.get("/admin/circle-reports/").content.decode()
        report = MessageReport.objects.get()
        assert ("广告：保健品特价" in listing) is (login == "jxs1")
        client.post(f"/admin/circle-reports/{report.pk}/", {"outcome": "muted"})
        return MessageReport.objects.get().outcome

    # 第二军休所's staff neither see it nor can act on it (the admin refuses with a redirect).
    assert await database_sync_to_async(staff_decides)("jxs2") == "open"
    assert await database_sync_to_async(staff_decides)("jxs1") == "muted"
    assert (await leader.receive("chat.deleted"))["data"] == {"seq": seq}
    muted = await member.receive("member.muted")
    assert muted["data"]["name"] == "李秀英" and muted["data"]["muted"] is True
    report = await database_sync_to_async(MessageReport.objects.get)()
    assert report.outcome == "muted" and report.reason == "像是广告"
    deleted = await database_sync_to_async(
        RoomEvent.objects.filter(room_id=chorus.room_id, seq=seq, deleted=True).exists
    )()
    assert deleted
