"""Who gets what: each page and room of one 军休所 (第一军休所) against every kind of visitor.
200 = shown, 302 = sent to log in (or, for the admin, away), 403 = refused with a page,
404 = as if it did not exist (ids cannot be guessed). Staff pages that every staff member may
open (200 for 王丽 and 李强) show each only their own subtree: the per-view tests check that."""

import pytest
from django.test import Client

from accounts.models import RetireeProfile, User
from notices.models import NoticePage
from tests.circles.conftest import chorus  # noqa: F401  (the circle fixture, shared)
from tests.live.conftest import connect, live_class, make_class, release_layer  # noqa: F401

VISITORS = ["anonymous", "retiree", "other_retiree", "instructor", "other_instructor",
            "staff", "other_staff", "admin"]  # fmt: skip
LOGINS = {"anonymous": None, "retiree": "13900000001", "other_retiree": "13900000007",
          "instructor": "liushuwen", "other_instructor": "zhouyaqin", "staff": "jxs1",
          "other_staff": "jxs2", "admin": "admin"}  # fmt: skip

MATRIX = {
    "/live/{live_class}/": [302, 200, 403, 200, 403, 200, 403, 200],
    "/circles/{circle}/": [302, 200, 404, 404, 404, 200, 404, 200],
    "/circles/{circle}/members/": [302, 200, 404, 404, 404, 200, 404, 200],
    "/circles/{circle}/messages/": [302, 200, 404, 404, 404, 200, 404, 200],
    "/circles/{circle}/works/": [302, 200, 404, 404, 404, 200, 404, 200],
    "{notice_url}": [302, 200, 404, 404, 404, 200, 404, 200],
    "/admin/retirees/inspect/{profile}/": [302, 302, 302, 404, 404, 200, 404, 200],
    "/admin/retirees/edit/{profile}/": [302, 302, 302, 302, 302, 200, 404, 200],
    "/admin/notices/{notice}/": [302, 302, 302, 302, 302, 200, 404, 200],
    "/admin/notices/{notice}/export/": [302, 302, 302, 302, 302, 200, 404, 200],
    "/admin/care/": [302, 302, 302, 302, 302, 200, 200, 200],
    "/admin/term-report/?format=xlsx": [302, 302, 302, 302, 302, 200, 200, 200],
    "/admin/roster/": [302, 302, 302, 302, 302, 200, 200, 200],
    "/admin/helpers/": [302, 302, 302, 302, 302, 200, 200, 200],
    "/admin/login-help/": [302, 302, 302, 302, 302, 200, 200, 200],
    "/admin/duty/": [302, 302, 302, 302, 302, 200, 200, 200],
}


@pytest.fixture
def places(demo_site, chorus):  # noqa: F811
    notice = NoticePage.objects.get(slug="winter-heating")
    return {
        "live_class": make_class().pk,
        "circle": chorus.pk,
        "notice": notice.pk,
        "notice_url": notice.url,
        "profile": RetireeProfile.objects.get(user__username="13900000001").pk,
    }


@pytest.mark.parametrize("url", MATRIX)
def test_every_visitor_gets_the_expected_answer(places, url):
    answers = []
    for visitor in VISITORS:
        client = Client()
        if LOGINS[visitor]:
            client.force_login(User.objects.get(username=LOGINS[visitor]))
        answers.append(client.get(url.format(**places)).status_code)
    assert dict(zip(VISITORS, answers, strict=True)) == dict(
        zip(VISITORS, MATRIX[url], strict=True)
    )


SOCKETS = {
    "live": [4401, None, 4403, None, 4403, None, 4403, None],
    "circle": [4401, None, 4403, 4403, 4403, None, 4403, None],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", SOCKETS)
async def test_every_visitor_gets_the_expected_room_answer(live_class, chorus, route):  # noqa: F811
    place = live_class.pk if route == "live" else chorus.pk
    answers = []
    for visitor in VISITORS:
        socket, connected, code = await connect(place, LOGINS[visitor], route)
        answers.append(None if connected else code)
        await socket.close()
    await release_layer()
    assert dict(zip(VISITORS, answers, strict=True)) == dict(
        zip(VISITORS, SOCKETS[route], strict=True)
    )
