"""Slow readers of a long lesson video: 20 clients each reading a 1 GB video at 100 KB/s, as a
player on a weak line does, against Daphne alone (`make run`: Django answers each Range with
a part of at most a few MB) and against `make serve`'s topology (Django checks the address,
nginx sends the file by X-Accel-Redirect). Reports how much the servers' memory grows.

    .venv/bin/python bench/media.py [--clients 20] [--seconds 30]

Prints a line per server and writes the "media_memory" rows of bench/results/latest.json."""

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path

import psutil
from common import Daphne, bench_environment, free_port, merge_results

from config.serve import start_topology

VIDEO = "lessons/media/bench/long-lesson.mp4"
SIZE = 2**30
RATE = 100 * 1024  # bytes a second per client
STEP = 0.1  # seconds between reads


async def read_slowly(port: int, seconds: float) -> int:
    """One player: ranges asked one after another on a kept connection, the body read at RATE.
    → bytes read."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    deadline, position, total = time.monotonic() + seconds, 0, 0
    try:
        while time.monotonic() < deadline:
            writer.write(
                f"GET /media/{VIDEO} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Range: bytes={position}-\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            if status != 206:
                raise RuntimeError(f"status {status}: {head[:200]!r}")
            length = int(
                next(
                    line.split(b":", 1)[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
            )
            left = length
            while left and time.monotonic() < deadline:
                chunk = await reader.read(min(left, int(RATE * STEP)))
                if not chunk:
                    raise RuntimeError("connection closed")
                left -= len(chunk)
                total += len(chunk)
                await asyncio.sleep(STEP)
            if left:
                break  # time is up in the middle of a part
            position += length
    finally:
        writer.close()
    return total


def tree_rss(pids: list[int]) -> float:
    """MB resident in these processes and their children."""
    total = 0
    for pid in pids:
        process = psutil.Process(pid)
        for each in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):  # gone since it was listed
                total += each.memory_info().rss
    return total / 2**20


async def measure(server: str, port: int, pids: list[int], clients: int, seconds: float) -> dict:
    before = tree_rss(pids)
    peak = before
    readers = asyncio.gather(*(read_slowly(port, seconds) for _ in range(clients)))
    while not readers.done():
        peak = max(peak, tree_rss(pids))
        await asyncio.wait([readers], timeout=0.5)
    read = sum(readers.result())
    row = {
        "server": server,
        "clients": clients,
        "kb_per_s_each": RATE // 1024,
        "seconds": seconds,
        "read_mb": round(read / 2**20, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(peak, 1),
        "growth_mb": round(peak - before, 1),
    }
    print(*(f"{k}={v}" for k, v in row.items()), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    options = parser.parse_args()
    media_root = Path(tempfile.mkdtemp(prefix="bench-media-"))
    os.environ["MEDIA_ROOT"] = str(media_root)
    environment = bench_environment()
    video = media_root / VIDEO
    video.parent.mkdir(parents=True)
    with video.open("wb") as handle:  # sparse: a gigabyte without writing one
        handle.truncate(SIZE)
    rows = []

    daphne = Daphne.start("config.asgi:application")
    try:
        rows.append(
            asyncio.run(measure("daphne", daphne.port, [daphne.process.pid], **vars(options)))
        )
    finally:
        daphne.stop()

    topology = start_topology(
        port=free_port(), run_dir=Path(tempfile.mkdtemp()), environment=environment
    )
    try:
        pids = [process.pid for process in topology.processes.values()]
        rows.append(asyncio.run(measure("nginx+gunicorn", topology.port, pids, **vars(options))))
    finally:
        topology.stop()
    merge_results({"media_memory": rows})


if __name__ == "__main__":
    main()
