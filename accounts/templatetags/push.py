from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/push_button.html", takes_context=True)
def push_button(context) -> dict:
    """The 手机提醒 card of 我的, self-contained: `{% load push %}{% push_button %}`."""
    return {"push_key": settings.VAPID_PUBLIC_KEY, "duty_phone": context.get("duty_phone", "")}
