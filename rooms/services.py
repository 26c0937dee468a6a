"""Writes of the room that live classes and circles share: the ordered event log, per-person
state, presence. Each write returns the broadcasts it causes; the caller publishes them after
the transaction has committed (the database is the truth, the channel layer carries news)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.refusals import Refused

from .models import Presence, Room, RoomEvent, RoomMember


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
    # ts in UTC whatever the database connection's time zone ("…+00:00", docs/live-protocol.md)
    ts = event.created_at.astimezone(datetime.UTC).isoformat()
    return {"type": event.type, "seq": event.seq, "ts": ts, "data": data}


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


def delete_message(room: Room, user: User, seq: int) -> Outcome:
    """The message is marked deleted (replays and snapshots show it as gone) and everyone in
    the room is told at once."""
    updated = RoomEvent.objects.filter(
        room=room, seq=seq, type="chat.message", deleted=False
    ).update(deleted=True)
    if not updated:
        raise Refused("not_found", "这条消息已经没有了。")
    event, _ = append_event(room, "chat.deleted", {"seq": seq}, author=user)
    return Outcome([event_broadcast(event)], seq=event.seq)


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
