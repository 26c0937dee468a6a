"""代办授权 in the staff workspace: record a retiree's consent, revoke it, read the log of
what helpers did."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import HelperConsentForm
from .permissions import require_retiree_manager
from .selectors import consents_visible_to, helper_actions_visible_to
from .services import HelpRefused, record_helper_consent, revoke_helper_consent


def helper_consents(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    form = HelperConsentForm(request.POST or None, staff=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            consent, password = record_helper_consent(request.user, **form.cleaned_data)
        except HelpRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            helper, retiree = consent.helper, consent.retiree
            text = f"已登记：{helper.name}可以代{retiree.name}操作。"
            if password:
                text += (
                    f"已为{helper.name}开了家属账号，登录名 {helper.username}，"
                    f"初始密码 {password}，请抄下交给本人。"
                )
            messages.success(request, text)
            return redirect("helper_consents")
    actions = Paginator(helper_actions_visible_to(request.user), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "accounts/admin/helper_consents.html",
        {
            "form": form,
            "consents": consents_visible_to(request.user).filter(revoked_at=None),
            "actions": actions,
            "page_title": "代办授权",
            "header_icon": "user",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def revoke_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    require_retiree_manager(request.user)
    try:
        consent = revoke_helper_consent(request.user, consent_id)
    except HelpRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"已撤销：{consent.helper.name}不能再代{consent.retiree.name}操作。"
        )
    return redirect("helper_consents")
