from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from .services import notification_group

CLOSE_NOT_LOGGED_IN = 4401


async def refuse(consumer: AsyncWebsocketConsumer, code: int) -> None:
    """Turn a socket away with one of our close codes (docs/live-protocol.md). The handshake
    is accepted first: a close before accept leaves Daphne only an HTTP 403 to answer, which
    a browser reports as 1006, so the page could not say why and would retry for ever."""
    await consumer.accept()
    await consumer.close(code=code)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notify/: pushes a logged-in user's new notifications to every page they have open.
    The client only listens; anything it sends is ignored."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await refuse(self, CLOSE_NOT_LOGGED_IN)
            return
        self.group_name = notification_group(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Listen-only channel: whatever a client sends, valid or not, is ignored.
        return

    async def notify_message(self, event):
        await self.send_json(
            {
                "type": "notify.message",
                "data": {
                    "id": event["id"],
                    "kind": event["kind"],
                    "text": event["text"],
                    "url": event["url"],
                },
            }
        )
