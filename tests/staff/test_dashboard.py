"""常用操作 on the admin dashboard: staff go straight to publishing a notice in their own
institution, instructors to adding a lesson to each of their courses (issue 21 item 13)."""

import re

from courses.factories import CoursePageFactory
from courses.models import CoursePage
from notices.models import NoticeIndexPage
from tests.conftest import user


def quick_links(client) -> dict[str, str]:
    html = client.get("/admin/").content.decode()
    panel = html.partition('id="quick-actions-title"')[2].partition("</section>")[0]
    return {
        text: href
        for href, text in re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', panel)
    }


def test_staff_publish_a_notice_in_their_own_institution_from_the_dashboard(cast, client_as):
    staff = client_as("staff_first")
    index = NoticeIndexPage.objects.get(institution=user("staff_first").institution)
    links = quick_links(staff)
    publish = links[f"发布通知（{index.institution.name}）"]
    assert publish == f"/admin/pages/add/notices/noticepage/{index.pk}/"
    assert staff.get(publish).status_code == 200  # the editor opens: they may add there
    assert links["看本单位的通知"] == f"/admin/pages/{index.pk}/"


def test_instructors_add_a_lesson_to_each_of_their_courses(people, client_as):
    for _ in range(2):
        CoursePageFactory(instructors=[people["teacher_huang"]])
    CoursePageFactory(instructors=[people["teacher_wu"]])
    teacher = client_as("teacher_huang")
    courses = CoursePage.objects.filter(instructors=user("teacher_huang"))
    links = quick_links(teacher)
    assert courses.exists()
    for course in courses:
        add = links[f"新建课时：{course.title}"]
        assert add == f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    assert teacher.get(add).status_code == 200
    assert not any(label.startswith("发布通知") for label in links)


def test_admins_get_no_panel(cast, client_as):
    assert quick_links(client_as("site_admin")) == {}
