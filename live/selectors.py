"""Reads of the room: the snapshot a (re)joining client gets, what it missed, presence,
today's classes, and attendance against the roster."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from courses.models import Enrollment
from rooms.models import Presence, RoomEvent, RoomMember
from rooms.selectors import REPLAY_LIMIT, presence_of
from rooms.services import event_frame

from .models import LiveClass, Poll
from .permissions import teaches
from .services import poll_results

RECENT_CHAT = 50


def visible_events(live_class: LiveClass, user: User, is_teacher: bool) -> QuerySet[RoomEvent]:
    events = RoomEvent.objects.filter(room_id=live_class.room_id)
    if not is_teacher:
        events = events.filter(Q(private=False) | Q(author=user))
    return events


def events_after(live_class: LiveClass, user: User, is_teacher: bool, last_seq: int):
    """The events a reconnecting client missed, in order; None when there are too many to
    replay and the client should rebuild from the snapshot instead."""
    missed = list(
        visible_events(live_class, user, is_teacher)
        .filter(seq__gt=last_seq)
        .order_by("seq")[: REPLAY_LIMIT + 1]
    )
    if len(missed) > REPLAY_LIMIT:
        return None
    return [event_frame(event) for event in missed]


def participants_present(live_class: LiveClass) -> int:
    """People in the room now who are not teachers (the course's enrolled retirees)."""
    enrolled = Enrollment.objects.filter(
        course_id=live_class.course_id, status=Enrollment.Status.ENROLLED
    ).values("retiree_id")
    return (
        Presence.objects.filter(
            room_id=live_class.room_id, left_at__isnull=True, user_id__in=enrolled
        )
        .values("user_id")
        .distinct()
        .count()
    )


def snapshot(live_class: LiveClass, user: User, is_teacher: bool) -> dict:
    """State, not events: what the room looks like now, for this person."""
    live_class.refresh_from_db()
    members = RoomMember.objects.filter(room_id=live_class.room_id)
    me = next((m for m in members if m.user_id == user.pk), None)
    hands = [
        {"user_id": m.user_id, "name": m.user.name, "raised_at": m.hand_raised_at.isoformat()}
        for m in members.filter(hand_raised_at__isnull=False)
        .select_related("user")
        .order_by("hand_raised_at")
    ]
    poll = Poll.objects.filter(live_class=live_class).order_by("-created_at").first()
    poll_state = None
    if poll is not None:
        poll_state = {
            "poll_id": poll.pk,
            "question": poll.question,
            "options": poll.options,
            **poll_results(poll),
            "my_vote": poll.votes.filter(voter=user).values_list("option", flat=True).first(),
        }
    recent = visible_events(live_class, user, is_teacher).filter(type="chat.message")
    recent_chat = [event_frame(e) for e in reversed(recent.order_by("-seq")[:RECENT_CHAT])]
    presence = presence_of(live_class.room_id)
    if not is_teacher:
        presence = {"count": presence["count"]}
    slides = live_class.slide_images
    return {
        "class": {
            "id": live_class.pk,
            "title": live_class.title,
            "course": live_class.course.title,
            "state": live_class.state,
            "starts_at": live_class.starts_at.isoformat(),
            "ends_at": live_class.ends_at.isoformat(),
            "video": live_class.video,
            "hls_url": live_class.hls_url,
        },
        "me": {
            "user_id": user.pk,
            "name": user.name,
            "teacher": is_teacher,
            "muted": bool(me and me.muted),
            "hand_raised": bool(me and me.hand_raised_at),
        },
        "last_seq": live_class.room.last_seq,
        "chat_muted": live_class.room.chat_muted,
        "slides": {
            "pages": len(slides),
            "page": live_class.current_slide,
            "image": slides[live_class.current_slide] if slides else None,
        },
        "hands": hands if is_teacher else [h for h in hands if h["user_id"] == user.pk],
        "hands_count": len(hands),
        "poll": poll_state,
        "presence": presence,
        "recent_chat": recent_chat,
    }


def is_removed(live_class: LiveClass, user: User) -> bool:
    return RoomMember.objects.filter(room_id=live_class.room_id, user=user, removed=True).exists()


def today_bounds(
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and of tomorrow, Beijing time."""
    today = timezone.localtime(now or timezone.now()).date()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def classes_today_for(user: User, now: datetime.datetime | None = None) -> list[LiveClass]:
    """今日课程: today's classes (Beijing time) of the retiree's enrolled courses, or of the
    courses a teacher runs."""
    start, tomorrow = today_bounds(now)
    classes = LiveClass.objects.filter(starts_at__lt=tomorrow, ends_at__gte=start).select_related(
        "course", "instructor"
    )
    if user.is_retiree:
        enrolled = Enrollment.objects.filter(retiree=user, status=Enrollment.Status.ENROLLED)
        classes = classes.filter(course_id__in=enrolled.values("course_id"))
    return [c for c in classes.order_by("starts_at") if user.is_retiree or teaches(user, c)]


def retiree_classes_from_today(retiree: User, limit: int = 100) -> list[LiveClass]:
    """The classes of a retiree's enrolled courses that end today or later, in order: today's
    (those over too) and the coming ones, in one query for 我的."""
    start, _ = today_bounds()
    enrolled = Enrollment.objects.filter(retiree=retiree, status=Enrollment.Status.ENROLLED)
    return list(
        LiveClass.objects.filter(course_id__in=enrolled.values("course_id"), ends_at__gte=start)
        .select_related("course", "instructor")
        .order_by("starts_at")[:limit]
    )


def upcoming_classes_for(user: User, limit: int = 5) -> list[LiveClass]:
    enrolled = Enrollment.objects.filter(retiree=user, status=Enrollment.Status.ENROLLED)
    return list(
        LiveClass.objects.filter(
            course_id__in=enrolled.values("course_id"), ends_at__gte=timezone.now()
        )
        .select_related("course")
        .order_by("starts_at")[:limit]
    )


def doors_open(live_class: LiveClass, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return live_class.doors_open_at() <= now < live_class.ends_at or live_class.state == "live"


@dataclass
class AttendanceRow:
    retiree: User
    minutes: int
    first_joined: datetime.datetime | None
    last_left: datetime.datetime | None
    status: str  # 出勤 / 迟到 / 早退 / 缺勤


def merged_minutes(intervals: list[tuple[datetime.datetime, datetime.datetime]]) -> float:
    total = 0.0
    current_start = current_end = None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total / 60


def attendance_status(
    live_class: LiveClass,
    minutes: float,
    first: datetime.datetime | None,
    last: datetime.datetime | None,
) -> str:
    rules = settings.LIVE_ATTENDANCE
    length = (live_class.ends_at - live_class.starts_at).total_seconds() / 60
    if first is None or minutes < length * rules["absent_below_fraction"]:
        return "缺勤"
    if first > live_class.starts_at + datetime.timedelta(minutes=rules["late_after_minutes"]):
        return "迟到"
    if last < live_class.ends_at - datetime.timedelta(minutes=rules["early_leave_minutes"]):
        return "早退"
    return "出勤"


def attendance_of(
    live_class: LiveClass, now: datetime.datetime | None = None
) -> list[AttendanceRow]:
    """Each enrolled retiree's minutes in the room, clipped to the class time (several tabs
    or reconnects count once), and a status; absentees first."""
    now = now or timezone.now()
    start, end = live_class.starts_at, live_class.ends_at
    roster = (
        User.objects.filter(
            enrollments__course_id=live_class.course_id,
            enrollments__status=Enrollment.Status.ENROLLED,
        )
        .select_related("institution")
        .order_by("name")
    )
    intervals: dict[int, list] = {}
    stale = now - datetime.timedelta(seconds=settings.LIVE_PRESENCE_STALE_SECONDS)
    for user_id, joined, left, seen in Presence.objects.filter(
        room_id=live_class.room_id
    ).values_list("user_id", "joined_at", "left_at", "seen_at"):
        if left is None and seen is not None and seen < stale:
            left = seen  # its process died; nobody closed the row yet
        clipped = (max(joined, start), min(left or now, end))
        if clipped[0] < clipped[1]:
            intervals.setdefault(user_id, []).append(clipped)
    rows = []
    for retiree in roster:
        spans = intervals.get(retiree.pk, [])
        minutes = merged_minutes(spans)
        first = min((s for s, _ in spans), default=None)
        last = max((e for _, e in spans), default=None)
        rows.append(
            AttendanceRow(
                retiree,
                round(minutes),
                first,
                last,
                attendance_status(live_class, minutes, first, last),
            )
        )
    order = {"缺勤": 0, "早退": 1, "迟到": 2, "出勤": 3}
    rows.sort(key=lambda row: order[row.status])
    return rows


def classes_run_by(user: User) -> QuerySet[LiveClass]:
    """The classes a teacher may schedule, edit and see attendance for."""
    classes = LiveClass.objects.select_related("course", "instructor")
    if not (user.is_authenticated and user.is_active):
        return classes.none()
    if user.is_platform_admin:
        return classes
    if user.is_institution_staff and user.institution_id:
        return classes.filter(course__institution__path__startswith=user.institution.path)
    if user.is_instructor:
        return classes.filter(Q(instructor=user) | Q(course__instructors=user)).distinct()
    return classes.none()
