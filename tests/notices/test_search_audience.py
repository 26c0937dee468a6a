"""Notices in the site's search follow the notice pages' audience rule: a notice for someone
else is never found, nor counted."""

import datetime

from django.test import Client
from django.utils import timezone

from accounts.models import User
from notices.models import NoticePage
from search.selectors import search

# Demo retirees: 13500000001 测试一所, 13500000004 测试一所服务站 (under 测试一所),
# 13500000007 测试二所.
FIRST, STATION, SECOND = "13500000001", "13500000004", "13500000007"


def person(login: str) -> User:
    return User.objects.get(username=login)


def notice_count(login: str, query: str) -> int:
    found = search(query, user=person(login), kinds=["notice"])
    return found.groups[0].total


def page_for(login: str, query: str) -> str:
    client = Client()
    client.force_login(person(login))
    return client.get("/search/", {"q": query}).content.decode()


def test_a_sibling_institutes_retiree_never_finds_nor_counts_it(publish):
    publish("first", "防汛演练安排", summary="测试一所防汛演练")
    assert notice_count(FIRST, "防汛") == 1
    assert notice_count(STATION, "防汛") == 1
    assert notice_count(SECOND, "防汛") == 0
    html = page_for(SECOND, "防汛")
    assert "防汛演练" not in html and "条通知" not in html and "没有找到" in html
    assert "找到 1 条通知" in page_for(FIRST, "防汛")


def test_chosen_retirees_only(publish):
    publish(
        "first", "体检复查提醒", audience=NoticePage.Audience.RETIREES, retirees=[person(FIRST)]
    )
    assert notice_count(FIRST, "体检复查") == 1
    assert notice_count("13500000002", "体检复查") == 0  # same 军休所, not chosen


def test_no_notice_for_a_visitor_or_after_unpublishing(publish, client):
    notice = publish("center", "供暖通知")
    assert "供暖通知" not in client.get("/search/", {"q": "供暖"}).content.decode()
    assert notice_count(FIRST, "供暖") == 1
    notice.unpublish()
    assert notice_count(FIRST, "供暖") == 0


def test_a_draft_or_scheduled_notice_is_not_found(publish):
    publish("center", "尚未发布的通知", publish=False, live=False)
    publish("center", "明天发布的通知", go_live_at=timezone.now() + datetime.timedelta(days=1))
    assert notice_count(FIRST, "尚未发布") == 0
    assert notice_count(FIRST, "明天发布") == 0


def test_newer_first_among_equals(publish):
    publish("center", "重阳节活动")
    publish("center", "重阳节活动安排")
    found = search("重阳节", user=person(FIRST), kinds=["notice"])
    titles = [str(hit.title) for hit in found.groups[0].hits]
    assert titles[0].endswith("活动安排")
