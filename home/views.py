from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import can_manage_retirees
from courses.selectors import courses_of
from live.selectors import classes_today_for, doors_open
from notices.selectors import unread_notice_count


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: who I am, where I belong, who to call."""
    user = request.user
    institution = user.institution
    context = {
        "institution": institution,
        "institution_path": list(institution.get_ancestors()) + [institution]
        if institution
        else [],
        "profile": getattr(user, "retiree_profile", None) if user.is_retiree else None,
        "can_use_workspace": can_manage_retirees(user) or user.is_instructor,
        "notifications": user.notifications.all()[:10],
        "my_courses": courses_of(user) if user.is_retiree else [],
        "unread_notices": unread_notice_count(user),
        "classes_today": [
            {"live_class": c, "open": doors_open(c)} for c in classes_today_for(user)
        ],
    }
    return render(request, "home/me.html", context)
