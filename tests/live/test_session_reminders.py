"""上课提醒 for the in-person sessions of a course (its weekly 时间地点, within the term): the
evening before from 19:00 Beijing time and in the last 15 minutes, saying what, when and
where; once per person and session; not for online-only courses, nor when staff turned
reminders off, nor twice when a live class of the course starts at the same time."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Notification, User
from courses.models import CoursePage, Enrollment
from live.services import send_class_reminders

from .conftest import make_class

BEIJING = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def calligraphy(demo_site) -> CoursePage:
    """书法入门: 线上线下融合, Wednesdays 9:00 at 第一军休所 活动室; 12月2日 2026 is a Wednesday.
    13900000001 and 02 enrolled, 03 on the waiting list."""
    course = CoursePage.objects.get(title="书法入门")
    assert (course.weekday, course.starts_at, course.mode) == (2, datetime.time(9), "blended")
    now = at(11, 20, 10)
    for login, status in (("13900000001", "enrolled"), ("13900000002", "enrolled")):
        Enrollment.objects.update_or_create(
            course=course,
            retiree=User.objects.get(username=login),
            defaults={"status": status, "queued_at": now},
        )
    Enrollment.objects.update_or_create(
        course=course,
        retiree=User.objects.get(username="13900000003"),
        defaults={"status": "waitlisted", "queued_at": now},
    )
    return course


def told(course: CoursePage, when: str, start: str = "202612020900") -> list[Notification]:
    return list(
        Notification.objects.filter(
            kind="class_reminder", about=f"course_session:{course.pk}:{start}:{when}"
        ).select_related("user")
    )


def test_the_evening_before_says_what_when_and_where(calligraphy):
    send_class_reminders(now=at(12, 1, 18, 59))
    assert told(calligraphy, "evening") == []
    send_class_reminders(now=at(12, 1, 19))
    evening = told(calligraphy, "evening")
    assert {n.user.username for n in evening} == {"13900000001", "13900000002"}
    text = "上课提醒：明天 上午9:00上《书法入门》，在第一军休所 活动室。请按时到。"
    assert evening[0].text == text
    assert evening[0].url == calligraphy.url
    send_class_reminders(now=at(12, 1, 19, 1))  # the job runs every minute
    send_class_reminders(now=at(12, 1, 23, 59))
    assert len(told(calligraphy, "evening")) == 2


def test_a_quarter_of_an_hour_before_and_not_after_the_start(calligraphy):
    send_class_reminders(now=at(12, 2, 8, 44))
    assert told(calligraphy, "soon") == []
    send_class_reminders(now=at(12, 2, 8, 45))
    send_class_reminders(now=at(12, 2, 8, 59))
    soon = told(calligraphy, "soon")
    assert len(soon) == 2 and soon[0].text.startswith("上课提醒：今天 上午9:00上《书法入门》，在")
    send_class_reminders(now=at(12, 2, 9, 1))
    assert len(told(calligraphy, "soon")) == 2


def test_next_weeks_session_is_a_new_reminder(calligraphy):
    send_class_reminders(now=at(12, 1, 19))
    send_class_reminders(now=at(12, 8, 19))
    assert len(told(calligraphy, "evening")) == 2
    assert len(told(calligraphy, "evening", start="202612090900")) == 2


def test_no_session_reminder_outside_the_term_online_courses_or_when_turned_off(calligraphy):
    term = calligraphy.term
    type(term).objects.filter(pk=term.pk).update(ends_on=datetime.date(2026, 12, 1))
    send_class_reminders(now=at(12, 1, 19))
    assert told(calligraphy, "evening") == []

    type(term).objects.filter(pk=term.pk).update(ends_on=datetime.date(2027, 1, 20))
    CoursePage.objects.filter(pk=calligraphy.pk).update(mode="online")
    send_class_reminders(now=at(12, 1, 19))
    assert told(calligraphy, "evening") == []

    CoursePage.objects.filter(pk=calligraphy.pk).update(mode="offline", class_reminders=False)
    send_class_reminders(now=at(12, 1, 19))
    send_class_reminders(now=at(12, 2, 8, 50))
    assert told(calligraphy, "evening") == told(calligraphy, "soon") == []


def test_a_live_class_at_the_same_time_is_reminded_once(calligraphy):
    live = make_class(starts_at=at(12, 2, 9), ends_at=at(12, 2, 10))
    send_class_reminders(now=at(12, 1, 19))
    assert told(calligraphy, "evening") == []
    live_told = Notification.objects.filter(about=f"live_class:{live.pk}:evening")
    assert live_told.count() == 2
