from django.urls import reverse

from accounts.models import User
from courses.models import CoursePage
from courses.services import enroll_retiree

REPORT = "course_satisfaction_report"


def test_staff_see_their_own_trees_courses_only(demo_site, client_as):
    enroll_retiree(
        retiree=User.objects.get(username="13900000001"),
        course=CoursePage.objects.get(title="书法入门"),
    )
    html = client_as("jxs1").get(reverse(REPORT)).content.decode()
    assert "书法入门" in html and "1 / 20" in html
    assert "唐诗宋词赏读" not in html  # 第二军休所's course
    assert "唐诗宋词赏读" in client_as("jxs2").get(reverse(REPORT)).content.decode()


def test_instructors_see_their_own_courses(demo_site, client_as):
    html = client_as("zhouyaqin").get(reverse(REPORT)).content.decode()
    assert "老年合唱" in html and "书法入门" not in html


def test_retirees_have_no_report(demo_site, client_as):
    assert client_as("13900000001").get(reverse(REPORT)).status_code in (302, 403)
