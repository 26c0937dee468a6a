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
        if course is None or LiveClass.objects.filter(course=course, title=title).exists():
            continue
        starts_at = now + datetime.timedelta(minutes=starts_in)
        LiveClass.objects.create(
            course=course,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
            instructor=User.objects.get(username=teacher),
            video=LiveClass.Video.NONE,
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
DEMO_CIRCLES = [
    (
        "合唱爱好者",
        "喜欢唱歌的老战友，每周三下午在活动室练歌，平时在这里交流歌谱、发录音。",
        "first",
        "13900000001",
        ["13900000002", "13900000012"],
        ["13900000003"],
        [
            ("13900000001", "这周三下午两点练《我和我的祖国》，大家准时到。"),
            ("13900000002", "好的，歌谱我打印好了，给大家带过去。"),
            ("13900000012", "我腿脚不方便，在家跟着录音练，行吗？"),
            ("13900000001", "当然行！练完把录音发到圈里，大家听听。"),
        ],
    ),
    (
        "象棋角",
        "第二军休所的象棋爱好者，约棋、复盘、讲棋谱。",
        "second",
        "13900000007",
        ["13900000009"],
        [],
        [("13900000007", "明天上午九点，活动室老位置，谁来杀一盘？")],
    ),
]


def load_demo_circles(places: dict) -> None:
    """Two interest circles with a conversation, and the class circle of every demo course
    with live classes."""
    from .circle_services import appoint, create_class_circle, set_membership
    from .models import Circle, CircleMember
    from .services import append_event

    for course in CoursePage.objects.filter(live_classes__isnull=False).distinct():
        create_class_circle(course)
    for name, description, scope, leader, members, applicants, talk in DEMO_CIRCLES:
        if Circle.objects.filter(name=name).exists():
            continue
        circle = Circle.objects.create(
            name=name, description=description, institution=places[scope]
        )
        people = {
            u.username: u for u in User.objects.filter(username__in=[leader, *members, *applicants])
        }
        appoint(circle, people[leader], CircleMember.Role.LEADER)
        for login in members:
            set_membership(circle, people[login], role="member", status="active")
        for login in applicants:
            set_membership(circle, people[login], role="member", status="pending")
        for login, text in talk:
            author = people[login]
            data = {
                "kind": "text",
                "text": text,
                "author_id": author.pk,
                "author": author.name,
                "role": "圈主" if login == leader else "",
                "teacher": login == leader,
            }
            append_event(circle.room, "chat.message", data, author=author)
