"""上课提醒: the evening before from 19:00 Beijing time and in the last 15 minutes, once per
person and class, in plain words, only for courses with reminders on; days are Beijing days
(a class at 8:00 on 12月2日 in Beijing is still 12月1日 in UTC)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Notification
from courses.models import CoursePage
from live.services import send_class_reminders

from .conftest import make_class

BEIJING = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BEIJING)


def told(live_class, when: str) -> list[Notification]:
    return list(
        Notification.objects.filter(
            kind="class_reminder", about=f"live_class:{live_class.pk}:{when}"
        ).select_related("user")
    )


@pytest.fixture
def early_class(demo_site):
    """8:00 on 12月2日 Beijing time: 00:00 UTC, the same UTC day as 12月1日 19:00 Beijing."""
    return make_class(starts_at=at(12, 2, 8), ends_at=at(12, 2, 9))


def test_the_evening_before_from_seven_beijing_time(early_class):
    send_class_reminders(now=at(12, 1, 18, 59))
    assert told(early_class, "evening") == []
    send_class_reminders(now=at(12, 1, 19))
    evening = told(early_class, "evening")
    assert {n.user.username for n in evening} == {"13900000001", "13900000002"}
    assert evening[0].text.startswith("上课提醒：明天 上午8:00上《书法入门》——楷书横画")
    assert evening[0].url == f"/live/{early_class.pk}/"
    # Every minute until midnight the job runs again: nobody is told twice.
    send_class_reminders(now=at(12, 1, 19, 1))
    send_class_reminders(now=at(12, 1, 23, 59))
    assert len(told(early_class, "evening")) == 2


def test_a_quarter_of_an_hour_before(early_class):
    send_class_reminders(now=at(12, 2, 7, 44))
    assert told(early_class, "soon") == []
    send_class_reminders(now=at(12, 2, 7, 45))
    send_class_reminders(now=at(12, 2, 7, 50))
    soon = told(early_class, "soon")
    assert len(soon) == 2
    assert soon[0].text.startswith("上课提醒：今天 上午8:00上《书法入门》")
    send_class_reminders(now=at(12, 2, 8, 1))  # started: nothing more
    assert len(told(early_class, "soon")) == 2


def test_just_after_midnight_is_tomorrow_in_the_evening_and_the_quarter_hour_before(demo_site):
    late = make_class(starts_at=at(12, 2, 0, 5), ends_at=at(12, 2, 1))
    send_class_reminders(now=at(12, 1, 19))
    assert told(late, "evening")[0].text.startswith("上课提醒：明天 凌晨0:05")
    send_class_reminders(now=at(12, 1, 23, 55))
    assert told(late, "soon")[0].text.startswith("上课提醒：明天 凌晨0:05")


def test_the_day_after_tomorrow_in_beijing_is_not_tomorrow(demo_site):
    """7:00 on 12月3日 Beijing is 23:00 on 12月2日 UTC: the UTC date says tomorrow, Beijing
    says the day after, and Beijing is right."""
    next_but_one = make_class(starts_at=at(12, 3, 7), ends_at=at(12, 3, 8))
    send_class_reminders(now=at(12, 1, 19))
    assert told(next_but_one, "evening") == []
    send_class_reminders(now=at(12, 2, 19))
    assert len(told(next_but_one, "evening")) == 2


def test_staff_can_turn_reminders_off_for_a_course(early_class):
    CoursePage.objects.filter(pk=early_class.course_id).update(class_reminders=False)
    send_class_reminders(now=at(12, 1, 19))
    send_class_reminders(now=at(12, 2, 7, 50))
    assert told(early_class, "evening") == told(early_class, "soon") == []
