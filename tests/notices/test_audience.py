"""Who a notice reaches, along the institution tree, and when."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from notices.models import NoticePage
from notices.selectors import audience_of, notices_for


def person(login: str) -> User:
    return User.objects.get(username=login)


# Demo retirees: 13500000001 测试一所, 13500000004 测试一所服务站 (under 测试一所),
# 13500000007 测试二所.
FIRST, STATION, SECOND = "13500000001", "13500000004", "13500000007"


def titles_for(login: str) -> list[str]:
    return [notice.title for notice in notices_for(person(login))]


def test_a_center_notice_reaches_every_level_below_it(publish):
    publish("center", "中心的通知")
    for login in (FIRST, STATION, SECOND):
        assert "中心的通知" in titles_for(login)


def test_an_institute_notice_reaches_its_station_but_not_its_sibling(publish):
    publish("first", "测试一所的通知")
    assert "测试一所的通知" in titles_for(FIRST)
    assert "测试一所的通知" in titles_for(STATION)
    assert "测试一所的通知" not in titles_for(SECOND)


def test_chosen_institutions_include_what_is_below_them(publish):
    notice = publish(
        "center",
        "只发测试一所",
        audience=NoticePage.Audience.INSTITUTIONS,
        institutions=["first"],
    )
    assert "只发测试一所" in titles_for(STATION)
    assert "只发测试一所" not in titles_for(SECOND)
    assert set(audience_of(notice).values_list("institution__name", flat=True)) == {
        "测试一所",
        "测试一所服务站",
    }


def test_chosen_retirees_only(publish):
    publish(
        "first", "只发给林志远", audience=NoticePage.Audience.RETIREES, retirees=[person(FIRST)]
    )
    assert "只发给林志远" in titles_for(FIRST)
    assert "只发给林志远" not in titles_for("13500000002")  # same 军休所, not chosen


def test_staff_and_instructors_are_not_the_audience(publish):
    notice = publish("center", "给军休干部的通知")
    assert not audience_of(notice).filter(username__in=["staff_first", "teacher_huang"]).exists()
    assert audience_of(notice).count() == User.objects.filter(role="retiree").count()


def test_pinned_first_then_newest(publish):
    publish("center", "旧的置顶通知", pinned=True)
    publish("center", "较早的通知")
    publish("center", "最新的通知")
    assert titles_for(FIRST)[:3] == ["旧的置顶通知", "最新的通知", "较早的通知"]


def test_a_scheduled_notice_appears_at_its_go_live_time_and_goes_at_expiry(publish):
    notice = publish("center", "下周的通知", publish=False)
    go_live = timezone.now() + datetime.timedelta(days=7)
    notice.go_live_at = go_live
    notice.save_revision().publish()  # scheduled, not live yet
    notice.refresh_from_db()
    assert not notice.live
    assert "下周的通知" not in titles_for(FIRST)

    # A week later the scheduler (Wagtail's publish_scheduled, run every minute) publishes it.
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    scheduled = notice.revisions.get(approved_go_live_at__isnull=False)
    scheduled.approved_go_live_at = a_minute_ago
    scheduled.content["go_live_at"] = a_minute_ago.isoformat()
    scheduled.save()
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert notice.live
    assert "下周的通知" in titles_for(FIRST)

    # After its expiry it is gone for readers at once, even before the scheduler unpublishes it.
    NoticePage.objects.filter(pk=notice.pk).update(
        expire_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "下周的通知" not in titles_for(FIRST)
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert not notice.live
