"""The site's search over a generated corpus: indexing time from scratch, then p50/p99 of 50
typical queries (two-character words included) from 8 concurrent clients, each on its own
process (Python's multiprocessing, spawned: no interpreter lock shared between them), through
search.selectors.search as the 搜索 page calls it (a retiree, all kinds, five per kind). Prints
the figures and merges row `search` into latest.json.

    .venv/bin/python bench/search.py                       # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search.py
    --scale 0.2 indexes a fifth of the corpus (2,000 courses, 10,000 lessons, 4,000 notices).
    --reuse keeps an index already of the right size (the indexing figure is then the last one).

Notices are index rows only (no notice pages behind them), so the audience subquery runs for
every search but lets none through: the time is the search's, the notices' rows add to the
index's size, not to the results."""

import argparse
import json
import multiprocessing
import random
import statistics
import time
from datetime import timedelta

from common import RESULTS, merge_results, milliseconds, percentile, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.demo import load_demo_people  # noqa: E402
from accounts.models import User  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from search.registry import Document  # noqa: E402
from search.selectors import search  # noqa: E402
from search.services import index_all  # noqa: E402

COURSES, LESSONS, NOTICES = 10_000, 50_000, 20_000
CLIENTS = 8
ROUNDS = 4  # each client runs the 50 queries this many times

TOPICS = [
    "书法",
    "国画",
    "合唱",
    "声乐",
    "葫芦丝",
    "太极拳",
    "八段锦",
    "智能手机",
    "摄影",
    "象棋",
    "党史",
    "军史",
    "诗词",
    "养生",
    "舞蹈",
    "电子琴",
    "英语",
    "剪纸",
    "园艺",
    "烹饪",
]
WORDS = [
    "入门", "进阶", "基础", "提高", "讲座", "欣赏", "练习", "技巧", "常识", "方法", "健康",
    "老年", "军休", "离休", "老干部", "活动", "安排", "交流", "展示", "视频", "课程", "作品",
    "学员", "老师", "家人", "社区", "服务", "政策", "通知", "季度", "体检", "安全", "防范",
]  # fmt: skip
QUERIES = [
    "书法", "国画", "合唱", "太极", "手机", "摄影", "象棋", "党史", "养生", "舞蹈",
    "书法入门", "太极拳", "八段锦", "智能手机", "葫芦丝", "诗词欣赏", "剪纸", "园艺", "烹饪",
    "英语", "shufa", "taiji", "hulusi", "sf", "bdj", "hechang", "毛笔字", "唱歌", "跳舞",
    "下棋", "書法", "太極拳", "手机挂号", "党史讲座", "养生讲座", "老干部", "离休", "军休",
    "体检通知", "安全防范", "活动安排", "学员作品", "视频", "技巧", "进阶", "电子琴入门",
    "智能手鸡", "唐诗宋祠", "健康常识", "社区服务",
]  # fmt: skip


def sentence(rng: random.Random, topic: str, length: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(length)]
    picked.insert(rng.randrange(len(picked) + 1), topic)
    return "，".join("".join(picked[i : i + 3]) for i in range(0, len(picked), 3)) + "。"


def corpus(scale: float):
    rng = random.Random(24)
    now = timezone.now()
    for kind, count, body_words in (
        ("course", int(COURSES * scale), 40),
        ("lesson", int(LESSONS * scale), 120),
        ("notice", int(NOTICES * scale), 80),
    ):
        for number in range(1, count + 1):
            topic = rng.choice(TOPICS)
            yield Document(
                kind=kind,
                object_id=number,
                url=f"/{kind}/{number}/",
                title=f"{topic}{rng.choice(WORDS)}第{number}期",
                summary=sentence(rng, rng.choice(TOPICS), 6),
                body=sentence(rng, rng.choice(TOPICS), body_words),
                keywords=topic,
                published_at=now - timedelta(minutes=number),
            )


def client(number: int, ready, start, answers) -> None:
    """One client process: Django set up and jieba loaded before the start, then every query
    ROUNDS times (each client in its own order), its latencies sent back."""
    user = User.objects.get(username="13900000001")
    search("书法", user=user)
    order = list(QUERIES)
    random.Random(number).shuffle(order)
    latencies, errors = [], []
    ready.release()
    start.wait()
    try:
        for _ in range(ROUNDS):
            for query in order:
                started = time.perf_counter()
                search(query, user=user)
                latencies.append(time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - reported, not raised, from a client
        errors.append(repr(error))
    finally:
        connections.close_all()
    answers.put((latencies, errors))


def run_clients() -> tuple[list[float], list[str], float]:
    context = multiprocessing.get_context("spawn")
    ready, start, answers = context.Semaphore(0), context.Event(), context.Queue()
    processes = [
        context.Process(target=client, args=(number, ready, start, answers))
        for number in range(CLIENTS)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    started = time.perf_counter()
    start.set()
    latencies, errors = [], []
    for _ in processes:
        got, failed = answers.get()
        latencies += got
        errors += failed
    wall = time.perf_counter() - started
    for process in processes:
        process.join()
    return latencies, errors, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true")
    arguments = parser.parse_args()
    scale = arguments.scale
    vendor = connection.vendor
    previous = json.loads(RESULTS.read_text()).get("search", {}) if RESULTS.exists() else {}
    expected = int(COURSES * scale) + int(LESSONS * scale) + int(NOTICES * scale)
    call_command("migrate", verbosity=0)
    load_demo_people()
    last = previous.get(vendor, {})
    indexing = last.get("indexing_s") if last.get("entries") == expected else None
    if arguments.reuse and SearchEntry.objects.count() == expected and indexing:
        written = expected
    else:
        SearchEntry.objects.all().delete()
        started = time.perf_counter()
        written = index_all(documents=corpus(scale))
        indexing = round(time.perf_counter() - started, 1)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
    connections.close_all()

    latencies, errors, wall = run_clients()
    assert not errors, errors[:3]
    figures = {
        "entries": written,
        "scale": scale,
        "indexing_s": indexing,
        "queries": len(QUERIES),
        "clients": CLIENTS,
        "client_processes": True,
        "p50_ms": milliseconds(statistics.median(latencies)),
        "p99_ms": milliseconds(percentile(latencies, 0.99)),
        "searches_per_s": round(len(latencies) / wall, 1),
    }
    print(f"search, {vendor}, {written} entries (scale {scale}):")
    for name, value in figures.items():
        print(f"  {name:16} {value}")
    # One row `search`, with each database's figures side by side.
    previous[vendor] = figures
    merge_results({"search": previous})


if __name__ == "__main__":
    main()
