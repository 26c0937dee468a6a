"""未读提醒: a notice needing 我已阅读并知悉, still unacknowledged after UNREAD_REMINDER_DAYS,
reminds each such retiree once, and the follow-up list shows who was reminded."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from notices.services import acknowledge_notice, record_conveyance, send_unread_reminders


def person(login: str) -> User:
    return User.objects.get(username=login)


def reminded(notice) -> set[str]:
    return set(
        Notification.objects.filter(kind="notice_unread", about=f"notice:{notice.pk}").values_list(
            "user__username", flat=True
        )
    )


def test_reminded_once_after_three_days_and_shown_on_the_follow_up(publish, client_as):
    notice = publish("first", "体检通知", requires_acknowledgement=True)
    plain = publish("first", "植树活动")  # needs no acknowledgement: never a 未读提醒
    acknowledge_notice(notice, person("13500000001"))
    record_conveyance(notice, person("13500000002"), person("staff_first"), "phone", "")
    told_at = timezone.now()

    assert send_unread_reminders(now=told_at + datetime.timedelta(days=2, hours=23)) == 0
    three_days = told_at + datetime.timedelta(days=3, minutes=1)
    audience = set(
        User.objects.filter(
            role="retiree", institution__path__startswith=notice.institution.path
        ).values_list("username", flat=True)
    )
    waiting = audience - {"13500000001", "13500000002"}
    assert send_unread_reminders(now=three_days) == len(waiting) == 5
    assert reminded(notice) == waiting
    assert send_unread_reminders(now=three_days + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(kind="notice_unread").count() == 5
    assert not reminded(plain)
    text = Notification.objects.filter(kind="notice_unread").first().text
    assert "体检通知" in text and "确认" in text

    page = client_as("staff_first").get(reverse("notice_followup_detail", args=[notice.pk]))
    assert "已提醒过一次" in page.content.decode()
