"""/ws/circle/<id>/: a study circle's chat socket (rooms.consumers.RoomConsumer does the rest)."""

from channels.db import database_sync_to_async

from rooms.consumers import CLOSE_FORBIDDEN, CLOSE_NO_ROOM, RoomConsumer
from rooms.services import Outcome

from . import selectors, services
from .models import Circle
from .permissions import may_enter_circle, moderates_circle
from .protocol import MODERATOR_ONLY, VALIDATORS


@database_sync_to_async
def load_circle(circle_id: int, user) -> tuple[Circle | None, int | None, bool]:
    circle = Circle.objects.select_related("room", "institution").filter(pk=circle_id).first()
    if circle is None:
        return None, CLOSE_NO_ROOM, False
    if not may_enter_circle(user, circle):
        return circle, CLOSE_FORBIDDEN, False
    return circle, None, moderates_circle(user, circle)


# Each frame type's handler: the cleaned frame data as keyword arguments (circles.protocol).


def chat_send(circle, user, *, client_id: str, text: str) -> Outcome:
    return services.send_circle_chat(circle, user, text, client_id)


def chat_delete(circle, user, *, client_id: str, seq: int) -> Outcome:
    return services.delete_circle_message(circle, user, seq)


def chat_report(circle, user, *, client_id: str, seq: int, reason: str) -> Outcome:
    return services.report_message(circle, user, seq, reason)


def member_mute(circle, user, *, client_id: str, user_id: int, minutes: int) -> Outcome:
    return services.mute_for(circle, user, user_id, minutes)


def read(circle, user, *, client_id: str, seq: int) -> Outcome:
    return services.mark_read(circle, user, seq)


HANDLERS = {
    "chat.send": chat_send,
    "chat.delete": chat_delete,
    "chat.report": chat_report,
    "member.mute": member_mute,
    "read": read,
}


class CircleConsumer(RoomConsumer):
    """/ws/circle/<id>/: a study circle's chat. Voice messages and pictures arrive over HTTP
    (they are files) and are published into the same room."""

    url_kwarg = "circle_id"
    validators = VALIDATORS
    moderator_only = MODERATOR_ONLY
    handlers = HANDLERS
    forbidden_message = "只有圈主、副圈主和老师可以这样做。"

    async def enter(self, user, key):
        return await load_circle(key, user)

    def snapshot(self) -> dict:
        return selectors.circle_snapshot(self.place, self.user, self.moderates)

    def missed(self, last_seq: int) -> list[dict] | None:
        return selectors.events_after(self.place, last_seq)
