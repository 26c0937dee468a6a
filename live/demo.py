"""Demo live classes: one today that is open now, one later today, one next week."""

import datetime

from django.utils import timezone

from accounts.models import User
from courses.models import CoursePage, Enrollment

from .models import LiveClass

# course, title, starts in (minutes from now), length in minutes, instructor
DEMO_CLASSES = [
    ("书法入门", "楷书的横与竖", -10, 60, "liushuwen"),
    ("智能手机入门", "用手机视频通话", 180, 60, "zhouyaqin"),
    ("书法入门", "撇与捺", 7 * 24 * 60, 60, "liushuwen"),
]
DEMO_ENROLLED = ["13900000001", "13900000002", "13900000003", "13900000004", "13900000006"]


def load_demo_live_classes() -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    for course_title, title, starts_in, minutes, teacher in DEMO_CLASSES:
        course = CoursePage.objects.filter(title=course_title).first()
        if course is None:
            continue
        # Earlier demos titled these "直播课：…", which pages then doubled ("直播课：直播课：…").
        LiveClass.objects.filter(course=course, title=f"直播课：{title}").update(title=title)
        if LiveClass.objects.filter(course=course, title=title).exists():
            continue
        starts_at = now + datetime.timedelta(minutes=starts_in)
        LiveClass.objects.create(
            course=course,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
            instructor=User.objects.get(username=teacher),
            video=LiveClass.Video.WEBRTC,  # a newcomer teacher finds the camera button
        )
        for login in DEMO_ENROLLED:
            retiree = User.objects.filter(username=login).first()
            if retiree is not None:
                Enrollment.objects.get_or_create(
                    course=course,
                    retiree=retiree,
                    defaults={"status": Enrollment.Status.ENROLLED, "queued_at": now},
                )


# name, description, scope, leader, members, applicants, conversation
