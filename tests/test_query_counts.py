"""SQL queries per page do not grow with the data: the same count with the demo's data and
with many more courses, lessons and notices, and at most 10 on every page a logged-in retiree
uses (issue 19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from accounts.models import Notification, User
from circles.models import Circle
from circles.services import set_membership
from courses.caching import forget_catalog
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from home.models import HomePage
from notices.models import NoticePage
from rooms.services import append_event

RETIREE = "13900000001"


def count(client, path: str) -> int:
    client.get(path)  # warm Wagtail's site and routing caches and the session
    forget_catalog()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def pages() -> dict[str, tuple[str, str | None]]:
    return {
        "home": ("/", None),
        "catalog": ("/courses/", None),
        "course": (CoursePage.objects.get(title="书法入门").url, RETIREE),
        "lesson": (LessonPage.objects.get(title="横与竖").url, RETIREE),
        "notice_list": ("/notices/", RETIREE),
        "notice": (NoticePage.objects.get(slug="winter-heating").url, RETIREE),
        "me": ("/me/", RETIREE),
        "circle": (f"/circles/{circle_of(RETIREE)}/", RETIREE),
    }


def circle_of(login: str, name: str = "合唱爱好者") -> int:
    """A study circle the retiree is in, with a few messages."""
    retiree = User.objects.get(username=login)
    circle = Circle.objects.create(name=name, institution=retiree.institution)
    set_membership(circle, retiree, role="member", status="active")
    for number in range(3):
        append_event(circle.room, "chat.message", {"kind": "text", "text": f"第{number}句"},
                     author=retiree)  # fmt: skip
    return circle.pk


def enrolled_in_course(login: str) -> User:
    """The retiree enrolled in 书法入门 with its first lesson done, and waiting for a seat in
    another course."""
    retiree = User.objects.get(username=login)
    course = CoursePage.objects.get(title="书法入门")
    now = timezone.now()
    Enrollment.objects.update_or_create(
        course=course, retiree=retiree,
        defaults={"status": Enrollment.Status.ENROLLED, "queued_at": now},
    )  # fmt: skip
    LessonProgress.objects.update_or_create(
        lesson=LessonPage.objects.get(title="横与竖"), retiree=retiree,
        defaults={"completed_at": now, "position_seconds": 30},
    )  # fmt: skip
    other = CoursePage.objects.live().exclude(pk=course.pk).first()
    Enrollment.objects.update_or_create(
        course=other, retiree=retiree,
        defaults={"status": Enrollment.Status.WAITLISTED, "queued_at": now},
    )  # fmt: skip
    return retiree


def busy_retiree(login: str) -> None:
    """Enrolled (enrolled_in_course), in two study circles with messages, and with
    reminders read and unread, one of them about a notice."""
    retiree = enrolled_in_course(login)
    circle_of(login)
    circle_of(login, name="书法交流圈")
    notice = NoticePage.objects.get(slug="winter-heating")
    Notification.objects.bulk_create(
        [Notification(user=retiree, kind="notice", text="新通知", url=notice.url,
                      about="query-count-test")]
        + [Notification(user=retiree, kind="waitlist", text=f"提醒{number}",
                        about=f"query-count-test:{number}",
                        read_at=timezone.now() if number % 2 else None)
           for number in range(4)]
    )  # fmt: skip


# Pages a retiree with more going on sees: name → (page in pages(), what to set up first).
BUSY = {
    "course_enrolled": ("course", enrolled_in_course),
    "lesson_enrolled": ("lesson", enrolled_in_course),
    "me_busy": ("me", busy_retiree),
}


def more_of_everything() -> None:
    """Twenty more courses, lessons and notices."""
    course = CoursePage.objects.get(title="书法入门")
    lesson = LessonPage.objects.get(title="横与竖")
    notice = NoticePage.objects.get(slug="winter-heating")
    for number in range(20):
        course.copy(update_attrs={"title": f"书法{number}班", "slug": f"shufa-{number}"},
                    keep_live=True, log_action=None, copy_revisions=False)  # fmt: skip
        lesson.copy(update_attrs={"title": f"横{number}", "slug": f"heng-{number}"},
                    keep_live=True, log_action=None, copy_revisions=False)  # fmt: skip
        notice.copy(update_attrs={"title": f"通知{number}", "slug": f"notice-{number}"},
                    keep_live=True, log_action=None, copy_revisions=False)  # fmt: skip


# Pinned at what each page needs today (a logged-in retiree for the detail pages; the notice
# opened before, as people reopen them); issue 19's target is at most 10 for each logged-in
# page.
LIMITS = {"home": 2, "catalog": 9, "course": 10, "lesson": 10, "notice_list": 8,
          "notice": 9, "me": 10, "circle": 10,
          "course_enrolled": 9, "lesson_enrolled": 10, "me_busy": 10}  # fmt: skip


@pytest.mark.parametrize("name", LIMITS)
def test_queries_per_page_stay_within_the_target_whatever_the_data(
    demo_site, client, client_as, name
):
    page = name
    if name in BUSY:
        page, set_up = BUSY[name]
        set_up(RETIREE)
    path, login = pages()[page]
    browser = client_as(login) if login else client
    before = count(browser, path)
    more_of_everything()
    after = count(browser, path)
    assert after == before, f"{name}: {before} queries, then {after} with more data"
    assert after <= LIMITS[name], f"{name}: {after} queries, pinned at {LIMITS[name]}"


def test_a_privacy_setting_set_in_the_admin_still_applies(demo_site, client):
    """Pages skip Wagtail's two restriction queries only while no page has a restriction."""
    course = CoursePage.objects.get(title="书法入门")
    lesson = LessonPage.objects.get(title="横与竖")
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(lesson.url).status_code == 302  # the course's restriction covers it


def test_the_home_page_follows_publishing_and_site_changes(demo_site, client):
    """A published home page and a changed site are seen on the next request."""
    assert client.get("/").status_code == 200
    home = HomePage.objects.get()
    home.headline = "新的欢迎语，马上可见"
    home.save_revision().publish()
    assert "新的欢迎语，马上可见" in client.get("/").content.decode()

    other = home.add_child(instance=HomePage(title="分站", slug="branch", headline="分站的首页"))
    assert "分站的首页" not in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    Site.objects.create(hostname="127.0.0.1", root_page=other)
    assert "分站的首页" in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
