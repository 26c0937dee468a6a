"""The site's ASGI application plus the two baselines the live-room benchmark compares with:
/ws/bench/relay/ (the bare stack: join a group, relay with group_send, no auth, nothing
stored) and /ws/bench/floor/ (a process-local loop over this process's sockets)."""

# isort: skip_file
from config.asgi import django_asgi_app, websocket_stack, websocket_urlpatterns  # Django first

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter
from django.urls import path


class BareRelayConsumer(AsyncWebsocketConsumer):
    group = "bench-relay"

    async def connect(self):
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "relay", "text": text_data})

    async def relay(self, message):
        await self.send(text_data=message["text"])


FLOOR: set = set()


class FloorConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        FLOOR.add(self)
        await self.accept()

    async def disconnect(self, code):
        FLOOR.discard(self)

    async def receive(self, text_data=None, bytes_data=None):
        for socket in list(FLOOR):
            await socket.send(text_data=text_data)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(
            [
                path("ws/bench/relay/", BareRelayConsumer.as_asgi()),
                path("ws/bench/floor/", FloorConsumer.as_asgi()),
                *websocket_urlpatterns,
            ]
        ),
    }
)
