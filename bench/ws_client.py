"""A lean WebSocket client for the benchmarks: an asyncio Protocol that reads frames straight
from the socket and hands each text frame to a callback, without a task, a queue or a
wake-up per frame. With the `websockets` library the client process spent as long receiving
a broadcast to 1000 sockets as the server spent sending it, so the figures measured the
client as much as the room. Enough of RFC 6455 for this: text frames (also fragmented),
ping/pong, close; the server sends unmasked frames, the client masks its own."""

import asyncio
import base64
import os
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

TEXT, CLOSE, PING, PONG, CONTINUATION = 0x1, 0x8, 0x9, 0xA, 0x0


def client_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    key = (mask * (length // 4 + 1))[:length]
    body = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")
    return header + mask + body


class LeanSocket(asyncio.Protocol):
    def __init__(self, on_text: Callable[[str], None]):
        self.on_text = on_text
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.handshake = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.upgraded = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[: end + 4]
            if b" 101 " not in status:
                self.handshake.set_exception(ConnectionError(status.decode("latin-1")))
                self.transport.close()
                return
            self.upgraded = True
            self.handshake.set_result(None)
        self.read_frames()

    def read_frames(self) -> None:
        buffer = self.buffer
        start = 0
        while len(buffer) - start >= 2:
            first, second = buffer[start], buffer[start + 1]
            length, offset = second & 0x7F, start + 2
            if length == 126:
                if len(buffer) - offset < 2:
                    break
                (length,) = struct.unpack_from("!H", buffer, offset)
                offset += 2
            elif length == 127:
                if len(buffer) - offset < 8:
                    break
                (length,) = struct.unpack_from("!Q", buffer, offset)
                offset += 8
            if len(buffer) - offset < length:
                break
            payload = bytes(buffer[offset : offset + length])
            start = offset + length
            self.frame(first & 0x80, first & 0x0F, payload)
        del buffer[:start]

    def frame(self, final: int, opcode: int, payload: bytes) -> None:
        if opcode in (TEXT, CONTINUATION):
            self.fragments.append(payload)
            if final:
                text = b"".join(self.fragments).decode()
                self.fragments = []
                self.on_text(text)
        elif opcode == PING:
            self.transport.write(client_frame(PONG, payload))
        elif opcode == CLOSE:
            self.transport.close()

    def connection_lost(self, exc) -> None:
        if not self.handshake.done():
            self.handshake.set_exception(exc or ConnectionError("closed before the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    async def send(self, text: str) -> None:
        self.transport.write(client_frame(TEXT, text.encode()))

    async def close(self) -> None:
        if not self.transport.is_closing():
            self.transport.write(client_frame(CLOSE, struct.pack("!H", 1000)))
        try:
            await asyncio.wait_for(self.closed, 5)
        except TimeoutError:
            self.transport.abort()


async def connect(url: str, headers: dict[str, str], on_text: Callable[[str], None]) -> LeanSocket:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    _, socket = await loop.create_connection(
        lambda: LeanSocket(on_text), parts.hostname, parts.port or 80
    )
    key = base64.b64encode(os.urandom(16)).decode()
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    socket.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await socket.handshake
    return socket
