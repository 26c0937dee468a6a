from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.models import Institution

from .caching import catalog_body
from .forms import EvaluationForm
from .models import Category, CoursePage, LessonPage, Term
from .selectors import (
    CatalogFilters,
    catalog_courses,
    enrollment_of,
    lesson_progress_of,
    lessons_of,
    may_evaluate,
    progress_in,
    waitlist_position,
)
from .services import (
    EnrollmentRefused,
    EvaluationRefused,
    ProgressRefused,
    check_can_enroll,
    enroll_retiree,
    enrolled_count,
    mark_lesson_complete,
    save_course_evaluation,
    save_video_position,
    withdraw_retiree,
)

COURSES_PER_PAGE = 12


def whole_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def filter_choice(name: str, label: str, everything: str, selected, options) -> dict:
    return {
        "name": name,
        "label": label,
        "everything": everything,
        "selected": selected,
        "options": list(options),
    }


def catalog_context(request: HttpRequest, index_page) -> dict:
    filters = catalog_filters(request)
    number = request.GET.get("page", "")
    number = number if number.isdigit() else "1"
    body = catalog_body(
        f"{filters_query(filters)}&page={number}",
        lambda: catalog_body_context(filters, number, index_page),
    )
    return {"catalog_html": mark_safe(body)}  # rendered by our own template, escaped there


def catalog_filters(request: HttpRequest) -> CatalogFilters:
    return CatalogFilters(
        query=request.GET.get("q", "").strip()[:50],
        category=whole_number(request.GET.get("category")),
        term=whole_number(request.GET.get("term")),
        mode=request.GET.get("mode", "") if request.GET.get("mode") in CoursePage.Mode else "",
        institution=whole_number(request.GET.get("institution")),
        open_only=request.GET.get("open") == "1",
    )


def filters_query(filters: CatalogFilters) -> str:
    """The filters as a query string in a fixed order, without whatever else the address
    carried (WeChat adds ?from=groupmessage to a shared link): one cached catalog body per
    search, and page links that carry the search only."""
    pairs = [
        ("q", filters.query),
        ("category", filters.category),
        ("term", filters.term),
        ("mode", filters.mode),
        ("institution", filters.institution),
        ("open", "1" if filters.open_only else ""),
    ]
    return urlencode([(name, value) for name, value in pairs if value])


def catalog_body_context(filters: CatalogFilters, number: str, index_page) -> dict:
    page = Paginator(catalog_courses(filters), COURSES_PER_PAGE).get_page(number)
    return {
        "page": index_page,
        "filters": filters,
        "courses": page,
        "query_without_page": filters_query(filters),
        "filter_choices": [
            filter_choice(
                "category",
                "类别",
                "全部类别",
                filters.category,
                Category.objects.values_list("pk", "name"),
            ),
            filter_choice(
                "term", "学期", "全部学期", filters.term, Term.objects.values_list("pk", "name")
            ),
            filter_choice("mode", "上课方式", "全部方式", filters.mode, CoursePage.Mode.choices),
            filter_choice(
                "institution",
                "开课机构",
                "全部机构",
                filters.institution,
                Institution.objects.filter(courses__live=True)
                .distinct()
                .order_by("path")
                .values_list("pk", "name"),
            ),
        ],
        "is_filtered": bool(filters_query(filters)),
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

    enrollment = enrollment_of(retiree=request.user, course=course)
    enrolled = enrollment is not None and enrollment.status == enrollment.Status.ENROLLED
    refusal = None
    if enrollment is None and request.user.is_authenticated:
        try:
            check_can_enroll(retiree=request.user, course=course)
        except EnrollmentRefused as reason:
            refusal = reason.messages[0]
    # One read of the lessons: the progress of someone enrolled carries them.
    progress = None
    if enrollment:
        progress = progress_in(retiree=request.user, courses=[course])[course.pk]
    return {
        # Addresses through the request: Wagtail then reads the site's root paths once.
        "catalog_url": course.catalog_url(request),
        "enrollment": enrollment,
        "waitlist_position": waitlist_position(enrollment)
        if enrollment and enrollment.status == enrollment.Status.WAITLISTED
        else None,
        # Shown only to someone who may still enroll.
        "seats_left": None if enrollment else max(course.capacity - enrolled_count(course), 0),
        "lessons": progress.lessons if progress else list(lessons_of(course)),
        "enroll_refusal": refusal,
        "progress": progress,
        "evaluation_form": EvaluationForm.for_existing(
            course.evaluations.filter(retiree=request.user).first(),
            request.session.get(f"evaluation-draft-{course.pk}"),
        )
        if may_evaluate(retiree=request.user, course=course, enrolled=enrolled, progress=progress)
        else None,
    }


def lesson_context(request: HttpRequest, lesson: LessonPage) -> dict:

    course = lesson.course
    enrollment = enrollment_of(retiree=request.user, course=course)
    siblings = list(lessons_of(course))
    position = next((i for i, item in enumerate(siblings) if item.pk == lesson.pk), 0)
    return {
        "course": course,
        "is_enrolled": bool(enrollment and enrollment.status == enrollment.Status.ENROLLED),
        "progress": lesson_progress_of(retiree=request.user, lesson=lesson),
        "lesson_number": position + 1,
        "lesson_total": len(siblings),
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if position + 1 < len(siblings) else None,
    }


@require_POST
@login_required
def complete_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        mark_lesson_complete(retiree=request.user, lesson=lesson)
    except ProgressRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, "好的，这一课记为已学完。")
    return HttpResponseRedirect(lesson.url)


@require_POST
@login_required
def lesson_position(request: HttpRequest, lesson_id: int) -> JsonResponse:
    """The video player reports where it is every few seconds and when it ends."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        seconds = int(float(request.POST.get("seconds", "0")))
    except ValueError:
        return JsonResponse({"error": "位置不对"}, status=400)
    try:
        progress = save_video_position(
            retiree=request.user,
            lesson=lesson,
            seconds=seconds,
            finished=request.POST.get("finished") == "1",
        )
    except ProgressRefused as refusal:
        return JsonResponse({"error": refusal.messages[0]}, status=403)
    return JsonResponse(
        {"seconds": progress.position_seconds, "completed": progress.completed_at is not None}
    )


@require_POST
@login_required
def evaluate_course(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        # Keep what was chosen and typed; the course page shows each error by its field.
        request.session[f"evaluation-draft-{course.pk}"] = request.POST.dict()
        messages.error(request, "评价还没有提交：请为课程和老师各选一个星级。")
        return HttpResponseRedirect(course.url + "#evaluation")
    try:
        save_course_evaluation(retiree=request.user, course=course, **form.cleaned_data)
    except EvaluationRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        request.session.pop(f"evaluation-draft-{course.pk}", None)
        messages.success(request, "谢谢您的评价！以后想改，随时可以再提交。")
    return HttpResponseRedirect(course.url + "#evaluation")


@login_required
def certificate(request: HttpRequest, course_id: int) -> HttpResponse:
    """结业证书: a printable A4 page for a retiree who finished every lesson."""

    course = get_object_or_404(
        CoursePage.objects.live().select_related("term", "institution"), pk=course_id
    )
    enrollment = enrollment_of(retiree=request.user, course=course)
    progress = progress_in(retiree=request.user, courses=[course])[course.pk]
    if not (enrollment and enrollment.status == enrollment.Status.ENROLLED and progress.finished):
        messages.error(request, "学完这门课的全部课时以后，就可以领取结业证书。")
        return HttpResponseRedirect(course.url)
    return render(
        request,
        "courses/certificate.html",
        {"course": course, "retiree": request.user, "issued_on": timezone.localdate()},
    )
