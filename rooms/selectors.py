"""Reads of the room that live classes and circles share."""

from .models import Presence

REPLAY_LIMIT = 500  # events replayed to a reconnecting client; beyond that it resyncs


def presence_of(room_id: int) -> dict:
    """Who is in the room now, each person once however many tabs they have open."""
    here = (
        Presence.objects.filter(room_id=room_id, left_at__isnull=True)
        .values_list("user_id", "user__name")
        .distinct()
    )
    people = sorted({(pk, name) for pk, name in here}, key=lambda person: person[1])
    return {"count": len(people), "people": [{"user_id": pk, "name": name} for pk, name in people]}
