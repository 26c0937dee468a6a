"""A room client over a real WebSocket, for tests that talk to Daphne processes."""

import asyncio
import json

import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from tests.live.conftest import cookie_for
from tests.servers import DaphneProcess


class RoomClient:
    def __init__(self, socket):
        self.socket = socket
        self.seen: list[dict] = []  # every chat message received, in order

    async def send(self, type: str, data: dict | None = None, id: str | None = None):
        await self.socket.send(json.dumps({"type": type, "id": id or "", "data": data or {}}))

    async def read(self) -> list[dict]:
        """The next frame (a batch's frames), chat messages noted in `seen`."""
        frame = json.loads(await self.socket.recv())
        frames = frame["frames"] if frame["type"] == "batch" else [frame]
        self.seen += [f for f in frames if f["type"] == "chat.message"]
        return frames

    async def receive(self, type: str, timeout: float = 5) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                for frame in await self.read():
                    if frame["type"] == type:
                        return frame

    @property
    def last_seq(self) -> int:
        return max((frame["seq"] for frame in self.seen), default=0)


async def enter(
    server: DaphneProcess, class_id: int, login: str, last_seq: int = 0, route: str = "live"
) -> RoomClient:
    socket = await ws_connect(
        f"{server.ws_url}/ws/{route}/{class_id}/",
        origin=server.url,
        additional_headers={"Cookie": (await cookie_for(login)).decode()},
    )
    client = RoomClient(socket)
    await client.send("hello", {"last_seq": last_seq})
    client.me = (await client.receive("room.state"))["data"]["me"]
    return client


async def closed_with(client: RoomClient, timeout: float = 30) -> int:
    """Read until the server closes the socket: its close code."""
    with pytest.raises(ConnectionClosed):
        async with asyncio.timeout(timeout):
            while True:
                await client.read()
    return client.socket.close_code
