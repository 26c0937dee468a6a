"""Dates and times as a retiree says them: 今天 下午3:00, 明天 上午9:00, 3月5日 星期二.
Never 24-hour clocks or ISO dates on retirees' pages."""

import datetime

from django.utils import timezone

WEEKDAY_NAMES = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


def part_of_day(hour: int) -> str:
    if hour < 5:
        return "凌晨"
    if hour < 12:
        return "上午"
    if hour < 13:
        return "中午"
    if hour < 18:
        return "下午"
    return "晚上"


def human_time(value: datetime.time | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour if value.hour < 5 else value.hour % 12 or 12  # 凌晨0:30, 中午12:30
    return f"{part_of_day(value.hour)}{hour}:{value.minute:02d}"


def human_date(value: datetime.date, today: datetime.date) -> str:
    difference = (value - today).days
    named = {-1: "昨天", 0: "今天", 1: "明天", 2: "后天"}
    if difference in named:
        return named[difference]
    text = f"{value.month}月{value.day}日 {WEEKDAY_NAMES[value.weekday()]}"
    if value.year != today.year:
        text = f"{value.year}年{text}"
    return text


def human_datetime(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    local = timezone.localtime(value)
    today = timezone.localtime(now or timezone.now()).date()
    return f"{human_date(local.date(), today)} {human_time(local)}"


def human_duration(seconds: int) -> str:
    """125 → 2分5秒; 3725 → 1小时2分."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分"
    if minutes:
        return f"{minutes}分{secs}秒"
    return f"{secs}秒"
