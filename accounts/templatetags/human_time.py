from django import template

from accounts import humanize

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
