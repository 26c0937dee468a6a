from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from search.selectors import matching_ids

from .models import ClassRating, CoursePage, Enrollment, LessonPage, LessonProgress


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    category: int | None = None
    term: int | None = None
    mode: str = ""
    institution: int | None = None
    open_only: bool = False


def catalog_courses(filters: CatalogFilters) -> QuerySet[CoursePage]:
    """Live courses matching the filters, with everything a catalog card shows, in a fixed
    number of queries whatever the number of courses.

    The search is the site's own (search.selectors): words in any order, pinyin, everyday
    words and traditional characters, as on the 搜索 page."""
    courses = (
        CoursePage.objects.live()
        .select_related("category", "term", "institution", "cover")
        .annotate(
            seats_left=F("capacity")
            - Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED)),
        )
        .order_by("category__sort_order", "weekday", "starts_at", "pk")
    )
    if filters.query:
        # Typed but no word in it (only punctuation): nothing matches.
        courses = courses.filter(pk__in=matching_ids(filters.query, kind="course") or [])
    if filters.category:
        courses = courses.filter(category_id=filters.category)
    if filters.term:
        courses = courses.filter(term_id=filters.term)
    if filters.mode:
        courses = courses.filter(mode=filters.mode)
    if filters.institution:
        courses = courses.filter(institution_id=filters.institution)
    if filters.open_only:
        now = timezone.now()
        courses = courses.filter(enrollment_opens__lte=now, enrollment_closes__gte=now)
    return courses


def enrollment_of(*, retiree: User, course: CoursePage) -> Enrollment | None:
    if not retiree.is_authenticated:
        return None
    return (
        Enrollment.objects.filter(course=course, retiree=retiree)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .first()
    )


def waitlist_position(enrollment: Enrollment) -> int:
    return Enrollment.objects.filter(
        course_id=enrollment.course_id,
        status=Enrollment.Status.WAITLISTED,
        queued_at__lte=enrollment.queued_at,
    ).count()


def lessons_of(course: CoursePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.live().child_of(course).order_by("path")


@dataclass(frozen=True)
class MyCourse:
    course: CoursePage
    status: str
    next_class_at: datetime | None
    progress: CourseProgress


def courses_of(retiree: User) -> list[MyCourse]:
    """我的课程: what the retiree enrolled in or waits for, soonest class first."""
    enrollments = list(
        Enrollment.objects.filter(retiree=retiree)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("course", "course__term", "course__institution")
    )
    now = timezone.now()
    progress = progress_in(retiree=retiree, courses=[e.course for e in enrollments])
    mine = []
    for enrollment in enrollments:
        course = enrollment.course
        mine.append(
            MyCourse(
                course=course,
                status=enrollment.status,
                next_class_at=course.next_class_start(now),
                progress=progress[course.pk],
            )
        )
    mine.sort(key=lambda item: (item.next_class_at is None, item.next_class_at or now))
    return mine


@dataclass(frozen=True)
class CourseProgress:
    total: int
    done: int
    next_lesson: LessonPage | None
    # The course's live lessons in order, already loaded: the course page lists them.
    lessons: tuple[LessonPage, ...] = ()

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total


def progress_in(*, retiree: User, courses: list[CoursePage]) -> dict[int, CourseProgress]:
    """Lessons done out of total and the next unfinished lesson, for several courses in one
    query."""
    if not courses:
        return {}
    under_any = Q()
    for course in courses:
        under_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    done = LessonProgress.objects.filter(
        retiree=retiree, lesson=OuterRef("pk"), completed_at__isnull=False
    )
    lessons = list(
        LessonPage.objects.live()
        .filter(under_any)
        .annotate(done_by_retiree=Exists(done))
        .order_by("path")
    )
    done_ids = {lesson.pk for lesson in lessons if lesson.done_by_retiree}
    result = {}
    for course in courses:
        own = [lesson for lesson in lessons if lesson.path.startswith(course.path)]
        result[course.pk] = CourseProgress(
            total=len(own),
            done=sum(1 for lesson in own if lesson.pk in done_ids),
            next_lesson=next((lesson for lesson in own if lesson.pk not in done_ids), None),
            lessons=tuple(own),
        )
    return result


def lesson_progress_of(*, retiree: User, lesson: LessonPage) -> LessonProgress | None:
    if not retiree.is_authenticated:
        return None
    return LessonProgress.objects.filter(retiree=retiree, lesson=lesson).first()


def may_evaluate(
    *,
    retiree: User,
    course: CoursePage,
    enrolled: bool | None = None,
    progress: CourseProgress | None = None,
) -> bool:
    """Asked once the course has ended, or once half its lessons are done. `enrolled` and
    `progress` (the retiree's in this course): when the caller already has them."""
    if not retiree.is_authenticated:
        return False
    if enrolled is None:
        enrolled = Enrollment.objects.filter(
            course=course, retiree=retiree, status=Enrollment.Status.ENROLLED
        ).exists()
    if not enrolled:
        return False
    if course.term.ends_on < timezone.localdate():
        return True
    if progress is None:
        progress = progress_in(retiree=retiree, courses=[course])[course.pk]
    return progress.total > 0 and progress.done * 2 >= progress.total


@dataclass(frozen=True)
class Satisfaction:
    answers: int
    course_average: float | None
    instructor_average: float | None
    course_distribution: dict[int, int]
    instructor_distribution: dict[int, int]
    comments: list[tuple[str, str]]  # (who, comment); who is "匿名" for anonymous courses
    class_ratings: int = 0  # stars given at the end of live classes
    class_average: float | None = None


def satisfaction_of(course: CoursePage) -> Satisfaction:
    evaluations = list(course.evaluations.select_related("retiree").order_by("-updated_at"))
    count = len(evaluations)

    def average(field: str) -> float | None:
        return round(sum(getattr(e, field) for e in evaluations) / count, 2) if count else None

    def distribution(field: str) -> dict[int, int]:
        return {
            stars: sum(1 for e in evaluations if getattr(e, field) == stars)
            for stars in range(1, 6)
        }

    class_stars = list(course.class_ratings.values_list("stars", flat=True))
    return Satisfaction(
        class_ratings=len(class_stars),
        class_average=round(sum(class_stars) / len(class_stars), 2) if class_stars else None,
        answers=count,
        course_average=average("course_stars"),
        instructor_average=average("instructor_stars"),
        course_distribution=distribution("course_stars"),
        instructor_distribution=distribution("instructor_stars"),
        comments=[
            ("匿名" if course.anonymous_evaluation else e.retiree.name, e.comment)
            for e in evaluations
            if e.comment
        ],
    )


def courses_reported_to(user: User) -> QuerySet[CoursePage]:
    """Courses whose enrollment and satisfaction figures a user may see: staff their
    institution tree's, instructors their own, administrators all."""
    from accounts.permissions import staff_scope

    courses = CoursePage.objects.live().select_related("institution", "term", "category")
    if user.is_platform_admin:
        return courses
    scope = staff_scope(user)
    if scope is not None:
        return courses.filter(institution__path__startswith=scope.path)
    if user.is_instructor:
        return courses.filter(instructors=user)
    return courses.none()


@dataclass(frozen=True)
class CourseReportRow:
    course: CoursePage
    enrolled: int
    waitlisted: int
    satisfaction: Satisfaction


def course_report(user: User) -> list[CourseReportRow]:
    courses = list(
        courses_reported_to(user)
        .annotate(
            enrolled=Count("enrollments", filter=Q(enrollments__status="enrolled")),
            waitlisted=Count("enrollments", filter=Q(enrollments__status="waitlisted")),
        )
        .order_by("institution__path", "title")
    )
    return [
        CourseReportRow(
            course=course,
            enrolled=course.enrolled,
            waitlisted=course.waitlisted,
            satisfaction=satisfaction_of(course),
        )
        for course in courses
    ]


def has_rated_class(retiree: User, session: str) -> bool:
    return ClassRating.objects.filter(retiree=retiree, session=session).exists()
