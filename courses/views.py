from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from accounts.models import Institution

from .models import Category, CoursePage, Term
from .selectors import CatalogFilters, catalog_courses
from .services import EnrollmentRefused, enroll_retiree, withdraw_retiree

COURSES_PER_PAGE = 12


def whole_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def catalog_context(request: HttpRequest, index_page) -> dict:
    filters = CatalogFilters(
        query=request.GET.get("q", "").strip()[:50],
        category=whole_number(request.GET.get("category")),
        term=whole_number(request.GET.get("term")),
        mode=request.GET.get("mode", "") if request.GET.get("mode") in CoursePage.Mode else "",
        institution=whole_number(request.GET.get("institution")),
        open_only=request.GET.get("open") == "1",
    )
    page = Paginator(catalog_courses(filters), COURSES_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return {
        "filters": filters,
        "courses": page,
        "query_without_page": query_without_page.urlencode(),
        "categories": Category.objects.all(),
        "terms": Term.objects.all(),
        "modes": CoursePage.Mode.choices,
        "institutions": Institution.objects.filter(courses__live=True).distinct().order_by("path"),
        "is_filtered": any(
            [
                filters.query,
                filters.category,
                filters.term,
                filters.mode,
                filters.institution,
                filters.open_only,
            ]
        ),
    }


def change_enrollment(request: HttpRequest, course_id: int, action) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        outcome = action(retiree=request.user, course=course)
    except EnrollmentRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, success_message(action, outcome))
    return HttpResponseRedirect(course.url)


def success_message(action, outcome) -> str:
    if action is withdraw_retiree:
        return "您已退出这门课。"
    if outcome.status == outcome.Status.WAITLISTED:
        return "名额已满，已为您排上候补。有人退出时会马上通知您。"
    return "报名成功！上课时间和地点在下面。"


@require_POST
@login_required
def enroll(request: HttpRequest, course_id: int) -> HttpResponse:
    return change_enrollment(request, course_id, enroll_retiree)


@require_POST
@login_required
def withdraw(request: HttpRequest, course_id: int) -> HttpResponse:
    return change_enrollment(request, course_id, withdraw_retiree)


def course_context(request: HttpRequest, course: CoursePage) -> dict:
    from .selectors import enrollment_of, lessons_of, waitlist_position
    from .services import check_can_enroll, enrolled_count

    enrollment = enrollment_of(retiree=request.user, course=course)
    refusal = None
    if enrollment is None and request.user.is_authenticated:
        try:
            check_can_enroll(retiree=request.user, course=course)
        except EnrollmentRefused as reason:
            refusal = reason.messages[0]
    return {
        "enrollment": enrollment,
        "waitlist_position": waitlist_position(enrollment)
        if enrollment and enrollment.status == enrollment.Status.WAITLISTED
        else None,
        "seats_left": max(course.capacity - enrolled_count(course), 0),
        "lessons": lessons_of(course),
        "enroll_refusal": refusal,
    }
