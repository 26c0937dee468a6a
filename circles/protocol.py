"""Inbound frames of a study circle's chat: no slides, polls, hands or video; mutes are for a
period (rooms.protocol has the shape and the helpers)."""

from rooms.protocol import MAX_CHAT_CHARS, ROOM_VALIDATORS, integer, text

VALIDATORS = {
    **ROOM_VALIDATORS,
    "chat.send": lambda d: {"text": text(d, "text", limit=MAX_CHAT_CHARS, what="消息")},
    "chat.delete": lambda d: {"seq": integer(d, "seq", minimum=1)},
    "chat.report": lambda d: {
        "seq": integer(d, "seq", minimum=1),
        "reason": d.get("reason", "")[:200] if isinstance(d.get("reason", ""), str) else "",
    },
    "member.mute": lambda d: {
        "user_id": integer(d, "user_id", minimum=1),
        "minutes": integer(d, "minutes"),
    },
    "read": lambda d: {"seq": integer(d, "seq")},
}

MODERATOR_ONLY = {"chat.delete", "member.mute"}
