"""Roster import, two ways.

1. In this process, 5,000 retirees: read and check the file, then write it in one transaction
   (the services the tasks call). Rows "import_5000_s", "import_5000_reimport_s".
2. Through the site and a real worker, 20,000 retirees: Daphne serves the staff pages, one
   `manage.py worker` checks and writes; this script uploads the file over HTTP, reads the
   progress page until the check is done, presses 确认导入 and reads it again until the
   import is done, sampling the web process's memory all along. The web process must not
   grow by more than 50 MB. Rows "roster_worker_20000".

    .venv/bin/python bench/roster_import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/roster_import.py
    .venv/bin/python bench/roster_import.py --worker-only
"""

import io
import re
import subprocess
import sys
import time

from common import (
    ROOT,
    Daphne,
    ResourceSampler,
    bench_environment,
    merge_results,
    session_cookie,
    setup_django,
)

setup_django()

import psutil  # noqa: E402
import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.demo import load_demo_people  # noqa: E402
from accounts.models import RosterUpload, User  # noqa: E402
from accounts.roster import COLUMNS, check_roster  # noqa: E402
from accounts.services import (  # noqa: E402
    check_roster_upload,
    confirm_roster,
    import_roster,
    upload_roster,
)

ROWS = 5000
WORKER_ROWS = 20_000
WEB_GROWTH_LIMIT_MB = 50
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def roster_file(rows: int, prefix: str = "1360") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    places = ["第一军休所", "万寿路服务站"]
    for n in range(rows):
        sheet.append(
            [f"测试{n:05d}", f"{prefix}{n:07d}", "退休", "军官", places[n % 2], "家属",
             "13800000000", "高龄" if n % 3 == 0 else ""]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def in_process() -> None:
    """The services the tasks call, run here one after the other (no queue)."""
    from django.test.utils import override_settings

    User.objects.filter(username__startswith="1360").delete()
    staff = User.objects.get(username="jxs1")
    content = roster_file(ROWS)

    started = time.perf_counter()
    check = check_roster("bench.xlsx", content, staff)
    checked = time.perf_counter() - started
    assert check.valid, check.errors[:5]

    def import_once() -> tuple[RosterUpload, float]:
        started = time.perf_counter()
        with override_settings(TASKS=IMMEDIATE):  # queued nowhere: run here, timed
            upload = upload_roster(staff=staff, filename="bench.xlsx", content=content)
            check_roster_upload(upload_id=upload.pk)
            confirm_roster(upload=upload)
            done = import_roster(upload_id=upload.pk)
        return done, time.perf_counter() - started

    imported, first = import_once()
    assert imported.created_count == ROWS
    again, second = import_once()
    assert again.updated_count == ROWS and again.created_count == 0

    from django.db import connection

    print(f"roster import, {ROWS} rows, {connection.vendor}, in this process:")
    print(f"  check only (what the preview's task does)  {checked:6.1f} s")
    print(f"  upload + check + write (new)               {first:6.1f} s")
    print(f"  re-import (all updates)                    {second:6.1f} s")
    merge_results({"import_5000_s": round(first, 2), "import_5000_reimport_s": round(second, 2)})


def through_worker() -> None:
    """20,000 rows uploaded to Daphne, checked and written by one worker process."""
    from django.db import connection

    User.objects.filter(username__startswith="1361").delete()
    staff = User.objects.get(username="jxs1")
    content = roster_file(WORKER_ROWS, prefix="1361")
    call_command("collectstatic", interactive=False, verbosity=0)  # production mode's manifest
    cookie = session_cookie(staff)
    web = Daphne.start(SECURE_COOKIES="0")  # plain HTTP here: the CSRF cookie must come back
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "-v0"],
        cwd=ROOT,
        env=bench_environment(),
    )
    try:
        http = requests.Session()
        name, _, value = cookie.partition("=")
        http.cookies.set(name, value)  # in the jar, beside the CSRF cookie the form sets
        base = web.url
        form = http.get(f"{base}/admin/roster/")
        assert form.status_code == 200, form.status_code
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        memory = psutil.Process(web.process.pid)
        before_mb = memory.memory_info().rss / 2**20
        sampler = ResourceSampler([web.process.pid])

        started = time.perf_counter()
        answer = http.post(
            f"{base}/admin/roster/",
            data={"csrfmiddlewaretoken": token},
            files={"roster": ("花名册-两万人.xlsx", content)},
            headers={"Referer": f"{base}/admin/roster/"},
            allow_redirects=False,
        )
        upload_s = time.perf_counter() - started
        assert answer.status_code == 302, answer.text[:500]
        page_url = base + answer.headers["Location"]

        seen: list[str] = []  # each distinct progress line the page showed

        def read_until(marker: str, timeout: float = 900) -> str:
            deadline = time.monotonic() + timeout
            while True:
                page = http.get(page_url)
                assert page.status_code == 200, page.status_code
                found = re.search(r'<p class="roster-progress__step">(.*?)</p>', page.text)
                line = re.sub(r"<[^>]+>", "", found[1]) if found else ""
                if line and (not seen or seen[-1] != line):
                    seen.append(line)
                if marker in page.text:
                    return page.text
                if time.monotonic() > deadline:
                    raise TimeoutError(marker)
                time.sleep(0.5)  # a person's browser asks every 3 s; the bench more often

        preview = read_until("确认导入")
        checked_s = time.perf_counter() - started
        assert f"全部 {WORKER_ROWS} 行都没问题" in preview, preview[-2000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', preview)[1]
        confirmed = time.perf_counter()
        http.post(
            page_url,
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": page_url},
            allow_redirects=False,
        )
        read_until("导入完成")
        written_s = time.perf_counter() - confirmed
        total_s = time.perf_counter() - started
        _, peak_mb = sampler.stop()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        web.stop()
    growth_mb = round(peak_mb - before_mb, 1)
    created = User.objects.filter(username__startswith="1361").count()
    assert created == WORKER_ROWS, created
    print(f"roster import, {WORKER_ROWS} rows, {connection.vendor}, Daphne + one worker:")
    print(f"  upload request (file-level check, queued)  {upload_s:6.2f} s")
    print(f"  until the check was done (preview ready)   {checked_s:6.1f} s")
    print(f"  from 确认导入 until all were written        {written_s:6.1f} s")
    print(f"  web process memory: {before_mb:.1f} MB before, peak {peak_mb:.1f} MB, "
          f"growth {growth_mb:.1f} MB (limit {WEB_GROWTH_LIMIT_MB} MB)")  # fmt: skip
    print(f"  progress lines the page showed: {len(seen)}")
    for line in seen[:3] + ["…"] + seen[-3:] if len(seen) > 6 else seen:
        print(f"    {line}")
    merge_results(
        {
            "roster_worker_20000": {
                "database": connection.vendor,
                "upload_request_s": round(upload_s, 2),
                "checked_s": round(checked_s, 1),
                "written_s": round(written_s, 1),
                "total_s": round(total_s, 1),
                "web_rss_before_mb": round(before_mb, 1),
                "web_rss_peak_mb": peak_mb,
                "web_rss_growth_mb": growth_mb,
                "progress_lines_seen": len(seen),
                "command": "python bench/roster_import.py --worker-only",
            }
        }
    )
    assert growth_mb <= WEB_GROWTH_LIMIT_MB, f"the web process grew {growth_mb} MB"


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo_people()
    if "--worker-only" not in sys.argv:
        in_process()
    through_worker()


if __name__ == "__main__":
    main()
