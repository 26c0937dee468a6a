"""The clients of the live-room benchmark, in a process of their own: N receiving sockets and
one sending socket; every message carries its send time; prints what arrived when, as JSON.
Run by bench/fanout.py with its instructions as JSON on stdin."""

import asyncio
import json
import sys
import time

from ws_client import connect


class Tally:
    def __init__(self, messages: int):
        self.count = [0] * messages
        self.last = [0.0] * messages
        self.sent = [0.0] * messages
        self.latencies: list[float] = []

    def arrived(self, index: int, sent_at: float | None) -> None:
        """sent_at None: a slide change, whose send time the sender noted in `sent`."""
        now = time.time()
        if 0 <= index < len(self.count):
            sent_at = self.sent[index] if sent_at is None else sent_at
            self.count[index] += 1
            self.last[index] = max(self.last[index], now)
            self.latencies.append(now - sent_at)


def parse_room(text: str):
    """(index, sent_at) of each benchmark chat message in a room frame (or batch); (None,
    None) for a slide change, which receive() numbers by its order."""
    frame = json.loads(text)
    frames = frame.get("frames", []) if frame.get("type") == "batch" else [frame]
    for inner in frames:
        if isinstance(inner, str):
            inner = json.loads(inner)
        if inner.get("type") == "chat.message":
            words = inner["data"]["text"].split()
            if len(words) == 3 and words[0] == "bench":
                yield int(words[1]), float(words[2])
        elif inner.get("type") == "slide.changed":
            yield None, None


def parse_raw(text: str):
    frame = json.loads(text)
    yield frame["i"], frame["t"]


def receiver(tally: Tally, parse):
    """What one socket does with each text frame it receives."""
    slides = 0

    def on_text(text: str) -> None:
        nonlocal slides
        for index, sent_at in parse(text):
            if index is None:  # a socket gets slide changes in order: the k-th is message 2k+1
                index, slides = 2 * slides + 1, slides + 1
            tally.arrived(index, sent_at)

    return on_text


async def open_socket(url: str, cookie: str, origin: str, on_text):
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    return await asyncio.wait_for(connect(url, headers, on_text), 120)


async def main(plan: dict) -> dict:
    room = plan["kind"] == "room"
    parse = parse_room if room else parse_raw
    tally = Tally(plan["messages"])
    gate = asyncio.Semaphore(50)

    async def open_receiver(number: int):
        async with gate:
            url = plan["urls"][number % len(plan["urls"])]
            cookie = plan["cookies"][number] if room else ""
            socket = await open_socket(url, cookie, plan["origin"], receiver(tally, parse))
            if room:
                await socket.send(json.dumps({"type": "hello", "data": {"last_seq": 0}}))
            return socket

    started = time.time()
    sockets = await asyncio.gather(*(open_receiver(n) for n in range(plan["clients"])))
    connect_seconds = time.time() - started
    sender = await open_socket(
        plan["sender_url"], plan.get("sender_cookie", ""), plan["origin"], lambda text: None
    )
    await asyncio.sleep(2)  # presence and hello answers settle

    interval = 1 / plan["rate"]
    first = time.time()
    for index in range(plan["messages"]):
        due = first + index * interval
        await asyncio.sleep(max(0, due - time.time()))
        now = time.time()
        tally.sent[index] = now
        if room and plan.get("slides") and index % 2:
            # Every other message turns a page of a 30-page deck.
            frame = {"type": "slide.go", "data": {"page": (index // 2) % 30}}
        elif room:
            frame = {"type": "chat.send", "id": f"{plan['run']}-{index}",
                     "data": {"text": f"bench {index} {now:.6f}", "private": False}}  # fmt: skip
        else:
            frame = {"i": index, "t": now}
        await sender.send(json.dumps(frame))
    expected = plan["clients"] * plan["messages"]
    deadline = time.time() + plan["grace"]
    while sum(tally.count) < expected and time.time() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.gather(*[s.close() for s in [*sockets, sender]], return_exceptions=True)

    complete = [i for i in range(plan["messages"]) if tally.count[i] == plan["clients"]]
    to_last = [tally.last[i] - tally.sent[i] for i in complete]
    half = plan["messages"] // 2
    halves = [
        sorted(tally.last[i] - tally.sent[i] for i in complete if (i < half) == first_half)
        for first_half in (True, False)
    ]
    delivered = sum(tally.count)
    span = max(tally.last) - first if delivered else 0
    return {
        "connect_s": round(connect_seconds, 2),
        "to_last": to_last,
        "per_delivery": tally.latencies,
        "delivered": delivered,
        "expected": expected,
        "deliveries_per_s": round(delivered / span, 1) if span else 0,
        # Latency that grows through the run shows in the second half's median.
        "halves_p50": [h[len(h) // 2] if h else None for h in halves],
    }


if __name__ == "__main__":
    result = asyncio.run(main(json.load(sys.stdin)))
    json.dump(result, sys.stdout)
