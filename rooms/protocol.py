"""Inbound frames of a room, each type with its validation. A frame that fails gets an error
frame back with a Chinese message; nothing invalid is ever stored or broadcast. Each kind of
room (live.protocol, circles.protocol) lists its own types on top of ROOM_VALIDATORS."""

from dataclasses import dataclass
from typing import Any

from core.refusals import Refused

MAX_FRAME_BYTES = 8 * 1024
MAX_CHAT_CHARS = 500
MAX_CLIENT_ID = 64


class ProtocolError(Refused):
    """A frame the room cannot take, refused like any other action."""


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


# Every room understands these; each kind of room adds its own.
ROOM_VALIDATORS = {
    "hello": lambda d: {"last_seq": integer(d, "last_seq")},
    "ping": lambda d: {},
}


def parse(frame: Any, validators: dict) -> Inbound:
    """The frame checked against the room's own types."""
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
