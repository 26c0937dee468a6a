"""The demo's 关怀名单: a few care-flagged retirees who have not been seen for weeks, so that
staff trying the workspace see what it does. Everyone else logged in yesterday."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from courses.models import LessonProgress
from notices.models import NoticeReceipt
from rooms.models import Presence

# (phone, days since anyone last saw them): 孙振华 of 第一军休所 (高龄, 重病) and 褚国庆 of
# 第二军休所 (失智).
DEMO_GONE_QUIET = [("13900000005", 23), ("13900000011", 35)]


def load_demo_care_list() -> None:
    now = timezone.now()
    retirees = User.objects.filter(role=User.Role.RETIREE)
    retirees.update(date_joined=now - timedelta(days=120), last_login=now - timedelta(days=1))
    for phone, days in DEMO_GONE_QUIET:
        last_seen = now - timedelta(days=days)
        User.objects.filter(username=phone).update(last_login=last_seen)
        LessonProgress.objects.filter(retiree__username=phone).update(updated_at=last_seen)
        NoticeReceipt.objects.filter(retiree__username=phone, read_at__isnull=False).update(
            read_at=last_seen
        )
        Presence.objects.filter(user__username=phone).update(
            joined_at=last_seen, left_at=last_seen + timedelta(hours=1), seen_at=None
        )
