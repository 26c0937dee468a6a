"""Instructors edit only their own courses; staff of the course's institution approve."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accounts.factories import InstructorFactory, StaffFactory, institution_tree
from courses.factories import CoursePageFactory
from courses.models import CourseIndexPage, InstitutionApprovalTask, LessonPage


@pytest.fixture
def site(db) -> dict:
    """A teacher of the 一所's calligraphy course (not of the 二所's choir) and the staff of
    both 军休所."""
    places = institution_tree()
    teacher = InstructorFactory(institution=places["center"])
    return {
        "teacher": teacher,
        "calligraphy": CoursePageFactory(institution=places["first"], instructors=[teacher]),
        "choir": CoursePageFactory(institution=places["second"], instructors=[InstructorFactory()]),
        "first_staff": StaffFactory(institution=places["first"]),
        "second_staff": StaffFactory(institution=places["second"]),
    }


def lesson_form(title: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "new-lesson",
            "summary": "",
            "body": streamfield([("text", rich_text("<p>练习：写十个“永”字。</p>"))]),
            "action-submit": "提交审核",
        }
    )


def test_instructor_edits_own_course_only(site, client_as):
    teacher = client_as(site["teacher"])
    own = teacher.get(reverse("wagtailadmin_pages:edit", args=[site["calligraphy"].pk]))
    assert own.status_code == 200
    other = teacher.get(reverse("wagtailadmin_pages:edit", args=[site["choir"].pk]))
    assert other.status_code in (302, 403)


def test_instructor_cannot_add_lessons_under_someone_elses_course(site, client_as):
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", site["choir"].pk])
    response = client_as(site["teacher"]).post(url, lesson_form("偷偷加的课"))
    assert response.status_code in (302, 403)
    assert not LessonPage.objects.filter(title="偷偷加的课").exists()


def test_lesson_goes_through_review_by_the_courses_own_institution(site, client_as):
    calligraphy = site["calligraphy"]  # the 一所's
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", calligraphy.pk])
    response = client_as(site["teacher"]).post(url, lesson_form("永字八法"))
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title="永字八法")
    assert not lesson.live  # waiting for review, not published
    state = TaskState.objects.get(status="in_progress")

    # The reviewer's main button is 批准发布, said once.
    editor = client_as(site["first_staff"]).get(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    )
    footer = editor.content.decode().partition("footer__container")[2]
    assert footer.index("批准发布") < footer.index("保存草稿")
    assert "和发布" not in footer

    approve = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", state.pk])
    # Staff of another 军休所 may not approve it.
    client_as(site["second_staff"]).post(approve, {"comment": "同意"})
    lesson.refresh_from_db()
    assert not lesson.live
    # Staff of the course's own institution may.
    client_as(site["first_staff"]).post(approve, {"comment": "同意"})
    lesson.refresh_from_db()
    assert lesson.live


def test_review_queue_shows_only_the_reviewers_institution(site, client_as):
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", site["calligraphy"].pk])
    client_as(site["teacher"]).post(url, lesson_form("永字八法"))
    task = InstitutionApprovalTask.objects.get()
    assert task.get_task_states_user_can_moderate(site["first_staff"]).count() == 1
    assert task.get_task_states_user_can_moderate(site["second_staff"]).count() == 0


def test_catalog_is_under_the_review_workflow(site):
    catalog = CourseIndexPage.objects.get()
    assert catalog.get_workflow().name == "课程发布审核"
    assert Page.objects.get(pk=site["calligraphy"].pk).specific.get_workflow() is not None


def test_scheduled_publishing(site):
    calligraphy = site["calligraphy"]
    lesson = calligraphy.add_child(instance=LessonPage(title="定时发布的一课", live=False))
    lesson.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = lesson.save_revision()
    revision.publish()
    lesson.refresh_from_db()
    assert not lesson.live  # scheduled, not yet published
    revision.refresh_from_db()
    # Time passes: the scheduled moment is now behind us.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert lesson.live
