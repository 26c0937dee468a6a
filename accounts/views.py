from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .context_processors import ELDER_MODE_COOKIE
from .forms import FirstPasswordForm, LoginForm
from .middleware import HELPING_SESSION_KEY
from .selectors import retirees_helped_by
from .services import (
    change_own_password,
    mark_notification_read,
    record_helper_action,
    set_elder_mode,
)

ONE_YEAR = 60 * 60 * 24 * 365


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # A choice made before logging in carries over to the account.
        if self.request.COOKIES.get(ELDER_MODE_COOKIE) == "1":
            set_elder_mode(form.get_user(), True)
        return response


def safe_next_url(request: HttpRequest, fallback: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_http_methods(["GET", "POST"])
def switch_elder_mode(request: HttpRequest) -> HttpResponse:
    """Before logging in the switch is a GET that only sets this browser's cookie (so pages
    need no CSRF token and can be shared by a cache); a POST with CSRF also saves it on the
    account, so it follows the retiree to any device."""
    data = request.POST if request.method == "POST" else request.GET
    enabled = data.get("enabled") == "1"
    response = HttpResponseRedirect(safe_next_url(request))
    if request.method == "POST" and request.user.is_authenticated:
        set_elder_mode(request.user, enabled)
    response.set_cookie(
        ELDER_MODE_COOKIE, "1" if enabled else "0", max_age=ONE_YEAR, samesite="Lax"
    )
    messages.success(request, _("已开启长辈模式，字更大了。") if enabled else _("已关闭长辈模式。"))
    return response


@require_POST
def dismiss_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    if request.user.is_authenticated:
        mark_notification_read(request.user, notification_id)
    return HttpResponseRedirect(safe_next_url(request))


@login_required
def first_password(request: HttpRequest) -> HttpResponse:
    """One plain step: the new password twice. Nothing else to fill in."""
    if not request.user.must_change_password or getattr(request, "helper", None):
        return redirect("home:me")  # nobody sets another person's password for them
    form = FirstPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_own_password(request.user, form.cleaned_data["new_password"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("新密码设好了，以后就用它登录。"))
        return redirect("home:me")
    return render(request, "accounts/first_password.html", {"form": form})


@login_required
def helping(request: HttpRequest) -> HttpResponse:
    """The retirees this person may act for, each with a 代为操作 button."""
    helper = getattr(request, "helper", None) or request.user
    return render(
        request, "accounts/helping.html", {"retirees": retirees_helped_by(helper), "helper": helper}
    )


@login_required
@require_POST
def start_helping(request: HttpRequest, retiree_id: int) -> HttpResponse:
    helper = getattr(request, "helper", None) or request.user
    retiree = retirees_helped_by(helper).filter(pk=retiree_id).first()
    if retiree is None:
        raise Http404
    request.session[HELPING_SESSION_KEY] = retiree.pk
    record_helper_action(helper, retiree, "开始代为操作", request.path)
    messages.success(
        request, _("现在是代%(name)s操作，做的每件事都会记下来。") % {"name": retiree.name}
    )
    return redirect("home:me")


@require_POST
def stop_helping(request: HttpRequest) -> HttpResponse:
    helper = getattr(request, "helper", None)
    if helper is not None:
        record_helper_action(helper, request.user, "结束代为操作", request.path)
        request.session.pop(HELPING_SESSION_KEY, None)
        messages.success(request, _("已经结束代为操作。"))
    return redirect("accounts:helping")
