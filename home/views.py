from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import can_manage_retirees
from accounts.selectors import retirees_helped_by
from accounts.services import mark_reminders_seen
from circles.selectors import circles_of
from courses.selectors import courses_of
from live.selectors import classes_today_for, doors_open, retiree_classes_from_today, today_bounds
from notices.selectors import unread_notice_ids


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: who I am, where I belong, who to call."""
    user = request.user
    institution = user.institution
    if user.is_retiree:
        from_today = retiree_classes_from_today(user)
        tomorrow, now = today_bounds()[1], timezone.now()
        classes_today = [c for c in from_today if c.starts_at < tomorrow]
        my_courses = with_next_live_class(
            courses_of(user), [c for c in from_today if c.ends_at >= now]
        )
    else:
        classes_today, my_courses = classes_today_for(user), []
    unread_ids = unread_notice_ids(user)
    notifications = list(user.notifications.all()[:10])
    context = {
        "institution": institution,
        "institution_path": list(institution.get_ancestors()) + [institution]
        if institution
        else [],
        "profile": getattr(user, "retiree_profile", None) if user.is_retiree else None,
        "can_use_workspace": can_manage_retirees(user) or user.is_instructor,
        "notifications": reminders(notifications, unread_ids),
        # 我的提醒 lists them all on this page; no banner above it as well.
        "unread_notifications": [],
        "my_courses": my_courses,
        "unread_notices": len(unread_ids),
        "my_circles": circles_of(user),
        "show_guide": user.is_retiree and not user.guide_done,
        "helped_actions": user.helped_actions.all()[:10] if user.is_retiree else [],
        "may_help": retirees_helped_by(getattr(request, "helper", None) or user).exists(),
        "classes_today": [{"live_class": c, "open": doors_open(c)} for c in classes_today],
    }
    response = render(request, "home/me.html", context)
    mark_reminders_seen(user=user, notifications=notifications)
    return response


def reminders(notifications, unread_notice_ids: set[int]) -> list[dict]:
    """我的提醒, each with whether it is still 未读. A reminder of a notice is read when the
    notice is (as 通知 shows it), not when its banner was put away."""
    unread_about = {f"notice:{pk}" for pk in unread_notice_ids}
    return [
        {
            "notification": notification,
            "unread": notification.about in unread_about
            if notification.kind == "notice"
            else notification.read_at is None,
        }
        for notification in notifications
    ]


def with_next_live_class(my_courses: list, coming_classes: list) -> list[tuple]:
    """Each of 我的课程 with its next live class, if one is scheduled (coming_classes in
    order of their start)."""
    next_live = {}
    for live_class in reversed(coming_classes):
        next_live[live_class.course_id] = live_class
    return [(item, next_live.get(item.course.pk)) for item in my_courses]


@require_POST
@login_required
def guide_done(request: HttpRequest) -> HttpResponse:
    """我知道了 under the first-visit guide: it does not come back on any device."""
    User.objects.filter(pk=request.user.pk).update(guide_done=True)
    return redirect("home:me")


def help_page(request: HttpRequest) -> HttpResponse:
    """帮助: who to call (the duty phone of one's own institution, from the footer's context)
    and how each part of the site is used, in a few plain sentences."""
    return render(request, "home/help.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmarks ask for whatever the page says: the site's
    icon (the pages name it, and the apple-touch-icon, in their head)."""
    return redirect(static("site/icons/favicon.ico"), permanent=True)
