"""Writes of a live class's room (chat, hands, slides, polls, start and end). Each returns the
broadcasts it causes (rooms.services); the consumer publishes them after the commit."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import notify_users
from core.humanize import human_datetime
from core.refusals import Refused
from courses.models import CoursePage, Enrollment
from rooms.models import Room, RoomMember
from rooms.services import (
    Broadcast,
    Outcome,
    append_event,
    delete_message,
    event_broadcast,
    member,
    stored,
)

from .janus import revoke_access
from .models import LiveClass, Poll, PollVote
from .permissions import teaches


def require_teacher(user: User, live_class: LiveClass) -> None:
    if not teaches(user, live_class):
        raise Refused("forbidden", "只有老师可以这样做。")


@transaction.atomic
def send_chat(
    live_class: LiveClass, user: User, text: str, private: bool, client_id: str
) -> Outcome:
    room = live_class.room
    is_teacher = teaches(user, live_class)
    if not is_teacher:
        state = member(room, user)
        if state.muted:
            raise Refused("muted", "老师暂时关闭了您的发言。")
        if Room.objects.filter(pk=room.pk, chat_muted=True).exists() and not private:
            raise Refused("muted", "老师暂时关闭了全体发言，可以“悄悄问老师”。")
    data = {
        "text": text,
        "author_id": user.pk,
        "author": user.name or user.username,
        "teacher": is_teacher,
        "private": private and not is_teacher,
    }
    event, created = append_event(
        room, "chat.message", data, author=user, client_id=client_id, private=data["private"]
    )
    return stored(event, created)


@transaction.atomic
def delete_chat(live_class: LiveClass, user: User, seq: int) -> Outcome:
    require_teacher(user, live_class)
    return delete_message(live_class.room, user, seq)


@transaction.atomic
def mute_member(live_class: LiveClass, user: User, target_id: int, muted: bool) -> Outcome:
    require_teacher(user, live_class)
    target = User.objects.filter(pk=target_id).first()
    if target is None:
        raise Refused("not_found", "没有这个人。")
    RoomMember.objects.update_or_create(
        room=live_class.room, user=target, defaults={"muted": muted}
    )
    data = {"user_id": target.pk, "name": target.name, "muted": muted}
    return stored(*append_event(live_class.room, "member.muted", data, author=user))


@transaction.atomic
def mute_room(live_class: LiveClass, user: User, muted: bool) -> Outcome:
    require_teacher(user, live_class)
    Room.objects.filter(pk=live_class.room_id).update(chat_muted=muted)
    return stored(*append_event(live_class.room, "room.muted", {"muted": muted}, author=user))


@transaction.atomic
def remove_member(live_class: LiveClass, user: User, target_id: int) -> Outcome:
    require_teacher(user, live_class)
    target = User.objects.filter(pk=target_id).first()
    if target is None or teaches(target, live_class):
        raise Refused("not_found", "不能请这个人离开。")
    lowered = put_hand_down(live_class, user, target.pk)  # nobody waits on a removed hand
    RoomMember.objects.update_or_create(
        room=live_class.room, user=target, defaults={"removed": True}
    )
    data = {"user_id": target.pk, "name": target.name}
    removed = stored(*append_event(live_class.room, "member.removed", data, author=user))
    # Their video goes too: Janus stops letting their tokens in and kicks them out.
    transaction.on_commit(lambda: revoke_access(class_id=live_class.pk, user_id=target.pk))
    return Outcome(lowered + removed.broadcasts, seq=removed.seq, close_user=target.pk)


@transaction.atomic
def raise_hand(live_class: LiveClass, user: User) -> Outcome:
    state = member(live_class.room, user)
    if state.hand_raised_at is not None:
        return Outcome()
    state.hand_raised_at = timezone.now()
    state.save(update_fields=["hand_raised_at"])
    data = {"user_id": user.pk, "name": user.name, "raised_at": state.hand_raised_at.isoformat()}
    return stored(*append_event(live_class.room, "hand.raised", data, author=user))


def put_hand_down(live_class: LiveClass, by: User, target_id: int) -> list[Broadcast]:
    """The target's hand goes down: hand.lowered for everyone, or nothing when it was not up
    (whoever shows the raised hands learns it from this one frame, however it went down)."""
    if not RoomMember.objects.filter(
        room=live_class.room, user_id=target_id, hand_raised_at__isnull=False
    ).update(hand_raised_at=None):
        return []
    event, _ = append_event(live_class.room, "hand.lowered", {"user_id": target_id}, author=by)
    return [event_broadcast(event)]


@transaction.atomic
def lower_hand(live_class: LiveClass, user: User, target_id: int | None) -> Outcome:
    target_id = target_id or user.pk
    if target_id != user.pk:
        require_teacher(user, live_class)
    lowered = put_hand_down(live_class, user, target_id)
    return Outcome(lowered, seq=lowered[0].seq if lowered else None)


@transaction.atomic
def call_on(live_class: LiveClass, user: User, target_id: int) -> Outcome:
    """请发言: everybody sees who the teacher called on; a raised hand goes down first."""
    require_teacher(user, live_class)
    target = User.objects.filter(pk=target_id).first()
    if target is None:
        raise Refused("not_found", "没有这个人。")
    lowered = put_hand_down(live_class, user, target.pk)
    data = {"user_id": target.pk, "name": target.name}
    called = stored(*append_event(live_class.room, "hand.called", data, author=user))
    return Outcome(lowered + called.broadcasts, seq=called.seq)


@transaction.atomic
def go_to_slide(live_class: LiveClass, user: User, page: int) -> Outcome:
    require_teacher(user, live_class)
    # Read afresh: the slides may have been uploaded since this socket joined.
    images = LiveClass.objects.values_list("slide_images", flat=True).get(pk=live_class.pk)
    pages = len(images)
    if page >= pages:
        raise Refused("invalid", "没有这一页课件。" if pages else "还没有上传课件。")
    LiveClass.objects.filter(pk=live_class.pk).update(current_slide=page)
    data = {"page": page, "image": images[page], "pages": pages}
    return stored(*append_event(live_class.room, "slide.changed", data, author=user))


@transaction.atomic
def open_poll(live_class: LiveClass, user: User, question: str, options: list[str]) -> Outcome:
    require_teacher(user, live_class)
    Poll.objects.filter(live_class=live_class, is_open=True).update(is_open=False)
    poll = Poll.objects.create(live_class=live_class, question=question, options=options)
    data = {"poll_id": poll.pk, "question": question, "options": options}
    return stored(*append_event(live_class.room, "poll.opened", data, author=user))


def poll_results(poll: Poll) -> dict:
    counts = [0] * len(poll.options)
    for option in poll.votes.values_list("option", flat=True):
        counts[option] += 1
    return {"poll_id": poll.pk, "counts": counts, "total": sum(counts), "open": poll.is_open}


@transaction.atomic
def vote(live_class: LiveClass, user: User, poll_id: int, option: int) -> Outcome:
    poll = Poll.objects.filter(pk=poll_id, live_class=live_class).first()
    if poll is None:
        raise Refused("not_found", "没有这个投票。")
    if not poll.is_open:
        raise Refused("closed", "这个投票已经结束了。")
    if option >= len(poll.options):
        raise Refused("invalid", "没有这个选项。")
    try:
        with transaction.atomic():
            PollVote.objects.create(poll=poll, voter=user, option=option)
    except IntegrityError:
        raise Refused("already_voted", "您已经投过票了，每人一票。") from None
    # Results are state: sent to all, not stored as an event (the snapshot carries them).
    return Outcome([Broadcast({"type": "poll.results", "data": poll_results(poll)})])


@transaction.atomic
def close_poll(live_class: LiveClass, user: User, poll_id: int) -> Outcome:
    require_teacher(user, live_class)
    poll = Poll.objects.filter(pk=poll_id, live_class=live_class).first()
    if poll is None:
        raise Refused("not_found", "没有这个投票。")
    Poll.objects.filter(pk=poll.pk).update(is_open=False)
    poll.is_open = False
    return stored(*append_event(live_class.room, "poll.closed", poll_results(poll), author=user))


@transaction.atomic
def set_class_state(live_class: LiveClass, user: User, state: str) -> Outcome:
    require_teacher(user, live_class)
    LiveClass.objects.filter(pk=live_class.pk).update(state=state)
    kind = "class.started" if state == LiveClass.State.LIVE else "class.ended"
    return stored(*append_event(live_class.room, kind, {"state": state}, author=user))


def is_teacher_id(live_class: LiveClass, user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    return user is not None and teaches(user, live_class)


def class_reminder_text(live_class: LiveClass, now: datetime.datetime) -> str:
    """上课提醒 in plain words: what, when (明天 上午9:00), where."""
    course = live_class.course
    return (
        f"上课提醒：{human_datetime(live_class.starts_at, now)}上《{course.title}》"
        f"——{live_class.title}，在网上直播课堂上课。点这里进入课堂。"
    )


def send_class_reminders(*, now: datetime.datetime | None = None) -> int:
    """上课提醒 for live classes of courses with reminders on, to their enrolled retirees, then
    for their in-person sessions (send_session_reminders): from CLASS_REMINDER_EVENING_HOUR
    (Beijing time) for tomorrow's classes, and in the last CLASS_REMINDER_MINUTES_BEFORE
    minutes before a class starts. Each person is told once per
    class and kind (the notification's key), however often this runs. Returns how many
    notifications were stored."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    due: list[tuple[LiveClass, str]] = []
    classes = LiveClass.objects.filter(
        state=LiveClass.State.SCHEDULED, course__class_reminders=True
    ).select_related("course")
    if local.hour >= settings.CLASS_REMINDER_EVENING_HOUR:
        tomorrow = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time())
        )
        day_after = timezone.make_aware(
            datetime.datetime.combine(tomorrow.date() + datetime.timedelta(days=1), datetime.time())
        )
        due += [
            (live_class, "evening")
            for live_class in classes.filter(starts_at__gte=tomorrow, starts_at__lt=day_after)
        ]
    soon = now + datetime.timedelta(minutes=settings.CLASS_REMINDER_MINUTES_BEFORE)
    due += [
        (live_class, "soon")
        for live_class in classes.filter(starts_at__gt=now, starts_at__lte=soon)
    ]
    stored = 0
    for live_class, when in due:
        retirees = Enrollment.objects.filter(
            course_id=live_class.course_id, status=Enrollment.Status.ENROLLED
        ).values_list("retiree_id", flat=True)
        with transaction.atomic():
            stored += len(
                notify_users(
                    retirees,
                    "class_reminder",
                    class_reminder_text(live_class, now),
                    reverse("live:room", args=[live_class.pk]),
                    about=f"live_class:{live_class.pk}:{when}",
                )
            )
    return stored + send_session_reminders(now=now)


def in_person_sessions_due(
    *, now: datetime.datetime
) -> list[tuple[CoursePage, datetime.datetime, str]]:
    """(course, start, "evening" or "soon") for the weekly in-person sessions (线下 and
    线上线下融合 courses, within their term) that a reminder is due for at `now`, by the same
    rules as live classes. A session with a live class of the course at the same start is
    left to that class's reminder, so nobody hears of one class twice."""
    local = timezone.localtime(now)
    courses = (
        CoursePage.objects.live()
        .filter(
            class_reminders=True,
            mode__in=[CoursePage.Mode.OFFLINE, CoursePage.Mode.BLENDED],
        )
        .select_related("term", "institution")
    )
    due = []
    tomorrow = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=local.tzinfo
    )
    soon = now + datetime.timedelta(minutes=settings.CLASS_REMINDER_MINUTES_BEFORE)
    for course in courses:
        if local.hour >= settings.CLASS_REMINDER_EVENING_HOUR:
            start = course.next_class_start(tomorrow)
            if start is not None and start.date() == tomorrow.date():
                due.append((course, start, "evening"))
        start = course.next_class_start(now)
        if start is not None and now < start <= soon:
            due.append((course, start, "soon"))
    live_starts = set(
        LiveClass.objects.filter(
            course__in=[course for course, _, _ in due],
            starts_at__in=[start for _, start, _ in due],
        ).values_list("course_id", "starts_at")
    )
    return [
        (course, start, when)
        for course, start, when in due
        if (course.pk, start) not in live_starts
    ]


def session_reminder_text(
    course: CoursePage, start: datetime.datetime, now: datetime.datetime
) -> str:
    """上课提醒 for an in-person session: what, when and where in plain words."""
    place = course.location or course.institution.name
    return f"上课提醒：{human_datetime(start, now)}上《{course.title}》，在{place}。请按时到。"


def send_session_reminders(*, now: datetime.datetime) -> int:
    """上课提醒 for in-person sessions, to the course's enrolled retirees, once per person,
    session and kind however often it runs. Returns how many notifications were stored."""
    stored = 0
    for course, start, when in in_person_sessions_due(now=now):
        retirees = Enrollment.objects.filter(
            course=course, status=Enrollment.Status.ENROLLED
        ).values_list("retiree_id", flat=True)
        stamp = timezone.localtime(start).strftime("%Y%m%d%H%M")
        with transaction.atomic():
            stored += len(
                notify_users(
                    retirees,
                    "class_reminder",
                    session_reminder_text(course, start, now),
                    course.url or "",
                    about=f"course_session:{course.pk}:{stamp}:{when}",
                )
            )
    return stored
