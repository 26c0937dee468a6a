"""History pages as the reader scrolls up, and unread counts on the circle list and 我的."""

import pytest

from circles import services as circle_services
from circles.selectors import circles_of, total_unread
from tests.circles.conftest import LEADER, MEMBER, person

pytestmark = pytest.mark.django_db


def say(circle, login: str, text: str):
    return circle_services.send_circle_chat(circle, person(login), text, "")


def test_history_comes_newest_last_in_pages_of_30(chorus, client_as):
    for number in range(1, 76):
        say(chorus, LEADER, f"第{number}条")
    reader = client_as(MEMBER)
    newest = reader.get(f"/circles/{chorus.pk}/messages/").json()
    texts = [frame["data"]["text"] for frame in newest["messages"]]
    assert texts == [f"第{n}条" for n in range(46, 76)] and newest["more"] is True

    before = newest["messages"][0]["seq"]
    older = reader.get(f"/circles/{chorus.pk}/messages/?before={before}").json()
    assert [f["data"]["text"] for f in older["messages"]] == [f"第{n}条" for n in range(16, 46)]
    oldest = reader.get(
        f"/circles/{chorus.pk}/messages/?before={older['messages'][0]['seq']}"
    ).json()
    assert [f["data"]["text"] for f in oldest["messages"]] == [f"第{n}条" for n in range(1, 16)]
    assert oldest["more"] is False
    assert reader.get(f"/circles/{chorus.pk}/messages/?before=abc").status_code == 200


def test_unread_counts_others_messages_since_last_read(chorus, client_as):
    for text in ("大家好", "周三练歌", "别忘了带歌谱"):
        say(chorus, LEADER, text)
    say(chorus, MEMBER, "收到")  # one's own message is not unread, and reading up to it…
    member = person(MEMBER)
    assert [(row.circle.name, row.unread) for row in circles_of(member)] == [("合唱爱好者", 0)]

    deleted = say(chorus, LEADER, "发错了")
    for text in ("第一", "第二"):
        say(chorus, LEADER, text)
    circle_services.delete_circle_message(chorus, person(LEADER), deleted.seq)
    assert total_unread(member) == 2  # the deleted one does not count
    assert "2 条新消息" in client_as(MEMBER).get("/circles/").content.decode()
    assert "2 条新消息" in client_as(MEMBER).get("/me/").content.decode()

    circle_services.mark_read(chorus, member, 10_000)  # past the end: clamped, not broken
    assert total_unread(member) == 0
    circle_services.mark_read(chorus, member, 1)  # never backwards
    assert total_unread(member) == 0
    assert "新消息" not in client_as(MEMBER).get("/me/").content.decode()


def test_a_new_member_does_not_inherit_old_messages_as_unread(chorus):
    say(chorus, LEADER, "老消息")
    applicant = person("13900000012")
    circle_services.apply_to_join(chorus, applicant)
    circle_services.decide_application(chorus, person(LEADER), applicant.pk, True)
    assert total_unread(applicant) == 0
    say(chorus, LEADER, "欢迎新朋友")
    assert total_unread(applicant) == 1
