"""Roster import of 5,000 retirees: read and check the file, then write it in one transaction.
Prints the figures and merges them into bench/results/latest.json.

    .venv/bin/python bench/roster_import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/roster_import.py
"""

import io
import time

from common import merge_results, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.demo import load_demo_people  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.roster import COLUMNS, check_roster  # noqa: E402
from accounts.services import import_roster, upload_roster  # noqa: E402

ROWS = 5000


def roster_file(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    places = ["第一军休所", "万寿路服务站"]
    for n in range(rows):
        sheet.append(
            [f"测试{n:05d}", f"1360{n:07d}", "退休", "军官", places[n % 2], "家属", "13800000000",
             "高龄" if n % 3 == 0 else ""]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo_people()
    User.objects.filter(username__startswith="1360").delete()
    staff = User.objects.get(username="jxs1")
    content = roster_file(ROWS)

    started = time.perf_counter()
    check = check_roster("bench.xlsx", content, staff)
    checked = time.perf_counter() - started
    assert check.valid, check.errors[:5]

    started = time.perf_counter()
    upload, _ = upload_roster(staff, "bench.xlsx", content)
    imported = import_roster(upload, staff)
    first = time.perf_counter() - started
    assert imported.created_count == ROWS

    started = time.perf_counter()
    upload, _ = upload_roster(staff, "bench.xlsx", content)
    again = import_roster(upload, staff)
    second = time.perf_counter() - started
    assert again.updated_count == ROWS and again.created_count == 0

    from django.db import connection

    vendor = connection.vendor
    print(f"roster import, {ROWS} rows, {vendor}:")
    print(f"  check only (preview)           {checked:6.1f} s")
    print(f"  upload + check + write (new)   {first:6.1f} s")
    print(f"  re-import (all updates)        {second:6.1f} s")
    merge_results({"import_5000_s": round(first, 2), "import_5000_reimport_s": round(second, 2)})


if __name__ == "__main__":
    main()
