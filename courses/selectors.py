from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import CoursePage, Enrollment, LessonPage


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

    Search is a plain substring match on title, summary and syllabus: Chinese has no spaces
    between words, so 书法 must find 书法入门 and any description that mentions 书法."""
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
        words = filters.query.split()
        for word in words:
            courses = courses.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(syllabus__icontains=word)
            )
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


def courses_of(retiree: User) -> list[MyCourse]:
    """我的课程: what the retiree enrolled in or waits for, soonest class first."""
    enrollments = (
        Enrollment.objects.filter(retiree=retiree)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("course", "course__term", "course__institution")
    )
    now = timezone.now()
    mine = []
    for enrollment in enrollments:
        course = enrollment.course
        mine.append(
            MyCourse(
                course=course,
                status=enrollment.status,
                next_class_at=course.next_class_start(now),
            )
        )
    mine.sort(key=lambda item: (item.next_class_at is None, item.next_class_at or now))
    return mine
