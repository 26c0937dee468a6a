"""Inbound frames of a live class's room (rooms.protocol has the shape and the helpers)."""

from rooms.protocol import MAX_CHAT_CHARS, ROOM_VALIDATORS, ProtocolError, boolean, integer, text


def options(data: dict) -> list[str]:
    value = data.get("options")
    if not isinstance(value, list) or not 2 <= len(value) <= 6:
        raise ProtocolError("invalid", "投票要有 2 到 6 个选项。")
    return [text({"o": item}, "o", limit=40, what="选项") for item in value]


RTC_KINDS = {"ready", "request", "offer", "answer", "ice", "stop"}


def rtc_signal(data: dict) -> dict:
    """Video signalling, relayed and never stored. `to` is a user id, or null for "the
    teachers" (from a retiree) and "everyone" (from a teacher)."""
    to = data.get("to")
    if to is not None:
        to = integer(data, "to", minimum=1)
    if data.get("kind") not in RTC_KINDS:
        raise ProtocolError("invalid", "视频信令类型不对。")
    payload = data.get("payload", {})
    if not isinstance(payload, dict):
        raise ProtocolError("invalid", "视频信令内容不对。")
    return {"to": to, "kind": data["kind"], "payload": payload}


# type → function(data) returning the cleaned data
VALIDATORS = {
    **ROOM_VALIDATORS,
    "chat.send": lambda d: {
        "text": text(d, "text", limit=MAX_CHAT_CHARS, what="消息"),
        "private": boolean(d, "private", False),
    },
    "chat.delete": lambda d: {"seq": integer(d, "seq", minimum=1)},
    "member.mute": lambda d: {
        "user_id": integer(d, "user_id", minimum=1),
        "muted": boolean(d, "muted"),
    },
    "member.remove": lambda d: {"user_id": integer(d, "user_id", minimum=1)},
    "room.mute": lambda d: {"muted": boolean(d, "muted")},
    "hand.raise": lambda d: {},
    "hand.lower": lambda d: {"user_id": d.get("user_id") and integer(d, "user_id", minimum=1)},
    "hand.call": lambda d: {"user_id": integer(d, "user_id", minimum=1)},
    "slide.go": lambda d: {"page": integer(d, "page")},
    "poll.open": lambda d: {
        "question": text(d, "question", limit=200, what="问题"),
        "options": options(d),
    },
    "poll.vote": lambda d: {
        "poll_id": integer(d, "poll_id", minimum=1),
        "option": integer(d, "option"),
    },
    "poll.close": lambda d: {"poll_id": integer(d, "poll_id", minimum=1)},
    "rtc.signal": rtc_signal,
    "class.start": lambda d: {},
    "class.end": lambda d: {},
}

TEACHER_ONLY = {
    "chat.delete",
    "member.mute",
    "member.remove",
    "room.mute",
    "hand.call",
    "slide.go",
    "poll.open",
    "poll.close",
    "class.start",
    "class.end",
}
