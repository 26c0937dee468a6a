"""Print bench/results/latest.json as tables (make bench runs this last)."""

import json

from common import RESULTS


def table(rows: list[dict], columns: list[str]) -> None:
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row.get(c, "")).rjust(w) for c, w in zip(columns, widths, strict=True)))


def main() -> None:
    results = json.loads(RESULTS.read_text())
    print(f"machine: {results.get('machine')}\n")
    if results.get("fanout"):
        print("Live-room fan-out (ms to the last recipient; baseline = bare group_send relay, "
              "floor = process-local loop)")  # fmt: skip
        table(results["fanout"], ["layer", "processes", "clients", "rate", "p50_ms", "p95_ms",
                                  "p99_ms", "deliveries_per_s", "lost", "baseline_p99_ms",
                                  "floor_p99_ms", "server_cpu_s", "server_peak_mb"])  # fmt: skip
        print()
    if results.get("pages"):
        print("Pages (16 concurrent clients, and one alone; baseline = a bare Wagtail page on "
              "the same server)")  # fmt: skip
        table(results["pages"], ["page", "server", "queries", "rps", "p50_ms", "p99_ms",
                                 "cached_rps", "cached_p50_ms", "alone_p50_ms",
                                 "cold_render_ms", "baseline_rps", "baseline_p50_ms",
                                 "baseline_p99_ms"])  # fmt: skip
        print()
    if results.get("media_memory"):
        print("Slow readers of a 1 GB lesson video (server memory growth)")
        table(results["media_memory"], ["server", "clients", "kb_per_s_each", "seconds",
                                        "read_mb", "rss_before_mb", "rss_peak_mb",
                                        "growth_mb"])  # fmt: skip
        print()
    for key in ("import_5000_s", "import_5000_reimport_s", "followup_report_s"):
        if key in results:
            print(f"{key}: {results[key]}")


if __name__ == "__main__":
    main()
