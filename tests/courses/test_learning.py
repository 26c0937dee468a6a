"""Progress, resume, satisfaction and certificates."""

import pytest
from django.urls import reverse

from accounts.factories import RetireeFactory
from accounts.models import User
from courses.factories import CoursePageFactory, LessonPageFactory
from courses.models import CourseEvaluation, CoursePage, LessonPage, LessonProgress
from courses.selectors import courses_of, may_evaluate, satisfaction_of
from courses.services import (
    EvaluationRefused,
    ProgressRefused,
    enroll_retiree,
    mark_lesson_complete,
    save_course_evaluation,
    save_video_position,
)


@pytest.fixture
def course(db) -> CoursePage:
    """A course of three lessons."""
    course = CoursePageFactory(title="书法课")
    for title in ("握笔与坐姿", "横与竖", "撇与捺"):
        LessonPageFactory(parent=course, title=title)
    return course


@pytest.fixture
def retiree(course) -> User:
    return RetireeFactory(name="张学员", institution=course.institution)


def classmate(course: CoursePage, **fields) -> User:
    return RetireeFactory(institution=course.institution, **fields)


@pytest.fixture
def calligraphy(course, retiree) -> CoursePage:
    """The course, the retiree enrolled."""
    enroll_retiree(retiree=retiree, course=course)
    return course


def lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def test_marking_complete_is_idempotent_and_moves_continue_learning(calligraphy, retiree):
    first, second, third = lessons(calligraphy)
    done = mark_lesson_complete(retiree=retiree, lesson=first)
    again = mark_lesson_complete(retiree=retiree, lesson=first)
    assert again.completed_at == done.completed_at
    assert LessonProgress.objects.count() == 1
    [mine] = courses_of(retiree)
    assert (mine.progress.done, mine.progress.total) == (1, 3)
    assert mine.progress.next_lesson == second


def test_video_position_is_saved_and_the_end_completes_the_lesson(calligraphy, retiree):
    first = lessons(calligraphy)[0]
    save_video_position(retiree=retiree, lesson=first, seconds=42)
    progress = LessonProgress.objects.get(lesson=first)
    assert progress.position_seconds == 42 and progress.completed_at is None
    save_video_position(retiree=retiree, lesson=first, seconds=95, finished=True)
    progress.refresh_from_db()
    assert progress.position_seconds == 95 and progress.completed_at is not None


def test_progress_needs_enrollment(course, retiree):
    lesson = lessons(course)[0]
    with pytest.raises(ProgressRefused, match="报名这门课以后"):
        mark_lesson_complete(retiree=retiree, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_position_endpoint_answers_json_and_refuses_strangers(calligraphy, retiree, client_as):
    lesson = lessons(calligraphy)[0]
    url = reverse("courses:lesson_position", args=[lesson.pk])
    mine = client_as(retiree).post(url, {"seconds": "12.7"})
    assert mine.json() == {"seconds": 12, "completed": False}
    assert client_as(retiree).post(url, {"seconds": "abc"}).status_code == 400
    stranger = client_as(classmate(calligraphy))
    assert stranger.post(url, {"seconds": "5"}).status_code == 403


def test_evaluation_is_asked_after_half_the_lessons(calligraphy, retiree):
    first, second, _ = lessons(calligraphy)
    mark_lesson_complete(retiree=retiree, lesson=first)
    assert not may_evaluate(retiree=retiree, course=calligraphy)
    with pytest.raises(EvaluationRefused):
        save_course_evaluation(
            retiree=retiree, course=calligraphy, course_stars=5, instructor_stars=5, comment=""
        )
    mark_lesson_complete(retiree=retiree, lesson=second)
    assert may_evaluate(retiree=retiree, course=calligraphy)


def finish(course: CoursePage, retiree: User) -> None:
    for lesson in lessons(course):
        mark_lesson_complete(retiree=retiree, lesson=lesson)


def test_one_editable_evaluation_per_retiree_and_the_summary(calligraphy, retiree):
    others = [classmate(calligraphy, name="李学员"), classmate(calligraphy)]
    for who, course_stars, instructor_stars, comment in [
        (retiree, 3, 4, "节奏有点快"),
        (others[0], 5, 5, "老师讲得细"),
        (others[1], 4, 5, ""),
    ]:
        if who != retiree:
            enroll_retiree(retiree=who, course=calligraphy)
        finish(calligraphy, who)
        save_course_evaluation(
            retiree=who,
            course=calligraphy,
            course_stars=course_stars,
            instructor_stars=instructor_stars,
            comment=comment,
        )
    # Edited, not duplicated.
    save_course_evaluation(
        retiree=retiree, course=calligraphy, course_stars=4, instructor_stars=4, comment="改好了"
    )
    assert CourseEvaluation.objects.count() == 3
    summary = satisfaction_of(calligraphy)
    assert summary.answers == 3
    assert summary.course_average == round((4 + 5 + 4) / 3, 2)
    assert summary.instructor_average == round((4 + 5 + 5) / 3, 2)
    assert summary.course_distribution == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    # An anonymous course never says who wrote what.
    assert {who for who, _ in summary.comments} == {"匿名"}
    calligraphy.anonymous_evaluation = False
    calligraphy.save()
    assert ("李学员", "老师讲得细") in satisfaction_of(calligraphy).comments


def test_evaluation_form_errors_keep_what_was_typed(calligraphy, retiree, client_as):
    finish(calligraphy, retiree)
    client = client_as(retiree)
    url = reverse("courses:evaluate", args=[calligraphy.pk])
    response = client.post(url, {"course_stars": "5", "comment": "很好的课"}, follow=True)
    html = response.content.decode()
    assert "请为老师选一个星级。" in html
    assert "很好的课" in html  # the comment survived the error
    assert not CourseEvaluation.objects.exists()
    response = client.post(
        url, {"course_stars": "5", "instructor_stars": "4", "comment": "很好的课"}, follow=True
    )
    assert "谢谢您的评价" in response.content.decode()
    assert CourseEvaluation.objects.get().instructor_stars == 4


def test_certificate_only_after_every_lesson(calligraphy, retiree, client_as):
    client = client_as(retiree)
    url = reverse("courses:certificate", args=[calligraphy.pk])
    assert client.get(url).status_code == 302
    finish(calligraphy, retiree)
    html = client.get(url).content.decode()
    assert "结业证书" in html and "张学员" in html and "书法课" in html
    assert calligraphy.term.name in html and calligraphy.institution.name in html
