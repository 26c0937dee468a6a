"""Pages the same for every visitor without an account are served from memory before Django
(home.page_cache), with each visitor's own CSRF tokens, and never a logged-in page."""

import re

import pytest

from config.asgi import django_asgi_app
from courses.models import CoursePage
from home import page_cache
from tests.asgi_requests import asgi_request

pytestmark = pytest.mark.django_db(transaction=True)


class Counted:
    """Django's application, counting the requests that reached it."""

    def __init__(self):
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await django_asgi_app(scope, receive, send)


@pytest.fixture
def site(demo_site):
    page_cache.entries.clear()
    django = Counted()
    yield page_cache.PublicPageCache(django), django
    page_cache.entries.clear()


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_a_public_page_is_rendered_once_and_each_visitor_gets_their_own_tokens(site):
    app, django = site
    first = asgi_request(app, "/courses/")
    second = asgi_request(app, "/courses/")
    assert django.calls == 1
    assert first["status"] == second["status"] == 200
    assert "书法入门" in second["html"]
    assert second["html"].replace("\n", "") != ""
    assert b"x-same-for-every-visitor" not in first["headers"]
    assert b"x-same-for-every-visitor" not in second["headers"]
    assert int(second["headers"][b"content-length"]) == len(second["html"].encode())
    # A new visitor gets a CSRF cookie of their own, and tokens made from it.
    assert first["cookies"]["csrftoken"] != second["cookies"]["csrftoken"]
    assert set(tokens(first["html"])).isdisjoint(tokens(second["html"]))
    strip = lambda html: re.sub(r'value="[A-Za-z0-9]{64}"', "", html)  # noqa: E731
    assert strip(first["html"]) == strip(second["html"])

    # The served page's 长辈模式 switch works with that visitor's cookie.
    cookie = {"csrftoken": second["cookies"]["csrftoken"]}
    switched = asgi_request(app, "/accounts/elder-mode/", cookie, "POST", {
        "csrfmiddlewaretoken": tokens(second["html"])[0], "enabled": "1", "next": "/courses/",
    })  # fmt: skip
    assert switched["status"] == 302, switched["html"][:300]
    assert switched["cookies"]["elder_mode"] == "1"
    # The page in 长辈模式 is its own entry; a visitor who has a CSRF cookie keeps it.
    for _ in range(2):
        elder = asgi_request(app, "/courses/", {**cookie, "elder_mode": "1"})
        assert elder["cookies"]["csrftoken"] == cookie["csrftoken"]
        assert 'class="elder-mode"' in elder["html"]
    assert django.calls == 3  # the first page, the switch, the first page in 长辈模式


def test_english_is_kept_apart_from_chinese(site):
    app, django = site
    assert "课程" in asgi_request(app, "/courses/")["html"]
    english = asgi_request(app, "/courses/", {"language": "en"})
    assert 'lang="en"' in english["html"]
    assert django.calls == 2


def test_logged_in_visitors_and_other_pages_always_reach_django(site, client_as):
    app, django = site
    session = client_as("13900000001").cookies["sessionid"].value
    for _ in range(2):
        page = asgi_request(app, "/courses/", {"sessionid": session})
        assert "退出登录" in page["html"]
    assert django.calls == 2
    assert page_cache.entries == {}
    asgi_request(app, "/help/")
    asgi_request(app, "/help/")  # not a page marked the same for every visitor
    assert django.calls == 4


def test_a_published_change_is_served_at_once(site):
    app, django = site
    course = CoursePage.objects.get(title="书法入门")
    assert "书法入门（新）" not in asgi_request(app, "/courses/")["html"]
    course.title = "书法入门（新）"
    course.save_revision().publish()
    assert "书法入门（新）" in asgi_request(app, "/courses/")["html"]
    assert django.calls == 2


def test_entries_last_only_their_lifetime(site, monkeypatch):
    app, django = site
    monkeypatch.setattr(page_cache, "LIFETIME", 0)
    asgi_request(app, "/")
    asgi_request(app, "/")
    assert django.calls == 2


def test_a_page_is_cut_where_its_tokens_go_and_only_there():
    token = "A" * 63 + "9"
    field = f'name="csrfmiddlewaretoken" value="{token}"'
    body = f"<p>课程</p><input {field}><i {field}>end"
    parts = page_cache.cut_at_tokens(body.encode())
    assert len(parts) == 3
    assert token.encode().join(parts) == body.encode()
    assert parts[0].endswith(b'value="') and parts[2] == b'">end'
    assert page_cache.cut_at_tokens(b"<p>no form</p>") == [b"<p>no form</p>"]
    not_a_token = '<input name="csrfmiddlewaretoken" value="short">'
    assert page_cache.cut_at_tokens(not_a_token.encode()) is None
