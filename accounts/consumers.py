from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .services import notification_group

CLOSE_NOT_LOGGED_IN = 4401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notify/: pushes a logged-in user's new notifications to every page they have open.
    The client only listens; anything it sends is ignored."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
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
