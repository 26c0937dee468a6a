"""Attendance against the roster: minutes present from join/leave intervals, and a status."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from live.selectors import attendance_of, classes_today_for, doors_open
from rooms import services as room_services
from rooms.models import Presence
from rooms.selectors import presence_of
from tests.live.conftest import make_class

START = timezone.make_aware(datetime.datetime(2026, 12, 2, 9, 0))
END = START + datetime.timedelta(minutes=60)


@pytest.fixture
def nine_oclock_class(live_class):
    live_class.starts_at, live_class.ends_at = START, END
    live_class.save()
    return live_class


def was_here(live_class, login: str, start_minute: int, end_minute: int | None) -> None:
    Presence.objects.create(
        room=live_class.room,
        user=User.objects.get(username=login),
        channel_name=f"{login}-{start_minute}",
        joined_at=START + datetime.timedelta(minutes=start_minute),
        left_at=None if end_minute is None else START + datetime.timedelta(minutes=end_minute),
    )


def test_minutes_merge_overlapping_tabs_and_reconnects_and_clip_to_the_class(nine_oclock_class):
    c = nine_oclock_class
    was_here(c, "13900000001", -10, 30)  # came early: counts from 9:00
    was_here(c, "13900000001", 20, 40)  # a second tab overlapping the first
    was_here(c, "13900000001", 45, 75)  # reconnected; stayed after the end
    rows = {row.retiree.username: row for row in attendance_of(c, now=END)}
    assert rows["13900000001"].minutes == 40 + 15
    assert rows["13900000001"].status == "出勤"
    assert rows["13900000002"].minutes == 0
    assert rows["13900000002"].status == "缺勤"


@pytest.mark.parametrize(
    "start, end, status",
    [
        (0, 60, "出勤"),
        (9, 60, "出勤"),  # within the 10 minutes
        (15, 60, "迟到"),
        (0, 45, "早退"),
        (0, 5, "缺勤"),  # under a fifth of the class
        (30, None, "迟到"),  # still in the room when the class ended
    ],
)
def test_status_thresholds(nine_oclock_class, start, end, status):
    was_here(nine_oclock_class, "13900000001", start, end)
    row = next(
        r for r in attendance_of(nine_oclock_class, now=END) if r.retiree.username == "13900000001"
    )
    assert row.status == status


def test_absentees_come_first(nine_oclock_class):
    was_here(nine_oclock_class, "13900000001", 0, 60)
    rows = attendance_of(nine_oclock_class, now=END)
    assert [row.status for row in rows] == ["缺勤", "出勤"]


def test_todays_classes_and_doors_open_fifteen_minutes_before(live_class):
    retiree = User.objects.get(username="13900000001")
    assert [c.title for c in classes_today_for(retiree)] == ["楷书横画"]
    assert classes_today_for(User.objects.get(username="13900000007")) == []
    later = make_class(
        starts_at=timezone.now() + datetime.timedelta(minutes=20),
        ends_at=timezone.now() + datetime.timedelta(minutes=80),
    )
    assert not doors_open(later)
    assert doors_open(later, now=later.starts_at - datetime.timedelta(minutes=15))
    assert doors_open(live_class)


def test_presence_of_a_dead_process_ends_when_it_was_last_seen(live_class, settings):
    """A Daphne killed with SIGKILL never closes its sockets' rows; the heartbeat of a live
    process ends them at their last sign of life, and attendance counts only until then."""
    settings.LIVE_PRESENCE_STALE_SECONDS = 90
    retiree, other = (
        User.objects.get(username="13900000001"),
        User.objects.get(username="13900000002"),
    )
    alive = room_services.record_join(live_class.room_id, other, "socket.alive")
    dead = room_services.record_join(live_class.room_id, retiree, "socket.dead")
    last_seen = timezone.now() - datetime.timedelta(minutes=3)
    Presence.objects.filter(pk=dead.pk).update(joined_at=live_class.starts_at, seen_at=last_seen)
    assert [row.minutes for row in attendance_of(live_class) if row.retiree == retiree] == [
        round((last_seen - live_class.starts_at).total_seconds() / 60)
    ]

    changed = room_services.keep_presences_alive(["socket.alive"], [live_class.room_id])
    assert changed == [live_class.room_id]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.left_at == last_seen and alive.left_at is None
    assert alive.seen_at > last_seen
    assert presence_of(live_class.room_id)["count"] == 1
    assert room_services.keep_presences_alive(["socket.alive"], [live_class.room_id]) == []
