import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import notify_user

from . import tasks
from .media_validation import validate_lesson_media
from .models import (
    ClassRating,
    CourseEvaluation,
    CoursePage,
    Enrollment,
    LessonMedia,
    LessonPage,
    LessonProgress,
)
from .permissions import course_open_to_institution_of


class EnrollmentRefused(ValidationError):
    """Enrolling was not possible; the message says why, in words a retiree understands."""


def check_can_enroll(*, retiree: User, course: CoursePage) -> None:
    if not retiree.is_authenticated or not retiree.is_retiree:
        raise EnrollmentRefused("只有军休干部学员可以报名。")
    if not course_open_to_institution_of(course, retiree):
        raise EnrollmentRefused(f"这门课只面向{course.institution.name}的学员，暂不对外开放。")
    now = timezone.now()
    if now < course.enrollment_opens:
        opens = timezone.localtime(course.enrollment_opens)
        raise EnrollmentRefused(f"报名还没开始，{opens.month}月{opens.day}日开始报名。")
    if now > course.enrollment_closes:
        raise EnrollmentRefused("这门课的报名已经截止了。")


def enrolled_count(course: CoursePage) -> int:
    return course.enrollments.filter(status=Enrollment.Status.ENROLLED).count()


@transaction.atomic
def enroll_retiree(*, retiree: User, course: CoursePage) -> Enrollment:
    """Take a seat, or a place on the waitlist when the course is full.

    The course row is locked first, so two retirees racing for the last seat are served one
    after the other: exactly one gets it, the other is waitlisted."""
    course = CoursePage.objects.select_for_update().get(pk=course.pk)
    check_can_enroll(retiree=retiree, course=course)
    existing = Enrollment.objects.filter(course=course, retiree=retiree).first()
    if existing and existing.status == Enrollment.Status.ENROLLED:
        raise EnrollmentRefused("您已经报名了这门课。")
    if existing and existing.status == Enrollment.Status.WAITLISTED:
        raise EnrollmentRefused("您已经在候补名单上了，有空位会马上通知您。")

    has_seat = enrolled_count(course) < course.capacity
    status = Enrollment.Status.ENROLLED if has_seat else Enrollment.Status.WAITLISTED
    if existing:  # came back after withdrawing
        existing.status = status
        existing.queued_at = timezone.now()
        existing.save(update_fields=["status", "queued_at", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                course=course, retiree=retiree, status=status, queued_at=timezone.now()
            )
    except IntegrityError:
        raise EnrollmentRefused("您已经报名了这门课。") from None


@transaction.atomic
def withdraw_retiree(*, retiree: User, course: CoursePage) -> Enrollment | None:
    """Leave the course (or the waitlist). A freed seat goes to the first on the waitlist,
    who is told at once. Returns the promoted enrollment, if any."""
    course = CoursePage.objects.select_for_update().get(pk=course.pk)
    enrollment = Enrollment.objects.filter(
        course=course,
        retiree=retiree,
        status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED],
    ).first()
    if enrollment is None:
        raise EnrollmentRefused("您没有报名这门课。")
    had_seat = enrollment.status == Enrollment.Status.ENROLLED
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save(update_fields=["status", "updated_at"])
    if not had_seat:
        return None
    return promote_from_waitlist(course)


def promote_from_waitlist(course: CoursePage) -> Enrollment | None:
    """Fill free seats from the waitlist, first come first served (course row locked)."""
    if enrolled_count(course) >= course.capacity:
        return None
    first = (
        Enrollment.objects.filter(course=course, status=Enrollment.Status.WAITLISTED)
        .order_by("queued_at", "pk")
        .select_related("retiree")
        .first()
    )
    if first is None:
        return None
    first.status = Enrollment.Status.ENROLLED
    first.save(update_fields=["status", "updated_at"])
    # Queued in this transaction: told once the seat is really theirs, by a worker.
    tasks.tell_promoted_retiree.enqueue(first.pk)
    return first


def tell_promoted_retiree(enrollment: Enrollment) -> None:
    """The good news, once per enrollment however often the task runs."""
    if enrollment.status != Enrollment.Status.ENROLLED:
        return
    course = enrollment.course
    notify_user(
        enrollment.retiree,
        "waitlist_promoted",
        f"好消息：您已从候补转为正式学员，课程《{course.title}》。",
        course.url or "",
        about=f"enrollment:{enrollment.pk}",
    )


class ProgressRefused(ValidationError):
    """Progress is kept only for the course's enrolled retirees."""


def enrolled_course_of(*, retiree: User, lesson: LessonPage) -> CoursePage:
    course = lesson.get_parent().specific
    if not Enrollment.objects.filter(
        course=course, retiree=retiree, status=Enrollment.Status.ENROLLED
    ).exists():
        raise ProgressRefused("报名这门课以后，才能记录学习进度。")
    return course


def mark_lesson_complete(*, retiree: User, lesson: LessonPage) -> LessonProgress:
    """Idempotent: the first completion time is kept."""
    enrolled_course_of(retiree=retiree, lesson=lesson)
    progress, _ = LessonProgress.objects.get_or_create(lesson=lesson, retiree=retiree)
    complete_once(progress)
    progress.refresh_from_db()
    return progress


def complete_once(progress: LessonProgress) -> None:
    # A conditional update, not a save of what was read: the player's reports may arrive
    # together (pause and end), and a stale one must never undo a completion.
    LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )


def save_video_position(
    *, retiree: User, lesson: LessonPage, seconds: int, finished: bool = False
) -> LessonProgress:
    """Remember where the video stopped; playing it to the end completes the lesson."""
    enrolled_course_of(retiree=retiree, lesson=lesson)
    progress, _ = LessonProgress.objects.get_or_create(lesson=lesson, retiree=retiree)
    LessonProgress.objects.filter(pk=progress.pk).update(
        position_seconds=max(0, min(int(seconds), 24 * 3600)), updated_at=timezone.now()
    )
    if finished:
        complete_once(progress)
    progress.refresh_from_db()
    return progress


class EvaluationRefused(ValidationError):
    """The retiree may not evaluate this course yet, or gave no valid stars."""


def save_course_evaluation(
    *, retiree: User, course: CoursePage, course_stars: int, instructor_stars: int, comment: str
) -> CourseEvaluation:
    """Create or update the retiree's one evaluation of this course."""
    from .selectors import may_evaluate

    if not may_evaluate(retiree=retiree, course=course):
        raise EvaluationRefused("学完一半课时或课程结束后，才能评价这门课。")
    for stars in (course_stars, instructor_stars):
        if stars not in range(1, 6):
            raise EvaluationRefused("请选择 1 到 5 颗星。")
    evaluation, _ = CourseEvaluation.objects.update_or_create(
        course=course,
        retiree=retiree,
        defaults={
            "course_stars": course_stars,
            "instructor_stars": instructor_stars,
            "comment": comment.strip()[:500],
        },
    )
    return evaluation


def rate_class(*, retiree: User, course: CoursePage, session: str, stars: int) -> bool:
    """A class session's stars, once per retiree; False when they had already rated it."""
    if stars not in range(1, 6):
        raise EvaluationRefused("请选一个星级（1 到 5 星）。")
    _, created = ClassRating.objects.get_or_create(
        retiree=retiree, session=session, defaults={"course": course, "stars": stars}
    )
    return created


@transaction.atomic
def create_replay_lesson(*, course: CoursePage, title: str, video: File) -> LessonPage:
    """课后回放: a class recording as a draft lesson under its course, for the instructor to
    check, caption and publish (through the course's usual review). Checked like any upload."""
    validate_lesson_media(video)
    media = LessonMedia(title=title, kind=LessonMedia.Kind.VIDEO)
    media.file.save(Path(video.name).name, video, save=False)
    media.save()
    lesson = LessonPage(
        title=title,
        slug=f"replay-{uuid.uuid4().hex[:10]}",
        summary="直播课的录像。",
        body=[("media", {"media": media})],
        live=False,
    )
    course.add_child(instance=lesson)
    lesson.save_revision()
    return lesson
