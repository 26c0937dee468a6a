from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.pages import ELDER_MODE_COOKIE

from .selectors import unread_notifications

__all__ = ["ELDER_MODE_COOKIE", "elder_mode", "elder_mode_enabled", "institution_contact"]


def elder_mode_enabled(request) -> bool:
    """Per account once logged in; per browser (a cookie) before."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.elder_mode
    return request.COOKIES.get(ELDER_MODE_COOKIE) == "1"


def elder_mode(request) -> dict:
    return {"elder_mode": elder_mode_enabled(request)}


def institution_contact(request) -> dict:
    """The duty phone in every page footer, and unread notifications for the banner."""
    user = getattr(request, "user", None)
    phone, roster = "", []
    if user is not None and user.is_authenticated and user.institution_id:
        phone, roster = user.institution.duty_contact()
    return {
        "duty_phone": phone or settings.PLATFORM_HELP_PHONE,
        "duty_roster": roster,
        # Lazy: a page that lists notifications itself (我的) puts its own in the context.
        "unread_notifications": SimpleLazyObject(
            # All of them (up to a hundred): the reminder line says how many.
            lambda: unread_notifications(user, limit=100) if user else []
        ),
    }
