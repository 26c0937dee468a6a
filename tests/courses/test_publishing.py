"""Instructors edit only their own courses; staff of the course's institution approve."""

from django.urls import reverse
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage


def course(title: str) -> CoursePage:
    return CoursePage.objects.get(title=title)


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


def test_instructor_edits_own_course_only(demo_site, client_as):
    teacher = client_as("liushuwen")  # teaches 书法入门, not 老年合唱
    own = teacher.get(reverse("wagtailadmin_pages:edit", args=[course("书法入门").pk]))
    assert own.status_code == 200
    other = teacher.get(reverse("wagtailadmin_pages:edit", args=[course("老年合唱").pk]))
    assert other.status_code in (302, 403)


def test_instructor_cannot_add_lessons_under_someone_elses_course(demo_site, client_as):
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course("老年合唱").pk])
    response = client_as("liushuwen").post(url, lesson_form("偷偷加的课"))
    assert response.status_code in (302, 403)
    assert not LessonPage.objects.filter(title="偷偷加的课").exists()


def test_lesson_goes_through_review_by_the_courses_own_institution(demo_site, client_as):
    calligraphy = course("书法入门")  # 第一军休所
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", calligraphy.pk])
    response = client_as("liushuwen").post(url, lesson_form("永字八法"))
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title="永字八法")
    assert not lesson.live  # waiting for review, not published
    state = TaskState.objects.get(status="in_progress")

    # The reviewer's main button is 批准发布, said once.
    editor = client_as("jxs1").get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    footer = editor.content.decode().partition("footer__container")[2]
    assert footer.index("批准发布") < footer.index("保存草稿")
    assert "和发布" not in footer

    approve = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", state.pk])
    # Staff of another 军休所 may not approve it.
    client_as("jxs2").post(approve, {"comment": "同意"})
    lesson.refresh_from_db()
    assert not lesson.live
    # Staff of the course's own institution may.
    client_as("jxs1").post(approve, {"comment": "同意"})
    lesson.refresh_from_db()
    assert lesson.live


def test_review_queue_shows_only_the_reviewers_institution(demo_site, client_as):
    calligraphy = course("书法入门")
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", calligraphy.pk])
    client_as("liushuwen").post(url, lesson_form("永字八法"))
    from courses.models import InstitutionApprovalTask

    task = InstitutionApprovalTask.objects.get()
    from accounts.models import User

    assert task.get_task_states_user_can_moderate(User.objects.get(username="jxs1")).count() == 1
    assert task.get_task_states_user_can_moderate(User.objects.get(username="jxs2")).count() == 0


def test_catalog_is_under_the_review_workflow(demo_site):
    catalog = CourseIndexPage.objects.get()
    assert catalog.get_workflow().name == "课程发布审核"
    assert Page.objects.get(pk=course("书法入门").pk).specific.get_workflow() is not None


def test_scheduled_publishing(demo_site):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    calligraphy = course("书法入门")
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
