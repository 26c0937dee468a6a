"""关怀名单 in the staff workspace."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import require_retiree_manager
from accounts.services import record_personal_data_access

from .forms import CareContactForm
from .selectors import DEFAULT_QUIET_DAYS, care_list
from .services import record_care_contact

QUIET_DAY_CHOICES = [7, 14, 30, 60, 90]


def quiet_days_from(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_QUIET_DAYS))
    except ValueError:
        return DEFAULT_QUIET_DAYS
    return min(max(days, 1), 365)


def care_list_view(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    days = quiet_days_from(request)
    rows = care_list(request.user, days)
    record_personal_data_access(
        request.user,
        f"关怀名单（{days}天没动静）",
        [row.profile.user_id for row in rows],
        path=request.get_full_path(),
    )
    return render(
        request,
        "staff/admin/care_list.html",
        {
            "rows": rows,
            "days": days,
            "day_choices": QUIET_DAY_CHOICES,
            "form": CareContactForm(initial={"contacted_on": timezone.localdate()}),
            "page_title": "关怀名单",
            "header_icon": "user",
        },
    )


@require_POST
def record_contact_view(request: HttpRequest, retiree_id: int) -> HttpResponse:
    require_retiree_manager(request.user)
    back = reverse("care_list") + f"?days={quiet_days_from(request)}"
    form = CareContactForm(request.POST)
    if not form.is_valid():
        problems = "；".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"没有记下：{problems}")
        return redirect(back)
    # Someone outside the staff member's subtree: NotYours("not_found"), the 404 page.
    contact = record_care_contact(request.user, retiree_id, **form.cleaned_data)
    messages.success(
        request,
        f"已记下：{contact.get_method_display()}联系了{contact.retiree.name}。"
        "他/她暂时不在名单上，再有这么多天没动静会重新出现。",
    )
    return redirect(back)
