"""Issue 21, the parts a test client can see: one meaning of 已读 for a notice, every lesson
leads on, 选课 in 长辈模式's navigation, no doubled labels, the site's icon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.utils.html import strip_tags

from accounts.models import Notification, User
from accounts.services import notify_user
from courses.models import CoursePage, LessonPage
from courses.services import enroll_retiree
from live.demo import load_demo_live_classes
from notices.models import NoticePage

RETIREE = "13900000002"  # 李秀英: has not read the older notices


def reminder_statuses(html: str) -> dict[str, str]:
    """我的提醒 on 我的: each reminder's text → 未读 or 已读."""
    section = html.split('id="notice-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<li>(.*?)</li>", section, re.S)
    statuses = {}
    for row in rows:
        status, text = re.match(r"\s*<\S+ class=\"tag[^\"]*\">(\S+)</\S+>(.*)", row, re.S).groups()
        statuses[strip_tags(text).strip()] = status
    return statuses


def unread_on_notices_page(client) -> set[str]:
    html = client.get("/notices/").content.decode()
    items = re.findall(r'class="notice-item.*?</li>', html, re.S)
    return {strip_tags(item) for item in items if "未读" in strip_tags(item)}


def test_a_notices_reminder_is_unread_exactly_while_the_notice_is(demo_site, client_as):
    client = client_as(RETIREE)
    retiree = User.objects.get(username=RETIREE)
    notice = NoticePage.objects.get(slug="winter-heating")
    reminder = Notification.objects.get(user=retiree, kind="notice", url=notice.url)
    # Put away from the reminder line (the old banner's 知道了), the notice still not opened.
    client.post(f"/accounts/notifications/{reminder.pk}/dismiss/", {"next": "/me/"})

    unread_notices = unread_on_notices_page(client)
    statuses = reminder_statuses(client.get("/me/").content.decode())
    checked = 0
    for page in NoticePage.objects.live():
        for text in [t for t in statuses if t.endswith("：" + page.title)]:
            on_notices = "未读" if any(page.title in item for item in unread_notices) else "已读"
            assert statuses[text] == on_notices, (text, statuses[text], on_notices)
            checked += 1
    assert checked >= 2
    assert statuses[f"新通知：{notice.title}"] == "未读"

    client.get(notice.url)  # read it
    assert reminder_statuses(client.get("/me/").content.decode())[f"新通知：{notice.title}"] == (
        "已读"
    )


def test_other_reminders_are_read_once_shown_on_me(demo_site, client_as):
    client = client_as(RETIREE)
    retiree = User.objects.get(username=RETIREE)
    notify_user(retiree, "course", "书法入门换了教室，在二楼", "")
    assert (
        reminder_statuses(client.get("/me/").content.decode())["书法入门换了教室，在二楼"] == "未读"
    )
    assert Notification.objects.get(text="书法入门换了教室，在二楼").read_at is not None
    assert "书法入门换了教室" not in client.get("/notices/").content.decode()


def test_every_lesson_has_previous_next_and_back_to_the_course(demo_site, client_as):
    course = CoursePage.objects.get(title="书法入门")
    enroll_retiree(retiree=User.objects.get(username=RETIREE), course=course)
    first, second, third = LessonPage.objects.child_of(course).order_by("path")
    client = client_as(RETIREE)

    def links(lesson) -> list[str]:
        html = client.get(lesson.url).content.decode()
        nav = html.split('aria-label="换一课"', 1)[1].split("</nav>", 1)[0]
        return [strip_tags(a) for a in re.findall(r"<a [^>]*>.*?</a>", nav)]

    # None of them marked done.
    assert links(first) == [f"下一课：{second.title}", "回到课程"]
    assert links(second) == [f"上一课：{first.title}", f"下一课：{third.title}", "回到课程"]
    assert links(third) == [f"上一课：{second.title}", "回到课程"]


def test_elder_modes_navigation_keeps_the_catalog(demo_site, client_as):
    User.objects.filter(username=RETIREE).update(elder_mode=True)
    html = client_as(RETIREE).get("/notices/").content.decode()
    nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    names = [strip_tags(a) for a in re.findall(r"<a [^>]*>.*?</a>", nav)]
    assert names == ["我的课程", "选课", "今日直播", "学习圈", "通知", "搜索"]
    assert 'href="/courses/"' in nav


DOUBLED_LABEL = re.compile(r"([\u4e00-\u9fff]{2,6})：\1：")


def test_no_label_is_said_twice(demo_site, client_as):
    load_demo_live_classes()
    client = client_as(RETIREE)
    notify_user(User.objects.get(username=RETIREE), "notice", "新通知：重阳节游园活动安排", "")
    course = CoursePage.objects.get(title="书法入门")
    pages = ["/me/", "/live/", "/notices/", course.url, "/courses/"]
    for path in pages:
        text = strip_tags(client.get(path).content.decode())
        assert not DOUBLED_LABEL.search(text), (path, DOUBLED_LABEL.search(text).group(0))
    assert "直播课：楷书的横与竖" in strip_tags(client.get("/me/").content.decode())


def test_the_site_has_an_icon(demo_site, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/site/icons/favicon.ico"
    html = client.get("/").content.decode()
    for rel, name in [("icon", "favicon.ico"), ("apple-touch-icon", "apple-touch-icon.png")]:
        assert f'<link rel="{rel}" href="/static/site/icons/{name}"' in html
        assert finders.find(f"site/icons/{name}")


@pytest.mark.parametrize("query", ["书法", ""])
def test_a_search_shows_its_results_before_the_search_box(demo_site, client, query):
    html = client.get("/courses/", {"q": query} if query else {}).content.decode()
    results, search = html.index('id="results-title"'), html.index('role="search"')
    assert '<details class="filters">' in html  # folded
    if query:
        assert results < search
        assert "找“书法”，找到 3 门课" in html
    else:
        assert search < results
