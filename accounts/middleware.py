from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class FirstPasswordMiddleware:
    """Someone logged in with a password staff handed out is sent to choose their own first;
    only that page, logging out and the 长辈模式 switch stay open."""

    OPEN_PREFIXES = ("/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            open_paths = {
                reverse("accounts:first_password"),
                reverse("accounts:logout"),
                reverse("accounts:elder_mode"),
            }
            if request.path not in open_paths and not request.path.startswith(self.OPEN_PREFIXES):
                return redirect("accounts:first_password")
        return self.get_response(request)


HELPING_SESSION_KEY = "helping_retiree_id"

# What a POST in 代为操作 mode did, in words staff and the retiree understand.
HELPER_ACTIONS = {
    "courses:enroll": "报名课程",
    "courses:withdraw": "退选课程",
    "courses:evaluate": "评价课程",
    "courses:complete_lesson": "把一课标为学完",
    "accounts:elder_mode": "切换长辈模式",
    "notices:acknowledge": "确认已读通知",
    "home:guide_done": "看完新手引导",
    "accounts:dismiss_notification": "关掉一条提醒",
}
UNRECORDED = {"courses:lesson_position", "accounts:stop_helping"}


class HelperModeMiddleware:
    """代为操作: while a helper has chosen a retiree, the site's own pages (not the admin)
    are the retiree's, request.helper is the person really there, and every change they make
    is written to the retiree's audit log. Consent revoked ends it on the next request."""

    SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .selectors import retirees_helped_by

        retiree_id = None
        if request.user.is_authenticated:
            retiree_id = request.session.get(HELPING_SESSION_KEY)
        if retiree_id and not request.path.startswith(self.SKIPPED_PREFIXES):
            retiree = retirees_helped_by(request.user).filter(pk=retiree_id).first()
            if retiree is None:
                del request.session[HELPING_SESSION_KEY]
                messages.info(request, "代为操作已经结束：授权已撤销或已过期。")
            else:
                request.helper, request.user = request.user, retiree
        response = self.get_response(request)
        helper = getattr(request, "helper", None)
        if helper is not None and request.method == "POST" and response.status_code < 400:
            self.record(request, helper)
        return response

    @staticmethod
    def record(request, helper) -> None:
        from .services import record_helper_action

        match = getattr(request, "resolver_match", None)
        name = match.view_name if match else ""
        if name in UNRECORDED:
            return
        record_helper_action(
            helper, request.user, HELPER_ACTIONS.get(name, "提交了一项操作"), request.path
        )
