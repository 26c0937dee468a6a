"""Inbound frames of the room, each type with its validation. A frame that fails gets an
error frame back with a Chinese message; nothing invalid is ever stored or broadcast."""

from dataclasses import dataclass
from typing import Any

MAX_FRAME_BYTES = 8 * 1024
MAX_CHAT_CHARS = 500
MAX_CLIENT_ID = 64


class ProtocolError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Inbound:
    type: str
    id: str
    data: dict[str, Any]


def integer(data: dict, name: str, *, minimum: int = 0) -> int:
    value = data.get(name)
    if type(value) is not int or value < minimum:
        raise ProtocolError("invalid", f"“{name}”应该是不小于 {minimum} 的整数。")
    return value


def boolean(data: dict, name: str, default: bool | None = None) -> bool:
    value = data.get(name, default)
    if type(value) is not bool:
        raise ProtocolError("invalid", f"“{name}”应该是 true 或 false。")
    return value


def text(data: dict, name: str, *, limit: int, what: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError("invalid", f"{what}不能是空的。")
    value = value.strip()
    if len(value) > limit:
        raise ProtocolError("too_long", f"{what}太长了，最多 {limit} 个字。")
    return value


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
    "hello": lambda d: {"last_seq": integer(d, "last_seq")},
    "ping": lambda d: {},
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


def parse(frame: Any, validators: dict | None = None) -> Inbound:
    """The frame checked against the room's own types (a live class's by default)."""
    validators = VALIDATORS if validators is None else validators
    if not isinstance(frame, dict):
        raise ProtocolError("invalid", "消息格式不对。")
    kind = frame.get("type")
    if not isinstance(kind, str) or kind not in validators:
        raise ProtocolError("unknown_type", "不认识的消息类型。")
    client_id = frame.get("id", "")
    if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID:
        raise ProtocolError("invalid", "消息编号不对。")
    data = frame.get("data", {})
    if not isinstance(data, dict):
        raise ProtocolError("invalid", "消息内容格式不对。")
    return Inbound(kind, client_id, validators[kind](data))


# A study circle's chat: no slides, polls, hands or video; mutes are for a period.
CIRCLE_VALIDATORS = {
    "hello": VALIDATORS["hello"],
    "ping": VALIDATORS["ping"],
    "chat.send": lambda d: {"text": text(d, "text", limit=MAX_CHAT_CHARS, what="消息")},
    "chat.delete": VALIDATORS["chat.delete"],
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

CIRCLE_MODERATOR_ONLY = {"chat.delete", "member.mute"}
