import pytest
from django.urls import reverse

from accounts.factories import InstructorFactory, RetireeFactory, StaffFactory, institution_tree
from courses.factories import CoursePageFactory
from courses.services import enroll_retiree

REPORT = "course_satisfaction_report"


@pytest.fixture
def places(db):
    return institution_tree()


def test_staff_see_their_own_trees_courses_only(places, client_as):
    ours = CoursePageFactory(title="书法课", institution=places["first"], capacity=20)
    CoursePageFactory(title="诗词课", institution=places["second"])
    enroll_retiree(retiree=RetireeFactory(institution=places["first"]), course=ours)
    html = client_as(StaffFactory(institution=places["first"])).get(reverse(REPORT)).content
    html = html.decode()
    assert "书法课" in html and "1 / 20" in html
    assert "诗词课" not in html  # the sibling 军休所's course
    theirs = client_as(StaffFactory(institution=places["second"])).get(reverse(REPORT))
    assert "诗词课" in theirs.content.decode()


def test_instructors_see_their_own_courses(places, client_as):
    teacher = InstructorFactory(institution=places["center"])
    CoursePageFactory(title="合唱课", instructors=[teacher])
    CoursePageFactory(title="书法课", instructors=[InstructorFactory()])
    html = client_as(teacher).get(reverse(REPORT)).content.decode()
    assert "合唱课" in html and "书法课" not in html


def test_retirees_have_no_report(places, client_as):
    retiree = RetireeFactory(institution=places["first"])
    assert client_as(retiree).get(reverse(REPORT)).status_code in (302, 403)
