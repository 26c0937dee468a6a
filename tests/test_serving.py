"""Pages on stock Django: what another process changes is seen at once, an upload leaves
nothing on disk, plain http is redirected in production mode whatever was asked before, and a
page tells shared caches they may keep it only when it is exactly what every visitor without
an account sees (issue 19: S4, S9, S10, S11)."""

import subprocess
import sys

import pytest
import requests
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from courses.models import CoursePage
from tests.conftest import user
from tests.servers import PROJECT, DaphneProcess, server_environment, wait_until

# Cookie spellings Django reads as 长辈模式 or as a session although a plain string match would
# not: a page rendered for any of them must never be offered to a shared cache.
ODD_COOKIES = [
    'elder_mode="1"',
    "elder_mode =1",
    "elder_mode=0; elder_mode=1",
    " elder_mode=1 ",
    "sessionid=not-a-session",
    "messages=x",
]


def shared(response) -> bool:
    return "X-Accel-Expires" in response and "s-maxage" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/courses/", "course"])
def test_a_public_page_may_be_shared_only_as_every_visitor_sees_it(demo_site, path):
    if path == "course":
        path = CoursePage.objects.get(title="书法入门").url
    plain = Client().get(path)
    assert plain.status_code == 200 and shared(plain)
    assert not plain.cookies, "a shared page sets no cookie"
    assert b"csrfmiddlewaretoken" not in plain.content, "nor carries a visitor's CSRF token"

    for cookie in ODD_COOKIES:
        assert not shared(Client().get(path, HTTP_COOKIE=cookie)), cookie

    retiree = Client()
    retiree.force_login(user("13900000001"))
    assert not shared(retiree.get(path))


def test_elder_mode_before_login_is_a_cookie_set_without_a_token(demo_site):
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/courses/").content.decode()
    assert 'method="get" action="/accounts/elder-mode/"' in html
    switched = visitor.get("/accounts/elder-mode/", {"enabled": "1", "next": "/courses/"})
    assert switched.status_code == 302 and switched["Location"] == "/courses/"
    page = visitor.get("/courses/")
    assert "关闭长辈模式" in page.content.decode() and not shared(page)
    # Logged in, the switch is a POST with a token and is saved on the account.
    retiree = Client()
    retiree.force_login(user("13900000002"))
    assert 'method="post" action="/accounts/elder-mode/"' in retiree.get("/me/").content.decode()
    retiree.get("/accounts/elder-mode/", {"enabled": "1"})
    assert not user("13900000002").elder_mode, "a GET never changes the account"


def test_production_mode_redirects_plain_http_after_an_https_visit(demo_site, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    visitor = Client()
    assert visitor.get("/courses/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    plain = visitor.get("/courses/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


@pytest.mark.django_db(transaction=True)
class TestUnderDaphne:
    @pytest.fixture
    def daphne(self, demo_site, tmp_path):
        server = DaphneProcess.start(TEST_UPLOAD_TEMP_DIR=str(tmp_path))
        yield server
        server.stop()

    def test_a_page_unpublished_by_another_process_is_gone_at_once(self, daphne):
        course = CoursePage.objects.get(title="书法入门")
        lesson = course.get_children().live().first()
        web = requests.Session()
        for page in (course, lesson):
            assert web.get(daphne.url + page.url).status_code == 200
        Page.objects.filter(pk__in=[course.pk, lesson.pk]).update(
            expire_at=timezone.now() - timezone.timedelta(minutes=1)
        )
        subprocess.run(
            [sys.executable, "manage.py", "publish_scheduled"],
            cwd=PROJECT,
            env=server_environment(),
            check=True,
        )
        assert not CoursePage.objects.get(pk=course.pk).live
        assert web.get(daphne.url + course.url).status_code == 404
        assert web.get(daphne.url + lesson.url).status_code == 404

    def test_an_uploads_temporary_file_is_removed_after_the_response(self, daphne, tmp_path):
        web = requests.Session()
        web.cookies.set("csrftoken", "a" * 32)
        big = b"x" * (3 * 1024 * 1024)  # over FILE_UPLOAD_MAX_MEMORY_SIZE: goes to disk
        response = web.post(f"{daphne.url}/accounts/login/", files={"file": ("roster.xlsx", big)})
        assert response.status_code == 403  # the token was read from the form: it is missing
        wait_until(lambda: not any(tmp_path.iterdir()), "the upload's temporary file to go")
