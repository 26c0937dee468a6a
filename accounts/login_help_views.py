"""登录求助 in the staff workspace: accounts locked after wrong passwords (unlock), and a
new password for a retiree who phoned the duty line (staff-assisted reset)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .permissions import require_retiree_manager
from .selectors import locked_accounts_visible_to, retiree_profiles_visible_to
from .services import (
    HelpRefused,
    record_personal_data_access,
    reset_password_by_staff,
    unlock_account,
)


def login_help(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    locked = locked_accounts_visible_to(request.user)
    record_personal_data_access(
        request.user, "登录求助：被锁的账号", [user for user, _ in locked], path=request.path
    )
    return render(
        request,
        "accounts/admin/login_help.html",
        {
            "locked": locked,
            "page_title": "登录求助",
            "header_icon": "lock",
        },
    )


@require_POST
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    require_retiree_manager(request.user)
    try:
        user = unlock_account(request.user, user_id)
    except HelpRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"已为{user.name}解锁，现在可以再登录了。")
    return redirect("login_help")


@require_POST
def reset_password(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    phone = request.POST.get("phone", "").strip()
    profile = (
        retiree_profiles_visible_to(request.user)
        .filter(Q(user__phone=phone) | Q(user__username=phone))
        .first()
        if phone
        else None
    )
    if profile is None:
        messages.error(request, f"您管理的军休干部里没有手机号（账号）是“{phone}”的人。")
        return redirect("login_help")
    user, password = reset_password_by_staff(request.user, profile.user_id)
    messages.success(
        request,
        f"已为{user.name}重设密码：新密码 {password}。请念给本人听，登录后会请他换成自己的密码。",
    )
    return redirect("login_help")
