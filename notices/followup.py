"""通知送达情况: the staff workspace views (inside the Wagtail admin) that follow a notice
until it has reached everyone."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import PersonalDataAccess, User
from accounts.permissions import manages_institution, require_retiree_manager
from accounts.services import record_personal_data_access
from core.spreadsheets import xlsx_response

from .exports import not_reached_workbook
from .forms import ConveyanceForm
from .models import NoticePage, NoticeReceipt
from .selectors import FollowUp, follow_up, followed_notices, reached_counts
from .services import NoticeRefused, record_conveyance


def followed_notice_or_404(request: HttpRequest, notice_id: int) -> NoticePage:
    require_retiree_manager(request.user)
    return get_object_or_404(followed_notices(request.user), pk=notice_id)


def notice_followup_list(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    page = Paginator(followed_notices(request.user), 20).get_page(request.GET.get("p"))
    counts = reached_counts(list(page), request.user)
    rows = [
        (notice, audience, reached, audience - reached)
        for notice in page
        for audience, reached in [counts[notice.pk]]
    ]
    return render(
        request,
        "notices/admin/followup_list.html",
        {"page": page, "rows": rows, "page_title": "通知送达情况", "header_icon": "mail"},
    )


def recorded_follow_up(
    request: HttpRequest, notice_id: int, action: str = PersonalDataAccess.Action.VIEW
) -> tuple[NoticePage, FollowUp]:
    """The notice's follow-up for this staff member; showing or exporting the people not
    reached (phones, care flags) is written to 个人信息查看记录."""
    notice = followed_notice_or_404(request, notice_id)
    progress = follow_up(notice, request.user)
    what = "未送达名单" if action == PersonalDataAccess.Action.EXPORT else "通知送达情况"
    record_personal_data_access(
        request.user,
        f"{what}：{notice.title}",
        [person.retiree_id for person in progress.not_reached],
        path=request.get_full_path(),
        action=action,
    )
    return notice, progress


def notice_followup_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice, progress = recorded_follow_up(request, notice_id)
    return render(
        request,
        "notices/admin/followup_detail.html",
        {
            "notice": notice,
            "follow_up": progress,
            "page_title": "通知送达情况",
            "page_subtitle": notice.title,
            "header_icon": "mail",
        },
    )


def notice_followup_export(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice, progress = recorded_follow_up(request, notice_id, PersonalDataAccess.Action.EXPORT)
    return xlsx_response(
        not_reached_workbook(progress, exported_by=request.user),
        f"notice-{notice.pk}-not-reached.xlsx",
    )


@require_POST
def notice_conveyed(request: HttpRequest, notice_id: int, retiree_id: int) -> HttpResponse:
    notice = followed_notice_or_404(request, notice_id)
    retiree = User.objects.filter(pk=retiree_id, role=User.Role.RETIREE).first()
    if retiree is None or not manages_institution(request.user, retiree.institution):
        raise Http404
    form = ConveyanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"没有记下{retiree.name}：请选择告知方式（电话或上门）。")
    else:
        try:
            record_conveyance(
                notice,
                retiree,
                request.user,
                form.cleaned_data["method"],
                form.cleaned_data["note"],
            )
        except NoticeRefused as reason:
            messages.error(request, str(reason))
        else:
            method = NoticeReceipt.Conveyed(form.cleaned_data["method"]).label
            messages.success(request, f"已记下：{retiree.name} {method}。")
    return redirect(reverse("notice_followup_detail", args=[notice.pk]) + "#not-reached")
