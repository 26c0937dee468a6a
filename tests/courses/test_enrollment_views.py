import pytest
from django.urls import reverse

from accounts.factories import RetireeFactory, StaffFactory, institution_tree
from courses.factories import CoursePageFactory
from courses.models import CoursePage, Enrollment


@pytest.fixture
def course(db) -> CoursePage:
    return CoursePageFactory(title="书法课")


def test_enroll_and_withdraw_from_the_course_page(course, client_as):
    client = client_as(RetireeFactory(institution=course.institution))
    response = client.post(reverse("courses:enroll", args=[course.pk]), follow=True)
    html = response.content.decode()
    assert "报名成功" in html and "已报名" in html and "退出这门课" in html

    me = client.get(reverse("home:me")).content.decode()
    assert "书法课" in me and "下次上课：" in me

    response = client.post(reverse("courses:withdraw", args=[course.pk]), follow=True)
    assert "您已退出这门课" in response.content.decode()
    assert Enrollment.objects.get(course=course).status == "withdrawn"


def test_refusal_is_shown_in_chinese_and_nothing_changes(course, client_as):
    client = client_as(StaffFactory(institution=course.institution))
    response = client.post(reverse("courses:enroll", args=[course.pk]), follow=True)
    assert "只有军休干部学员可以报名" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_full_course_shows_the_waitlist_place(course, client_as):
    course.capacity = 1
    course.save()
    client_as(RetireeFactory(institution=course.institution)).post(
        reverse("courses:enroll", args=[course.pk])
    )
    second = client_as(RetireeFactory(institution=course.institution))
    assert "排候补" in second.get(course.url).content.decode()
    html = second.post(reverse("courses:enroll", args=[course.pk]), follow=True).content.decode()
    assert "候补名单第 1 位" in html


def test_enrolling_needs_login_and_a_post(course, client):
    url = reverse("courses:enroll", args=[course.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Enrollment.objects.exists()


def test_closed_course_explains_why_before_the_retiree_tries(db, client_as):
    places = institution_tree()
    closed = CoursePageFactory(institution=places["first"], open_to_other_institutions=False)
    html = client_as(RetireeFactory(institution=places["second"])).get(closed.url).content.decode()
    assert "暂时不能报名" in html and f"只面向{places['first'].name}" in html
