from django import template
from django.utils import timezone

from core import humanize

register = template.Library()


@register.filter
def human_datetime(value):
    return humanize.human_datetime(value) if value else ""


@register.filter
def human_time(value):
    return humanize.human_time(value) if value else ""


@register.filter
def human_duration(value):
    return humanize.human_duration(value or 0)


@register.filter
def human_date(value):
    """今天 / 明天 / 3月5日 星期二, for a date or the date part of a datetime."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return humanize.human_date(value, timezone.localdate())
