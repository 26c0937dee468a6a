import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone

from accounts.factories import (
    AdminFactory,
    InstitutionFactory,
    InstructorFactory,
    RetireeFactory,
    StaffFactory,
    institution_tree,
)
from accounts.models import Notification, User
from courses.factories import CoursePageFactory
from courses.models import CoursePage, Enrollment
from courses.services import EnrollmentRefused, enroll_retiree, withdraw_retiree


def status_of(retiree: User, course: CoursePage) -> str:
    return Enrollment.objects.get(retiree=retiree, course=course).status


@pytest.fixture
def course(db) -> CoursePage:
    return CoursePageFactory()


@pytest.fixture
def retiree(course) -> User:
    return RetireeFactory(institution=course.institution)


def test_enroll_takes_a_seat(course, retiree):
    enrollment = enroll_retiree(retiree=retiree, course=course)
    assert enrollment.status == Enrollment.Status.ENROLLED


def test_enrolling_twice_is_refused_and_changes_nothing(course, retiree):
    enroll_retiree(retiree=retiree, course=course)
    with pytest.raises(EnrollmentRefused, match="您已经报名了这门课"):
        enroll_retiree(retiree=retiree, course=course)
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(days=3), datetime.timedelta(days=10), "报名还没开始"),
        (datetime.timedelta(days=-10), datetime.timedelta(days=-1), "报名已经截止"),
    ],
)
def test_enrolling_outside_the_window_is_refused(course, retiree, opens, closes, message):
    now = timezone.now()
    course.enrollment_opens, course.enrollment_closes = now + opens, now + closes
    course.save()
    with pytest.raises(EnrollmentRefused, match=message):
        enroll_retiree(retiree=retiree, course=course)
    assert not Enrollment.objects.exists()


def test_course_closed_to_other_institutions(db):
    places = institution_tree()
    closed = CoursePageFactory(institution=places["first"], open_to_other_institutions=False)
    with pytest.raises(EnrollmentRefused, match=f"只面向{places['first'].name}"):
        enroll_retiree(retiree=RetireeFactory(institution=places["second"]), course=closed)
    # A retiree of the 服务站 under the 军休所 belongs to its tree.
    station_retiree = RetireeFactory(institution=places["station"])
    assert enroll_retiree(retiree=station_retiree, course=closed).status == "enrolled"


@pytest.mark.parametrize("factory", [StaffFactory, InstructorFactory, AdminFactory])
def test_only_retirees_enroll(course, factory):
    with pytest.raises(EnrollmentRefused, match="只有军休干部学员可以报名"):
        enroll_retiree(retiree=factory(), course=course)


def fill(course: CoursePage, capacity: int, retirees: list[User]) -> CoursePage:
    course.capacity = capacity
    course.save()
    for retiree in retirees:
        enroll_retiree(retiree=retiree, course=course)
    return course


def three_retirees(course: CoursePage) -> list[User]:
    return RetireeFactory.create_batch(3, institution=course.institution)


def test_full_course_offers_the_waitlist_and_withdrawal_promotes_the_first(course):
    first, second, third = three_retirees(course)
    fill(course, 1, [first, second, third])
    assert status_of(second, course) == "waitlisted"
    assert status_of(third, course) == "waitlisted"

    promoted = withdraw_retiree(retiree=first, course=course)
    assert promoted.retiree == second
    assert status_of(first, course) == "withdrawn"
    assert status_of(second, course) == "enrolled"
    assert status_of(third, course) == "waitlisted"
    note = Notification.objects.get(user=second, kind="waitlist_promoted")
    assert "已从候补转为正式学员" in note.text and note.url == course.url


def test_leaving_the_waitlist_promotes_nobody(course):
    first, second, _ = three_retirees(course)
    fill(course, 1, [first, second])
    assert withdraw_retiree(retiree=second, course=course) is None
    assert not Notification.objects.filter(kind="waitlist_promoted").exists()


def test_coming_back_after_withdrawing_queues_again(course):
    first, second, _ = three_retirees(course)
    fill(course, 1, [first, second])
    withdraw_retiree(retiree=first, course=course)  # second is promoted
    again = enroll_retiree(retiree=first, course=course)
    assert again.status == "waitlisted"
    assert Enrollment.objects.filter(course=course).count() == 2


def test_withdrawing_without_enrolling_is_refused(course, retiree):
    with pytest.raises(EnrollmentRefused, match="您没有报名这门课"):
        withdraw_retiree(retiree=retiree, course=course)


@pytest.mark.django_db(transaction=True)
def test_two_retirees_racing_for_the_last_seat():
    """Real concurrent transactions (PostgreSQL in CI's second run): exactly one seat."""
    target = fill(CoursePageFactory(), 1, [])
    racers = RetireeFactory.create_batch(2, institution=InstitutionFactory())
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
