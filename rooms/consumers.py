"""What every room socket does (live classes and circles alike); live.consumers and
circles.consumers say who may enter and which frames each kind of room takes.
Protocol: docs/live-protocol.md."""

import json
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts.consumers import CLOSE_NOT_LOGGED_IN, refuse
from core.refusals import Refused

from .fanout import hub, presence_changed, publish
from .protocol import MAX_FRAME_BYTES, parse
from .services import Outcome, record_join, record_leave

CLOSE_FORBIDDEN = 4403
CLOSE_NO_ROOM = 4404
CLOSE_REMOVED = 4408
CLOSE_TOO_BIG = 4413  # Daphne (autobahn) sends only 1000 and 3000-4999: 1009 would never leave
CLOSE_TRY_AGAIN = 4503

logger = logging.getLogger(__name__)


class RateLimit:
    """A token bucket: short bursts are fine, a flood is refused."""

    def __init__(self, per_second: float = 2.0, burst: int = 10):
        self.rate, self.capacity = per_second, burst
        self.tokens, self.updated = float(burst), time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class RoomConsumer(AsyncWebsocketConsumer, ABC):
    """What every room socket does: authenticate, check permission, validate each frame, call
    a service, publish what it stored, replay what a reconnecting client missed. A live class
    and a circle differ only in who may enter and which frames they accept.
    Protocol: docs/live-protocol.md."""

    # No channel-layer channel per socket: everything reaches the room's sockets through the
    # process's hub (rooms/fanout.py), which also survives a Redis restart; a per-socket
    # channel would only add a Redis connection each, and die with 1011 when Redis does.
    channel_layer_alias = "none: the room hub carries every message"
    url_kwarg = ""
    validators: dict = {}
    moderator_only: set = set()
    # frame type → a function (place, user, *, client_id, **the frame's cleaned data) → Outcome
    handlers: dict[str, Callable[..., Outcome]] = {}
    joined = False
    moderates = False
    user_id = None

    @abstractmethod
    async def enter(self, user, key: int) -> tuple[object | None, int | None, bool]:
        """(the place the room belongs to, a close code or None, moderates)."""

    @abstractmethod
    def snapshot(self) -> dict:
        """The room as it is now, for this person (the answer to hello)."""

    @abstractmethod
    def missed(self, last_seq: int) -> list[dict] | None:
        """The events after last_seq, or None when too many to replay (resync)."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await refuse(self, CLOSE_NOT_LOGGED_IN)
            return
        place, refusal, moderates = await self.enter(
            user, self.scope["url_route"]["kwargs"][self.url_kwarg]
        )
        if refusal is not None:
            await refuse(self, refusal)
            return
        self.user, self.user_id, self.moderates = user, user.pk, moderates
        self.channel_name = f"socket.{uuid.uuid4().hex}"  # names this socket's presence row
        self.place, self.room_id = place, place.room_id
        self.rate_limits = self.rate_limits_by_type()
        self.rate_limit = RateLimit(per_second=5, burst=30) if moderates else RateLimit()
        await self.accept()
        await database_sync_to_async(record_join)(self.room_id, user, self.channel_name)
        try:
            await hub().join(self.room_id, self)
        except Exception:  # the channel layer is away: the client tries again shortly
            logger.warning("room %s refused a socket: channel layer unreachable", self.room_id)
            await database_sync_to_async(record_leave)(self.channel_name)
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.joined = True
        await presence_changed(self.room_id)

    async def disconnect(self, code):
        if self.joined:
            self.joined = False
            await hub().leave(self.room_id, self)
            await database_sync_to_async(record_leave)(self.channel_name)
            await presence_changed(self.room_id)

    async def receive(self, text_data=None, bytes_data=None):
        if self.user_id is None:  # turned away at connect: a frame that crossed the close
            return
        # Any frame over the limit closes the socket, text or binary alike (the document's
        # 4413); a small binary frame is only refused.
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if text_data is None:
            await self.send_error("binary", "只接受文字消息。")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", "消息格式不对。")
            return
        ref = frame.get("id") if isinstance(frame, dict) else None
        ref = ref if isinstance(ref, str) else None
        kind = frame.get("type") if isinstance(frame, dict) else None
        try:
            if not self.rate_limits.get(kind, self.rate_limit).allow():
                raise Refused("rate_limited", "发得太快了，请稍等一下再发。")
            inbound = parse(frame, self.validators)
            if inbound.type in self.moderator_only and not self.moderates:
                raise Refused("forbidden", self.forbidden_message)
        except Refused as refusal:
            await self.send_refusal(refusal, ref)
            return
        if inbound.type == "ping":
            await self.send_frame({"type": "pong"})
        elif inbound.type == "hello":
            await self.say_hello(inbound.data["last_seq"])
        else:
            await self.carry_out(inbound, ref)

    forbidden_message = "您不能这样做。"

    def rate_limits_by_type(self) -> dict[str, RateLimit]:
        return {}

    async def carry_out(self, inbound, ref):
        await self.act(inbound, ref)

    async def act(self, inbound, ref):
        handler = self.handlers[inbound.type]
        try:
            outcome = await database_sync_to_async(handler)(
                self.place, self.user, client_id=inbound.id, **inbound.data
            )
        except Refused as refusal:
            await self.send_refusal(refusal, ref)
            return
        await self.send_ack(ref, outcome.seq)
        await publish(self.room_id, outcome.broadcasts, close_user=outcome.close_user)

    async def say_hello(self, last_seq: int):
        state = await database_sync_to_async(self.snapshot)()
        await self.send_frame({"type": "room.state", "data": state})
        if last_seq:
            missed = await database_sync_to_async(self.missed)(last_seq)
            if missed is None:
                await self.send_frame({"type": "resync"})
                return
            for frame in missed:
                await self.send_frame(frame)

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def send_ack(self, ref: str | None, seq: int | None):
        """A frame with an id that succeeded: its id back, with the seq of the event it stored
        (None when it stored none)."""
        if ref is not None:
            await self.send_frame({"type": "ack", "ref": ref, "seq": seq})

    async def send_error(self, code: str, message: str, ref: str | None = None):
        await self.send_frame({"type": "error", "code": code, "message": message, "ref": ref})

    async def send_refusal(self, refusal: Refused, ref: str | None = None):
        """Every refusal (a bad frame, a flood, a service saying no) as one error frame."""
        await self.send_error(refusal.code, refusal.message, ref)
