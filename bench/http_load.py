"""Pages asked for by N concurrent visitors, each on its own keep-alive connection asking
again as soon as an answer is complete: one asyncio Protocol per connection on one event
loop. Sixteen threads of http.client spent about as long per request as the server's cache
did, so the cached figures measured the client as much as the server."""

import asyncio
import gc
import time


class Visitor(asyncio.Protocol):
    def __init__(self, number: int, request_for, deadline: float, latencies, errors, done):
        self.number = number
        self.request_for = request_for  # (visitor's number, its request's number) → bytes
        self.deadline = deadline
        self.latencies = latencies
        self.errors = errors
        self.done = done
        self.asked = 0
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.ask()

    def ask(self) -> None:
        if time.monotonic() >= self.deadline:
            self.transport.close()
            return
        self.buffer = bytearray()
        self.head_end = -1
        self.length = None  # None: chunked
        self.started = time.perf_counter()
        self.transport.write(self.request_for(self.number, self.asked))
        self.asked += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.head_end < 0:
            self.head_end = self.buffer.find(b"\r\n\r\n")
            if self.head_end < 0:
                return
            head = bytes(self.buffer[: self.head_end]).lower()
            if not head.startswith(b"http/1.1 200"):
                self.errors.append(head.split(b"\r\n", 1)[0].decode())
            for line in head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    self.length = int(line.split(b":", 1)[1])
        body = len(self.buffer) - self.head_end - 4
        complete = (
            body >= self.length
            if self.length is not None
            else self.buffer.endswith(b"\r\n0\r\n\r\n")
        )
        if complete:
            self.latencies.append(time.perf_counter() - self.started)
            self.ask()

    def connection_lost(self, exc) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def visit(port: int, request_for, clients: int, seconds: float) -> list[float]:
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    finished = []
    for number in range(clients):
        done = loop.create_future()
        finished.append(done)
        await loop.create_connection(
            lambda n=number, d=done: Visitor(n, request_for, deadline, latencies, errors, d),
            "127.0.0.1",
            port,
        )
    await asyncio.gather(*finished)
    if errors:
        raise RuntimeError(errors[:3])
    return latencies


def load_pages(
    port: int, path: str, cookie: str, seconds: float, vary: bool, clients: int
) -> tuple[float, list[float]]:
    """→ (requests per second, latencies in seconds). vary: a query string never seen before
    on each request."""
    run = time.monotonic_ns()
    cookie_line = f"Cookie: {cookie}\r\n" if cookie else ""

    def request_for(visitor: int, asked: int) -> bytes:
        url = f"{path}?bench={visitor}-{asked}-{run}" if vary else path
        return f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{cookie_line}\r\n".encode()

    gc.collect()
    gc.disable()  # a collection in this process would be counted as the server's time
    try:
        started = time.monotonic()
        latencies = asyncio.run(visit(port, request_for, clients, seconds))
        elapsed = time.monotonic() - started
    finally:
        gc.enable()
    return len(latencies) / elapsed, latencies
