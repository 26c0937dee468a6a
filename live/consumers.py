"""/ws/live/<id>/: a live class's room socket (rooms.consumers.RoomConsumer does the rest)."""

from channels.db import database_sync_to_async
from django.conf import settings

from core.refusals import Refused
from rooms.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_NO_ROOM,
    CLOSE_REMOVED,
    RateLimit,
    RoomConsumer,
)
from rooms.fanout import publish
from rooms.services import Broadcast, Outcome

from . import selectors, services
from .models import LiveClass
from .permissions import may_enter, teaches
from .protocol import TEACHER_ONLY, VALIDATORS


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


# Each frame type's handler: the cleaned frame data as keyword arguments (live.protocol).


def chat_send(live_class, user, *, client_id: str, text: str, private: bool) -> Outcome:
    return services.send_chat(live_class, user, text, private, client_id)


def chat_delete(live_class, user, *, client_id: str, seq: int) -> Outcome:
    return services.delete_chat(live_class, user, seq)


def member_mute(live_class, user, *, client_id: str, user_id: int, muted: bool) -> Outcome:
    return services.mute_member(live_class, user, user_id, muted)


def member_remove(live_class, user, *, client_id: str, user_id: int) -> Outcome:
    return services.remove_member(live_class, user, user_id)


def room_mute(live_class, user, *, client_id: str, muted: bool) -> Outcome:
    return services.mute_room(live_class, user, muted)


def hand_raise(live_class, user, *, client_id: str) -> Outcome:
    return services.raise_hand(live_class, user)


def hand_lower(live_class, user, *, client_id: str, user_id: int | None) -> Outcome:
    return services.lower_hand(live_class, user, user_id)


def hand_call(live_class, user, *, client_id: str, user_id: int) -> Outcome:
    return services.call_on(live_class, user, user_id)


def slide_go(live_class, user, *, client_id: str, page: int) -> Outcome:
    return services.go_to_slide(live_class, user, page)


def poll_open(live_class, user, *, client_id: str, question: str, options: list[str]) -> Outcome:
    return services.open_poll(live_class, user, question, options)


def poll_vote(live_class, user, *, client_id: str, poll_id: int, option: int) -> Outcome:
    return services.vote(live_class, user, poll_id, option)


def poll_close(live_class, user, *, client_id: str, poll_id: int) -> Outcome:
    return services.close_poll(live_class, user, poll_id)


def class_start(live_class, user, *, client_id: str) -> Outcome:
    return services.set_class_state(live_class, user, LiveClass.State.LIVE)


def class_end(live_class, user, *, client_id: str) -> Outcome:
    return services.set_class_state(live_class, user, LiveClass.State.ENDED)


HANDLERS = {
    "chat.send": chat_send,
    "chat.delete": chat_delete,
    "member.mute": member_mute,
    "member.remove": member_remove,
    "room.mute": room_mute,
    "hand.raise": hand_raise,
    "hand.lower": hand_lower,
    "hand.call": hand_call,
    "slide.go": slide_go,
    "poll.open": poll_open,
    "poll.vote": poll_vote,
    "poll.close": poll_close,
    "class.start": class_start,
    "class.end": class_end,
}


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
        if inbound.type != "rtc.signal":
            await self.act(inbound, ref)
            return
        try:
            await self.relay_signal(inbound.data)
        except Refused as refusal:
            await self.send_refusal(refusal, ref)
            return
        await self.send_ack(ref, None)  # relayed, never stored: no seq

    async def relay_signal(self, signal: dict):
        """Offers, answers and ICE candidates pass between a teacher and one participant;
        retirees may only address the teachers."""
        to = signal["to"]
        if (
            not self.moderates
            and to is not None
            and not await database_sync_to_async(services.is_teacher_id)(self.live_class, to)
        ):
            raise Refused("forbidden", "视频只能和老师连接。")
        if signal["kind"] == "request" and not self.moderates:
            present = await database_sync_to_async(selectors.participants_present)(self.live_class)
            if present > settings.LIVE_WEBRTC_MAX_PARTICIPANTS:
                raise Refused(
                    "video_full",
                    "这节课人太多，浏览器直播看不了了。请看课件、听老师讲，或问问工作人员。",
                )
        frame = {"type": "rtc.signal", "data": {**signal, "from": self.user_id}}
        if to is not None:
            broadcast = Broadcast(frame, only=[to])
        elif self.moderates:
            broadcast = Broadcast(frame)  # "ready" or "stop", to everyone
        else:
            broadcast = Broadcast(frame, teachers_and=[])  # a request, to the teachers
        await publish(self.room_id, [broadcast])
