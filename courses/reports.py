from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import can_manage_retirees

from .selectors import course_report


def can_see_course_reports(user) -> bool:
    return can_manage_retirees(user) or (user.is_authenticated and user.is_instructor)


def satisfaction_report(request: HttpRequest) -> HttpResponse:
    """报名与满意度: per course, in the staff member's tree (or the instructor's courses)."""
    if not can_see_course_reports(request.user):
        raise PermissionDenied
    return render(
        request,
        "courses/admin/satisfaction_report.html",
        {"rows": course_report(request.user), "page_title": "报名与满意度", "header_icon": "table"},
    )
