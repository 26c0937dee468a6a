"""学期报表: the term's figures for the institutions a staff member looks after. Every
figure here is what the report page shows and the .xlsx export writes."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import staff_scope
from courses.models import CourseEvaluation, CoursePage, Enrollment, Term
from live.models import LiveClass
from live.selectors import attendance_of
from notices.models import NoticePage
from notices.selectors import follow_up, followed_by


@dataclass
class EnrollmentRow:
    label: str
    enrolled: int
    capacity: int


@dataclass
class AttendanceRow:
    live_class: LiveClass
    roster: int
    present: int  # 出勤, 迟到 and 早退 all count as present

    @property
    def rate(self) -> float | None:
        return round(100 * self.present / self.roster, 1) if self.roster else None


@dataclass
class NoticeRow:
    notice: NoticePage
    audience: int
    read: int
    acknowledged: int | None  # None where the notice asks for no acknowledgement

    @property
    def read_rate(self) -> float | None:
        return round(100 * self.read / self.audience, 1) if self.audience else None

    @property
    def acknowledged_rate(self) -> float | None:
        if self.acknowledged is None or not self.audience:
            return None
        return round(100 * self.acknowledged / self.audience, 1)


@dataclass
class SatisfactionRow:
    label: str
    average: float | None
    count: int


@dataclass
class TermReport:
    term: Term
    by_course: list[EnrollmentRow] = field(default_factory=list)
    by_category: list[EnrollmentRow] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)
    notices: list[NoticeRow] = field(default_factory=list)
    satisfaction_by_course: list[SatisfactionRow] = field(default_factory=list)
    satisfaction_by_instructor: list[SatisfactionRow] = field(default_factory=list)
    satisfaction_by_institution: list[SatisfactionRow] = field(default_factory=list)


def current_term(today: datetime.date | None = None) -> Term | None:
    today = today or timezone.localdate()
    terms = Term.objects.order_by("-starts_on")
    return terms.filter(starts_on__lte=today, ends_on__gte=today).first() or terms.first()


def courses_in_scope(viewer: User, term: Term):
    courses = CoursePage.objects.live().filter(term=term).select_related("institution", "category")
    if viewer.is_platform_admin:
        return courses
    scope = staff_scope(viewer)
    if scope is None:
        return courses.none()
    return courses.filter(institution__path__startswith=scope.path)


def rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def term_report(viewer: User, term: Term, now: datetime.datetime | None = None) -> TermReport:
    now = now or timezone.now()
    report = TermReport(term)
    courses = list(
        courses_in_scope(viewer, term)
        .annotate(
            enrolled=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED))
        )
        .order_by("institution__path", "title")
    )
    report.by_course = [EnrollmentRow(c.title, c.enrolled, c.capacity) for c in courses]
    categories: dict[str, EnrollmentRow] = {}
    for course in courses:
        row = categories.setdefault(course.category.name, EnrollmentRow(course.category.name, 0, 0))
        row.enrolled += course.enrolled
        row.capacity += course.capacity
    report.by_category = sorted(categories.values(), key=lambda row: -row.enrolled)

    classes = LiveClass.objects.filter(course__in=courses, starts_at__lte=now).select_related(
        "course"
    )
    for live_class in classes.order_by("starts_at"):
        rows = attendance_of(live_class, now)
        present = sum(1 for row in rows if row.status != "缺勤")
        report.attendance.append(AttendanceRow(live_class, len(rows), present))

    start = datetime.datetime.combine(
        term.starts_on, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    end = datetime.datetime.combine(
        term.ends_on, datetime.time.max, tzinfo=timezone.get_current_timezone()
    )
    notices = NoticePage.objects.filter(
        followed_by(viewer), live=True, first_published_at__range=(start, end)
    ).select_related("institution")
    for notice in notices.order_by("first_published_at"):
        total = follow_up(notice, viewer).total
        if total is None or not total.audience:
            continue
        acknowledged = total.acknowledged if notice.requires_acknowledgement else None
        report.notices.append(NoticeRow(notice, total.audience, total.read, acknowledged))

    evaluations = CourseEvaluation.objects.filter(course__in=courses)
    by_course = {
        row["course_id"]: row
        for row in evaluations.values("course_id").annotate(avg=Avg("course_stars"), n=Count("id"))
    }
    report.satisfaction_by_course = [
        SatisfactionRow(
            c.title,
            rounded(by_course.get(c.pk, {}).get("avg")),
            by_course.get(c.pk, {}).get("n", 0),
        )
        for c in courses
    ]
    instructors = (
        evaluations.filter(course__instructors__isnull=False)
        .values("course__instructors__name")
        .annotate(avg=Avg("instructor_stars"), n=Count("id"))
        .order_by("course__instructors__name")
    )
    report.satisfaction_by_instructor = [
        SatisfactionRow(row["course__instructors__name"], rounded(row["avg"]), row["n"])
        for row in instructors
    ]
    places: dict[str, list[int]] = {course.institution.name: [] for course in courses}
    course_by_id = {course.pk: course for course in courses}
    for course_id, stars in evaluations.values_list("course_id", "course_stars"):
        places[course_by_id[course_id].institution.name].append(stars)
    report.satisfaction_by_institution = [
        SatisfactionRow(name, rounded(sum(s) / len(s)) if s else None, len(s))
        for name, s in places.items()
    ]
    return report
