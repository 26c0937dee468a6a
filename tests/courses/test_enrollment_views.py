from django.urls import reverse

from courses.models import CoursePage, Enrollment


def calligraphy() -> CoursePage:
    return CoursePage.objects.get(title="书法入门")


def test_enroll_and_withdraw_from_the_course_page(demo_site, client_as):
    client = client_as("13900000001")
    course = calligraphy()
    response = client.post(reverse("courses:enroll", args=[course.pk]), follow=True)
    html = response.content.decode()
    assert "报名成功" in html and "已报名" in html and "退出这门课" in html

    me = client.get(reverse("home:me")).content.decode()
    assert "书法入门" in me and "下次上课：" in me

    response = client.post(reverse("courses:withdraw", args=[course.pk]), follow=True)
    assert "您已退出这门课" in response.content.decode()
    assert Enrollment.objects.get(course=course).status == "withdrawn"


def test_refusal_is_shown_in_chinese_and_nothing_changes(demo_site, client_as):
    client = client_as("jxs1")
    response = client.post(reverse("courses:enroll", args=[calligraphy().pk]), follow=True)
    assert "只有军休干部学员可以报名" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_full_course_shows_the_waitlist_place(demo_site, client_as):
    course = calligraphy()
    course.capacity = 1
    course.save()
    client_as("13900000001").post(reverse("courses:enroll", args=[course.pk]))
    second = client_as("13900000002")
    assert "排候补" in second.get(course.url).content.decode()
    html = second.post(reverse("courses:enroll", args=[course.pk]), follow=True).content.decode()
    assert "候补名单第 1 位" in html


def test_enrolling_needs_login_and_a_post(demo_site, client):
    url = reverse("courses:enroll", args=[calligraphy().pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Enrollment.objects.exists()


def test_closed_course_explains_why_before_the_retiree_tries(demo_site, client_as):
    closed = CoursePage.objects.get(title="楷书进阶：欧体临帖")
    html = client_as("13900000007").get(closed.url).content.decode()
    assert "暂时不能报名" in html and "只面向第一军休所" in html
