"""Room fan-out built to carry a thousand sockets.

Channels' per-consumer group_send costs about 0.7 ms per recipient. Instead, each Daphne
process (each event loop) keeps one RoomHub: a single channel-layer channel that joins the
group of every room with a local socket, and a registry of those sockets. A broadcast is one
group_send per room, received once per process, serialised once, and written to the local
sockets in a loop. Presence is derived from the database and sent at most once a second.

When the channel layer (Redis) goes away, the hub keeps trying to reach it; once back, it
joins its rooms' groups again (a restarted Redis has forgotten them) and closes every local
socket with CLOSE_CATCH_UP, so that each client reconnects and replays from the database what
was said meanwhile. Everything acknowledged is stored before it is broadcast, so nothing
acknowledged is lost."""

import asyncio
import json
import logging
import weakref

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

PRESENCE_INTERVAL = 1.0  # seconds: joins and leaves in a burst become one presence frame
BUSY_ROOM = 50  # local sockets from which chat is merged into one frame per BATCH_INTERVAL
BATCH_INTERVAL = 0.25
CLOSE_REMOVED = 4408
CLOSE_CATCH_UP = 4205  # reconnect now and ask for what was missed (Redis came back)
RECONNECT_DELAYS = [0.2, 0.5, 1, 2, 5]  # seconds between attempts to reach the layer again


def room_group(room_id: int) -> str:
    return f"live.room.{room_id}"


class RoomHub:
    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.sockets: dict[int, set] = {}
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None
        self.heart: asyncio.Task | None = None
        self.presence_due: set[int] = set()
        self.chat_batches: dict[int, list[tuple[str, list[int] | None]]] = {}
        self.lock = asyncio.Lock()

    async def join(self, room_id: int, consumer) -> None:
        async with self.lock:
            if self.channel is None:
                # The default prefix matters on Redis: process-local channels that share it
                # share one Redis list, which whoever is receiving drains for all of them.
                self.channel = await self.layer.new_channel()
                self.reader = asyncio.create_task(self.read_forever())
                self.heart = asyncio.create_task(self.heartbeat())
            local = self.sockets.setdefault(room_id, set())
            if not local:
                await self.layer.group_add(room_group(room_id), self.channel)
            local.add(consumer)

    async def leave(self, room_id: int, consumer) -> None:
        async with self.lock:
            local = self.sockets.get(room_id)
            if local is None:
                return
            local.discard(consumer)
            if not local:
                del self.sockets[room_id]
                try:
                    await self.layer.group_discard(room_group(room_id), self.channel)
                except Exception:  # the layer is away; the group membership expires there
                    logger.warning("group not left: channel layer unreachable")
            if not self.sockets and self.reader is not None:
                tasks = [self.reader, self.heart]
                self.reader = self.heart = self.channel = None
                for task in tasks:
                    task.cancel()
                # Wait for them: a receive left pending would keep channels-redis's receive
                # lock bound to this event loop.
                await asyncio.gather(*tasks, return_exceptions=True)

    async def read_forever(self) -> None:
        channel = self.channel
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("channel layer unreachable; the rooms wait for it", exc_info=True)
                await self.rejoin_when_reachable(channel)
                continue
            try:
                await self.deliver(message)
            except Exception:  # one bad delivery must not stop the room
                logger.exception("room delivery failed")

    async def heartbeat(self) -> None:
        """Mark this process's sockets as alive, and end the presence of sockets whose
        process died without saying goodbye (so nobody is counted twice after moving)."""
        from .services import keep_presences_alive

        while True:
            await asyncio.sleep(settings.LIVE_PRESENCE_HEARTBEAT_SECONDS)
            local = [c for sockets in self.sockets.values() for c in sockets]
            try:
                changed = await database_sync_to_async(keep_presences_alive)(
                    [consumer.channel_name for consumer in local], list(self.sockets)
                )
            except Exception:  # the database is away: try again on the next beat
                logger.warning("presence heartbeat failed", exc_info=True)
                continue
            for room_id in changed:
                await presence_changed(room_id)

    async def rejoin_when_reachable(self, channel: str) -> None:
        attempt = 0
        while True:
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            attempt += 1
            try:
                for room_id in list(self.sockets):
                    await self.layer.group_add(room_group(room_id), channel)
            except Exception:
                continue
            break
        logger.warning(
            "channel layer back; %d sockets catch up", sum(map(len, self.sockets.values()))
        )
        for consumer in [c for local in self.sockets.values() for c in local]:
            await consumer.close(code=CLOSE_CATCH_UP)

    async def deliver(self, message: dict) -> None:
        room_id = message["room"]
        if message["type"] == "room.presence":
            if room_id not in self.presence_due:
                self.presence_due.add(room_id)
                asyncio.get_running_loop().call_later(
                    PRESENCE_INTERVAL, lambda: asyncio.ensure_future(self.send_presence(room_id))
                )
            return
        text = message["text"]
        audience = message.get("teachers_and")
        only = message.get("only")
        close_user = message.get("close_user")
        local = list(self.sockets.get(room_id, ()))
        if message.get("chat") and len(local) >= BUSY_ROOM:
            if room_id in self.chat_batches:
                self.chat_batches[room_id].append((text, audience))
                return
            self.open_batch_window(room_id)  # this one goes now; what follows it is merged
        if only is not None:
            await send_to_each([c for c in local if c.user_id in only], text)
        elif audience is None:
            await send_to_each(local, text)
        else:
            await send_to_each([c for c in local if c.moderates or c.user_id in audience], text)
        if close_user is not None:
            for consumer in local:
                if consumer.user_id == close_user:
                    await consumer.close(code=CLOSE_REMOVED)

    def open_batch_window(self, room_id: int) -> None:
        """In a busy room, chat that arrives within BATCH_INTERVAL of a message sent at once
        is merged into one frame at the end of that interval: a quiet room's message is not
        delayed, and a flood costs each socket at most two frames per interval."""
        self.chat_batches[room_id] = []
        asyncio.get_running_loop().call_later(
            BATCH_INTERVAL, lambda: asyncio.ensure_future(self.send_batch(room_id))
        )

    async def send_batch(self, room_id: int) -> None:
        """A busy room's chat of the last 250 ms as one frame."""
        batch = self.chat_batches.pop(room_id, [])
        all_public = all(audience is None for _, audience in batch)
        whole = batch_frame([text for text, _ in batch])
        public = whole if all_public else batch_frame([t for t, a in batch if a is None])
        local = list(self.sockets.get(room_id, ()))
        if all_public:
            await send_to_each(local, whole)
            return
        named = {user_id for _, audience in batch if audience for user_id in audience}
        await send_to_each([c for c in local if c.moderates], whole)
        await send_to_each([c for c in local if not c.moderates and c.user_id not in named], public)
        for consumer in local:
            if not consumer.moderates and consumer.user_id in named:
                text = batch_frame([t for t, a in batch if a is None or consumer.user_id in a])
                await send_to_each([consumer], text)

    async def send_presence(self, room_id: int) -> None:
        from .selectors import presence_of

        self.presence_due.discard(room_id)
        local = list(self.sockets.get(room_id, ()))
        if not local:
            return
        presence = await database_sync_to_async(presence_of)(room_id)
        for_teachers = json.dumps({"type": "presence", "data": presence}, ensure_ascii=False)
        for_others = json.dumps({"type": "presence", "data": {"count": presence["count"]}})
        await send_to_each([c for c in local if c.moderates], for_teachers)
        await send_to_each([c for c in local if not c.moderates], for_others)


DAPHNE_CONNECTION = "daphne.connection"


async def send_to_each(consumers: list, text: str) -> None:
    """One text to many sockets. Under Daphne the WebSocket frame is built once and written
    straight to each open connection: the ASGI send path (channels' wrappers, Daphne's reply
    checks, encoding and framing per socket) costs about 0.1 ms a socket, a tenth of a second
    for a room of a thousand. Elsewhere (WebsocketCommunicator in tests) each socket's ASGI
    send. Either way a socket's frames leave in the order they were sent."""
    if not text:
        return
    prepared = None
    for consumer in consumers:
        connection = consumer.scope.get(DAPHNE_CONNECTION)
        if connection is not None and connection.state == connection.STATE_OPEN:
            if prepared is None:
                prepared = connection.factory.prepareMessage(text.encode())
            connection.sendPreparedMessage(prepared)
        else:
            await consumer.send(text_data=text)


# The Daphne release whose send (partial(server.handle_reply, protocol)) KnowDaphneConnection
# reads; tests/live/test_direct_fanout.py fails when the installed Daphne is another one.
DIRECT_FANOUT_DAPHNE = "4.2.3"


def direct_fanout_enabled() -> bool:
    """Whether broadcasts may write to Daphne's connections themselves (settings
    LIVE_DIRECT_FANOUT, on the Daphne release it was checked against); otherwise every
    socket is sent to through Channels' public send."""
    import daphne

    return settings.LIVE_DIRECT_FANOUT and daphne.__version__ == DIRECT_FANOUT_DAPHNE


class KnowDaphneConnection:
    """ASGI middleware for WebSockets: Daphne hands each connection a send that is
    partial(server.handle_reply, protocol); the protocol (an autobahn connection) is put in
    the scope so that send_to_each can write a prepared frame to it directly. This reads
    Daphne's internals (the one place the project does), so it is behind a setting and a
    version check, and the public path is what runs without them."""

    def __init__(self, app) -> None:
        self.app = app
        self.enabled = direct_fanout_enabled()

    async def __call__(self, scope, receive, send):
        if not self.enabled:
            return await self.app(scope, receive, send)
        connection = getattr(send, "args", (None,))[0]
        if hasattr(connection, "sendPreparedMessage"):
            scope = dict(scope, **{DAPHNE_CONNECTION: connection})
        return await self.app(scope, receive, send)


def batch_frame(texts: list[str]) -> str:
    """Frames already serialised, wrapped without parsing them again."""
    return '{"type": "batch", "frames": [' + ", ".join(texts) + "]}" if texts else ""


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub]" = weakref.WeakKeyDictionary()


def hub() -> RoomHub:
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = RoomHub()
    return _hubs[loop]


async def publish(room_id: int, broadcasts, close_user: int | None = None) -> None:
    """One channel-layer message per broadcast; every process with sockets in the room gets it.
    With the layer away, what was stored reaches the room when the hubs make it catch up."""
    try:
        await send_to_room(room_id, broadcasts, close_user)
    except Exception:
        logger.warning("broadcast not sent: channel layer unreachable", exc_info=True)


async def send_to_room(room_id: int, broadcasts, close_user: int | None) -> None:
    layer = get_channel_layer()
    for index, broadcast in enumerate(broadcasts):
        last = index == len(broadcasts) - 1
        await layer.group_send(
            room_group(room_id),
            {
                "type": "room.frame",
                "room": room_id,
                "text": json.dumps(broadcast.frame, ensure_ascii=False),
                "teachers_and": broadcast.teachers_and,
                "only": broadcast.only,
                "close_user": close_user if last else None,
                "chat": broadcast.frame["type"] == "chat.message",
            },
        )


async def presence_changed(room_id: int) -> None:
    try:
        await get_channel_layer().group_send(
            room_group(room_id), {"type": "room.presence", "room": room_id}
        )
    except Exception:  # the layer is away: presence is sent again on the next join or leave
        logger.warning("presence not sent: channel layer unreachable")


def publish_after_commit(room_id: int, broadcasts, close_user: int | None = None) -> None:
    """For writes made outside a socket (an upload, a staff decision): the room hears of them
    once they are committed."""
    if broadcasts:
        transaction.on_commit(lambda: async_to_sync(publish)(room_id, broadcasts, close_user))
