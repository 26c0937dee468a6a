"""PostgreSQL going away under a running Daphne: requests meanwhile get the calm Chinese 503,
the site recovers by itself when the database is back, and an import cut off half-way leaves
nothing behind. The outage is a TCP proxy between Daphne and PostgreSQL that drops every
connection and refuses new ones (what clients see while a server restarts), so the machine's
PostgreSQL, which the rest of the suite uses, keeps running. PostgreSQL pass only."""

import re
import threading

import pytest
import requests
from django.conf import settings
from django.db import connection, transaction

from accounts.models import RosterUpload, User
from accounts.services import upload_roster
from tests.live.conftest import session_cookie
from tests.servers import DaphneProcess, TcpProxy, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.DATABASE_URL, reason="a PostgreSQL outage needs PostgreSQL"),
]


@pytest.fixture
def proxy():
    database = connection.settings_dict
    link = TcpProxy(int(database["PORT"] or 5432))
    yield link
    link.cut()


@pytest.fixture
def daphne(demo_people, proxy, django_db_blocker):
    database = connection.settings_dict
    server = DaphneProcess.start(
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}",
        TEST_SERVER_DEBUG="0",
    )
    yield server
    server.stop()


def session_for(login: str) -> requests.Session:
    web = requests.Session()
    web.cookies.set(*session_cookie(login))
    return web


def test_an_outage_gets_a_503_and_the_site_recovers_by_itself(daphne, proxy):
    web = session_for("13900000001")
    assert web.get(f"{daphne.url}/me/").status_code == 200

    proxy.cut()
    during = web.get(f"{daphne.url}/me/")
    assert during.status_code == 503 and during.headers["Retry-After"] == "30"
    assert "系统正在恢复" in during.text and "Traceback" not in during.text

    proxy.resume()
    after = web.get(f"{daphne.url}/me/")
    assert after.status_code == 200 and "张建国" in after.text


def roster_csv(count: int) -> bytes:
    lines = ["姓名,手机号,所属军休所", "张建华,13900000001,第一军休所"]  # renames 张建国
    lines += [f"新学员{n},137{n:08d},第一军休所" for n in range(1, count)]
    return "\n".join(lines).encode()


def test_an_import_cut_off_half_way_leaves_nothing_behind(daphne, proxy):
    staff = User.objects.get(username="jxs1")
    upload = upload_roster(staff=staff, filename="花名册.csv", content=roster_csv(1000))
    upload.refresh_from_db()  # checked at once: this process's tasks run immediately
    assert upload.state == RosterUpload.State.CHECKED, upload.errors
    web = session_for("jxs1")
    preview = web.get(f"{daphne.url}/admin/roster/{upload.pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', preview.text)[1]
    answers = []

    def confirm() -> requests.Response:
        return web.post(
            f"{daphne.url}/admin/roster/{upload.pk}/",
            {"csrfmiddlewaretoken": token},
            allow_redirects=False,
        )

    with transaction.atomic():
        # Hold 张建国's row: the import writes its 999 new people, then waits here to rename
        # him, inside its one transaction, when the database goes away.
        User.objects.select_for_update().get(username="13900000001")
        confirming = threading.Thread(target=lambda: answers.append(confirm()))
        confirming.start()
        with connection.cursor() as cursor:

            def import_waits() -> bool:
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen in a transaction
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query LIKE 'UPDATE \"accounts_user\"%%'"
                )
                return cursor.fetchone()[0] > 0

            wait_until(import_waits, "the import to reach the renaming")
        proxy.cut()
    confirming.join(timeout=60)
    # The confirmation queues the import (run at once here, inside the request); the task is
    # cut off, and the request, noting the task on the upload, finds the database gone too.
    assert answers[0].status_code == 503 and "系统正在恢复" in answers[0].text

    assert not User.objects.filter(username__startswith="137").exists()
    assert User.objects.get(username="13900000001").name == "张建国"
    assert RosterUpload.objects.get(pk=upload.pk).imported_at is None

    proxy.resume()  # and once the database is back, the same confirmation imports it all
    assert confirm().status_code == 302
    assert User.objects.filter(username__startswith="137").count() == 999
    assert User.objects.get(username="13900000001").name == "张建华"
