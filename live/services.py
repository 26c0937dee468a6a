"""Writes of the room. Each returns the broadcasts it causes; the caller publishes them after
the transaction has committed (the database is the truth, the channel layer carries news)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .models import LiveClass, Poll, PollVote, Presence, Room, RoomEvent, RoomMember
from .permissions import teaches


class RoomRefused(Exception):
    """Why the action cannot be done, in words for the person who tried."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Broadcast:
    """A frame for the room; audience None means everybody, otherwise the teachers and the
    listed users only."""

    frame: dict
    teachers_and: list[int] | None = None
    seq: int | None = None
    only: list[int] | None = None  # exactly these users (video signalling), if set


@dataclass
class Outcome:
    broadcasts: list[Broadcast] = field(default_factory=list)
    seq: int | None = None  # of the stored event, for the sender's acknowledgement
    close_user: int | None = None  # a removed participant's sockets are closed


def event_frame(event: RoomEvent) -> dict:
    data = {"deleted": True} if event.deleted else event.data
    return {"type": event.type, "seq": event.seq, "ts": event.created_at.isoformat(), "data": data}


def event_broadcast(event: RoomEvent) -> Broadcast:
    audience = [event.author_id] if event.private else None
    return Broadcast(event_frame(event), teachers_and=audience, seq=event.seq)


def append_event(
    room: Room,
    type: str,
    data: dict,
    *,
    author: User | None = None,
    client_id: str = "",
    private: bool = False,
) -> tuple[RoomEvent, bool]:
    """Store the event under the room's next sequence number. The same client id from the same
    author returns the event already stored (a resend), with False."""
    if client_id and author is not None:
        existing = RoomEvent.objects.filter(room=room, author=author, client_id=client_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + 1)
            seq = Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)
            event = RoomEvent.objects.create(
                room=room,
                seq=seq,
                type=type,
                data=data,
                author=author,
                client_id=client_id,
                private=private,
            )
    except IntegrityError:  # the same resend, racing itself
        return RoomEvent.objects.get(room=room, author=author, client_id=client_id), False
    return event, True


def member(room: Room, user: User) -> RoomMember:
    return RoomMember.objects.get_or_create(room=room, user=user)[0]


def stored(event: RoomEvent, created: bool) -> Outcome:
    return Outcome([event_broadcast(event)] if created else [], seq=event.seq)


def require_teacher(user: User, live_class: LiveClass) -> None:
    if not teaches(user, live_class):
        raise RoomRefused("forbidden", "只有老师可以这样做。")


@transaction.atomic
def send_chat(
    live_class: LiveClass, user: User, text: str, private: bool, client_id: str
) -> Outcome:
    room = live_class.room
    is_teacher = teaches(user, live_class)
    if not is_teacher:
        state = member(room, user)
        if state.muted:
            raise RoomRefused("muted", "老师暂时关闭了您的发言。")
        if Room.objects.filter(pk=room.pk, chat_muted=True).exists() and not private:
            raise RoomRefused("muted", "老师暂时关闭了全体发言，可以“悄悄问老师”。")
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


def delete_message(room: Room, user: User, seq: int) -> Outcome:
    """The message is marked deleted (replays and snapshots show it as gone) and everyone in
    the room is told at once."""
    updated = RoomEvent.objects.filter(
        room=room, seq=seq, type="chat.message", deleted=False
    ).update(deleted=True)
    if not updated:
        raise RoomRefused("not_found", "这条消息已经没有了。")
    event, _ = append_event(room, "chat.deleted", {"seq": seq}, author=user)
    return Outcome([event_broadcast(event)], seq=event.seq)


@transaction.atomic
def mute_member(live_class: LiveClass, user: User, target_id: int, muted: bool) -> Outcome:
    require_teacher(user, live_class)
    target = User.objects.filter(pk=target_id).first()
    if target is None:
        raise RoomRefused("not_found", "没有这个人。")
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
        raise RoomRefused("not_found", "不能请这个人离开。")
    RoomMember.objects.update_or_create(
        room=live_class.room, user=target, defaults={"removed": True, "hand_raised_at": None}
    )
    outcome = stored(
        *append_event(
            live_class.room,
            "member.removed",
            {"user_id": target.pk, "name": target.name},
            author=user,
        )
    )
    outcome.close_user = target.pk
    return outcome


@transaction.atomic
def raise_hand(live_class: LiveClass, user: User) -> Outcome:
    state = member(live_class.room, user)
    if state.hand_raised_at is not None:
        return Outcome()
    state.hand_raised_at = timezone.now()
    state.save(update_fields=["hand_raised_at"])
    data = {"user_id": user.pk, "name": user.name, "raised_at": state.hand_raised_at.isoformat()}
    return stored(*append_event(live_class.room, "hand.raised", data, author=user))


@transaction.atomic
def lower_hand(live_class: LiveClass, user: User, target_id: int | None) -> Outcome:
    target_id = target_id or user.pk
    if target_id != user.pk:
        require_teacher(user, live_class)
    if not RoomMember.objects.filter(
        room=live_class.room, user_id=target_id, hand_raised_at__isnull=False
    ).update(hand_raised_at=None):
        return Outcome()
    return stored(
        *append_event(live_class.room, "hand.lowered", {"user_id": target_id}, author=user)
    )


@transaction.atomic
def call_on(live_class: LiveClass, user: User, target_id: int) -> Outcome:
    """请发言: everybody sees who the teacher called on; their hand goes down."""
    require_teacher(user, live_class)
    target = User.objects.filter(pk=target_id).first()
    if target is None:
        raise RoomRefused("not_found", "没有这个人。")
    RoomMember.objects.filter(room=live_class.room, user=target).update(hand_raised_at=None)
    data = {"user_id": target.pk, "name": target.name}
    return stored(*append_event(live_class.room, "hand.called", data, author=user))


@transaction.atomic
def go_to_slide(live_class: LiveClass, user: User, page: int) -> Outcome:
    require_teacher(user, live_class)
    # Read afresh: the slides may have been uploaded since this socket joined.
    images = LiveClass.objects.values_list("slide_images", flat=True).get(pk=live_class.pk)
    pages = len(images)
    if page >= pages:
        raise RoomRefused("invalid", "没有这一页课件。" if pages else "还没有上传课件。")
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
    if poll is None or not poll.is_open:
        raise RoomRefused("closed", "这个投票已经结束了。")
    if option >= len(poll.options):
        raise RoomRefused("invalid", "没有这个选项。")
    try:
        with transaction.atomic():
            PollVote.objects.create(poll=poll, voter=user, option=option)
    except IntegrityError:
        raise RoomRefused("already_voted", "您已经投过票了，每人一票。") from None
    # Results are state: sent to all, not stored as an event (the snapshot carries them).
    return Outcome([Broadcast({"type": "poll.results", "data": poll_results(poll)})])


@transaction.atomic
def close_poll(live_class: LiveClass, user: User, poll_id: int) -> Outcome:
    require_teacher(user, live_class)
    poll = Poll.objects.filter(pk=poll_id, live_class=live_class).first()
    if poll is None:
        raise RoomRefused("not_found", "没有这个投票。")
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


def record_join(room_id: int, user: User, channel_name: str) -> Presence:
    now = timezone.now()
    return Presence.objects.create(
        room_id=room_id, user=user, channel_name=channel_name, joined_at=now, seen_at=now
    )


def keep_presences_alive(channel_names: list[str], room_ids: list[int]) -> list[int]:
    """A process's heartbeat: its sockets' rows are seen now; rows in its rooms not seen for
    LIVE_PRESENCE_STALE_SECONDS (their process died) end when they were last seen.
    → the rooms whose presence changed."""
    now = timezone.now()
    for start in range(0, len(channel_names), 500):  # within any database's parameter limit
        Presence.objects.filter(
            channel_name__in=channel_names[start : start + 500], left_at__isnull=True
        ).update(seen_at=now)
    stale = Presence.objects.filter(
        room_id__in=room_ids,
        left_at__isnull=True,
        seen_at__lt=now - datetime.timedelta(seconds=settings.LIVE_PRESENCE_STALE_SECONDS),
    )
    changed = sorted(set(stale.values_list("room_id", flat=True)))
    stale.update(left_at=F("seen_at"))
    return changed


def record_leave(channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name, left_at__isnull=True).update(
        left_at=timezone.now()
    )
