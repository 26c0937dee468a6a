import json
import logging
import time
import uuid
from abc import ABC, abstractmethod

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from accounts.consumers import CLOSE_NOT_LOGGED_IN, refuse

from . import circle_selectors, circle_services, selectors, services
from .fanout import hub, presence_changed, publish
from .models import Circle, LiveClass
from .permissions import may_enter, may_enter_circle, moderates_circle, teaches
from .protocol import (
    CIRCLE_MODERATOR_ONLY,
    CIRCLE_VALIDATORS,
    MAX_FRAME_BYTES,
    TEACHER_ONLY,
    VALIDATORS,
    ProtocolError,
    parse,
)

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


@database_sync_to_async
def load_entry(class_id: int, user) -> tuple[LiveClass | None, int | None, bool]:
    """(the class, a close code or None, teaches)."""
    live_class = (
        LiveClass.objects.select_related("course", "room", "course__institution")
        .filter(pk=class_id)
        .first()
    )
    if live_class is None:
        return None, CLOSE_NO_ROOM, False
    if not may_enter(user, live_class):
        return live_class, CLOSE_FORBIDDEN, False
    if selectors.is_removed(live_class, user):
        return live_class, CLOSE_REMOVED, False
    return live_class, None, teaches(user, live_class)


HANDLERS = {
    "chat.send": lambda c, u, d, i: services.send_chat(c, u, d["text"], d["private"], i),
    "chat.delete": lambda c, u, d, i: services.delete_chat(c, u, d["seq"]),
    "member.mute": lambda c, u, d, i: services.mute_member(c, u, d["user_id"], d["muted"]),
    "member.remove": lambda c, u, d, i: services.remove_member(c, u, d["user_id"]),
    "room.mute": lambda c, u, d, i: services.mute_room(c, u, d["muted"]),
    "hand.raise": lambda c, u, d, i: services.raise_hand(c, u),
    "hand.lower": lambda c, u, d, i: services.lower_hand(c, u, d["user_id"]),
    "hand.call": lambda c, u, d, i: services.call_on(c, u, d["user_id"]),
    "slide.go": lambda c, u, d, i: services.go_to_slide(c, u, d["page"]),
    "poll.open": lambda c, u, d, i: services.open_poll(c, u, d["question"], d["options"]),
    "poll.vote": lambda c, u, d, i: services.vote(c, u, d["poll_id"], d["option"]),
    "poll.close": lambda c, u, d, i: services.close_poll(c, u, d["poll_id"]),
    "class.start": lambda c, u, d, i: services.set_class_state(c, u, LiveClass.State.LIVE),
    "class.end": lambda c, u, d, i: services.set_class_state(c, u, LiveClass.State.ENDED),
}


class RoomConsumer(AsyncWebsocketConsumer, ABC):
    """What every room socket does: authenticate, check permission, validate each frame, call
    a service, publish what it stored, replay what a reconnecting client missed. A live class
    and a circle differ only in who may enter and which frames they accept.
    Protocol: docs/live-protocol.md."""

    # No channel-layer channel per socket: everything reaches the room's sockets through the
    # process's hub (live/fanout.py), which also survives a Redis restart; a per-socket
    # channel would only add a Redis connection each, and die with 1011 when Redis does.
    channel_layer_alias = "none: the room hub carries every message"
    url_kwarg = ""
    validators: dict = {}
    moderator_only: set = set()
    handlers: dict = {}
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
        await database_sync_to_async(services.record_join)(self.room_id, user, self.channel_name)
        try:
            await hub().join(self.room_id, self)
        except Exception:  # the channel layer is away: the client tries again shortly
            logger.warning("room %s refused a socket: channel layer unreachable", self.room_id)
            await database_sync_to_async(services.record_leave)(self.channel_name)
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.joined = True
        await presence_changed(self.room_id)

    async def disconnect(self, code):
        if self.joined:
            self.joined = False
            await hub().leave(self.room_id, self)
            await database_sync_to_async(services.record_leave)(self.channel_name)
            await presence_changed(self.room_id)

    async def receive(self, text_data=None, bytes_data=None):
        if self.user_id is None:  # turned away at connect: a frame that crossed the close
            return
        if text_data is None:
            await self.send_error("binary", "只接受文字消息。")
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", "消息格式不对。")
            return
        ref = frame.get("id") if isinstance(frame, dict) else None
        ref = ref if isinstance(ref, str) else None
        kind = frame.get("type") if isinstance(frame, dict) else None
        if not self.rate_limits.get(kind, self.rate_limit).allow():
            await self.send_error("rate_limited", "发得太快了，请稍等一下再发。", ref)
            return
        try:
            inbound = parse(frame, self.validators)
        except ProtocolError as problem:
            await self.send_error(problem.code, problem.message, ref)
            return
        if inbound.type in self.moderator_only and not self.moderates:
            await self.send_error("forbidden", self.forbidden_message, ref)
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
                self.place, self.user, inbound.data, inbound.id
            )
        except services.RoomRefused as refusal:
            await self.send_error(refusal.code, refusal.message, ref)
            return
        if ref is not None:
            await self.send_frame({"type": "ack", "ref": ref, "seq": outcome.seq})
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

    async def send_error(self, code: str, message: str, ref: str | None = None):
        await self.send_frame({"type": "error", "code": code, "message": message, "ref": ref})


class LiveClassConsumer(RoomConsumer):
    """/ws/live/<id>/: the live class room, with video signalling relayed besides."""

    url_kwarg = "class_id"
    validators = VALIDATORS
    moderator_only = TEACHER_ONLY
    handlers = HANDLERS
    forbidden_message = "只有老师可以这样做。"

    async def enter(self, user, key):
        return await load_entry(key, user)

    def rate_limits_by_type(self) -> dict[str, RateLimit]:
        # Video signalling comes in bursts of ICE candidates; people type and click slowly.
        return {"rtc.signal": RateLimit(per_second=20, burst=200)}

    @property
    def live_class(self) -> LiveClass:
        return self.place

    def snapshot(self) -> dict:
        return selectors.snapshot(self.live_class, self.user, self.moderates)

    def missed(self, last_seq: int) -> list[dict] | None:
        return selectors.events_after(self.live_class, self.user, self.moderates, last_seq)

    async def carry_out(self, inbound, ref):
        if inbound.type == "rtc.signal":
            await self.relay_signal(inbound.data)
        else:
            await self.act(inbound, ref)

    async def relay_signal(self, signal: dict):
        """Offers, answers and ICE candidates pass between a teacher and one participant;
        retirees may only address the teachers."""
        to = signal["to"]
        if (
            not self.moderates
            and to is not None
            and not await database_sync_to_async(services.is_teacher_id)(self.live_class, to)
        ):
            await self.send_error("forbidden", "视频只能和老师连接。")
            return
        if signal["kind"] == "request" and not self.moderates:
            present = await database_sync_to_async(selectors.participants_present)(self.live_class)
            if present > settings.LIVE_WEBRTC_MAX_PARTICIPANTS:
                await self.send_error(
                    "video_full",
                    "这节课人太多，浏览器直播看不了了。请看课件、听老师讲，或问问工作人员。",
                )
                return
        frame = {"type": "rtc.signal", "data": {**signal, "from": self.user_id}}
        if to is not None:
            broadcast = services.Broadcast(frame, only=[to])
        elif self.moderates:
            broadcast = services.Broadcast(frame)  # "ready" or "stop", to everyone
        else:
            broadcast = services.Broadcast(frame, teachers_and=[])  # a request, to the teachers
        await publish(self.room_id, [broadcast])


@database_sync_to_async
def load_circle(circle_id: int, user) -> tuple[Circle | None, int | None, bool]:
    circle = Circle.objects.select_related("room", "institution").filter(pk=circle_id).first()
    if circle is None:
        return None, CLOSE_NO_ROOM, False
    if not may_enter_circle(user, circle):
        return circle, CLOSE_FORBIDDEN, False
    return circle, None, moderates_circle(user, circle)


CIRCLE_HANDLERS = {
    "chat.send": lambda c, u, d, i: circle_services.send_circle_chat(c, u, d["text"], i),
    "chat.delete": lambda c, u, d, i: circle_services.delete_circle_message(c, u, d["seq"]),
    "chat.report": lambda c, u, d, i: circle_services.report_message(c, u, d["seq"], d["reason"]),
    "member.mute": lambda c, u, d, i: circle_services.mute_for(c, u, d["user_id"], d["minutes"]),
    "read": lambda c, u, d, i: circle_services.mark_read(c, u, d["seq"]),
}


class CircleConsumer(RoomConsumer):
    """/ws/circle/<id>/: a study circle's chat. Voice messages and pictures arrive over HTTP
    (they are files) and are published into the same room."""

    url_kwarg = "circle_id"
    validators = CIRCLE_VALIDATORS
    moderator_only = CIRCLE_MODERATOR_ONLY
    handlers = CIRCLE_HANDLERS
    forbidden_message = "只有圈主、副圈主和老师可以这样做。"

    async def enter(self, user, key):
        return await load_circle(key, user)

    def snapshot(self) -> dict:
        return circle_selectors.circle_snapshot(self.place, self.user, self.moderates)

    def missed(self, last_seq: int) -> list[dict] | None:
        return circle_selectors.events_after(self.place, last_seq)
