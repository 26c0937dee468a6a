import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone

from accounts.models import Notification, User
from courses.models import CoursePage, Enrollment
from courses.services import EnrollmentRefused, enroll_retiree, withdraw_retiree


def person(login: str) -> User:
    return User.objects.get(username=login)


def course(title: str) -> CoursePage:
    return CoursePage.objects.get(title=title)


def status_of(login: str, title: str) -> str:
    return Enrollment.objects.get(retiree__username=login, course__title=title).status


def test_enroll_takes_a_seat(demo_site):
    enrollment = enroll_retiree(retiree=person("13900000001"), course=course("书法入门"))
    assert enrollment.status == Enrollment.Status.ENROLLED


def test_enrolling_twice_is_refused_and_changes_nothing(demo_site):
    enroll_retiree(retiree=person("13900000001"), course=course("书法入门"))
    with pytest.raises(EnrollmentRefused, match="您已经报名了这门课"):
        enroll_retiree(retiree=person("13900000001"), course=course("书法入门"))
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(days=3), datetime.timedelta(days=10), "报名还没开始"),
        (datetime.timedelta(days=-10), datetime.timedelta(days=-1), "报名已经截止"),
    ],
)
def test_enrolling_outside_the_window_is_refused(demo_site, opens, closes, message):
    target = course("书法入门")
    now = timezone.now()
    target.enrollment_opens, target.enrollment_closes = now + opens, now + closes
    target.save()
    with pytest.raises(EnrollmentRefused, match=message):
        enroll_retiree(retiree=person("13900000001"), course=target)
    assert not Enrollment.objects.exists()


def test_course_closed_to_other_institutions(demo_site):
    closed = course("楷书进阶：欧体临帖")  # 第一军休所 only
    with pytest.raises(EnrollmentRefused, match="只面向第一军休所"):
        enroll_retiree(retiree=person("13900000007"), course=closed)  # 第二军休所
    # A retiree of the 服务站 under 第一军休所 belongs to its tree.
    assert enroll_retiree(retiree=person("13900000004"), course=closed).status == "enrolled"


@pytest.mark.parametrize("login", ["jxs1", "liushuwen", "admin"])
def test_only_retirees_enroll(demo_site, login):
    with pytest.raises(EnrollmentRefused, match="只有军休干部学员可以报名"):
        enroll_retiree(retiree=person(login), course=course("书法入门"))


def fill(title: str, capacity: int, logins: list[str]) -> CoursePage:
    target = course(title)
    target.capacity = capacity
    target.save()
    for login in logins:
        enroll_retiree(retiree=person(login), course=target)
    return target


def test_full_course_offers_the_waitlist_and_withdrawal_promotes_the_first(demo_site):
    target = fill("书法入门", 1, ["13900000001", "13900000002", "13900000003"])
    assert status_of("13900000002", "书法入门") == "waitlisted"
    assert status_of("13900000003", "书法入门") == "waitlisted"

    promoted = withdraw_retiree(retiree=person("13900000001"), course=target)
    assert promoted.retiree.username == "13900000002"
    assert status_of("13900000001", "书法入门") == "withdrawn"
    assert status_of("13900000002", "书法入门") == "enrolled"
    assert status_of("13900000003", "书法入门") == "waitlisted"
    note = Notification.objects.get(user__username="13900000002", kind="waitlist_promoted")
    assert "已从候补转为正式学员" in note.text and note.url == target.url


def test_leaving_the_waitlist_promotes_nobody(demo_site):
    target = fill("书法入门", 1, ["13900000001", "13900000002"])
    assert withdraw_retiree(retiree=person("13900000002"), course=target) is None
    assert not Notification.objects.filter(kind="waitlist_promoted").exists()


def test_coming_back_after_withdrawing_queues_again(demo_site):
    target = fill("书法入门", 1, ["13900000001", "13900000002"])
    withdraw_retiree(retiree=person("13900000001"), course=target)  # 2 is promoted
    again = enroll_retiree(retiree=person("13900000001"), course=target)
    assert again.status == "waitlisted"
    assert Enrollment.objects.filter(course=target).count() == 2


def test_withdrawing_without_enrolling_is_refused(demo_site):
    with pytest.raises(EnrollmentRefused, match="您没有报名这门课"):
        withdraw_retiree(retiree=person("13900000001"), course=course("书法入门"))


@pytest.mark.django_db(transaction=True)
def test_two_retirees_racing_for_the_last_seat(demo_site):
    """Real concurrent transactions (PostgreSQL in CI's second run): exactly one seat."""
    target = fill("书法入门", 1, [])
    racers = [person("13900000001"), person("13900000002")]
    start = threading.Barrier(len(racers))
    outcomes: dict[str, str] = {}

    def race(retiree: User) -> None:
        try:
            start.wait()
            outcomes[retiree.username] = enroll_retiree(retiree=retiree, course=target).status
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(retiree,)) for retiree in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["enrolled", "waitlisted"]
    assert Enrollment.objects.filter(course=target, status="enrolled").count() == 1
