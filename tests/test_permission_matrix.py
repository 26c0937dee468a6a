"""Who gets what: every page, action and room of ours, on objects of one 军休所 (第一军休所),
against every kind of visitor. 200 = shown, 302 = sent to log in (or, for the admin, away),
400 = the form's errors shown, 403 = refused with a page, 404 = as if it did not exist (ids
cannot be guessed); for an action that redirects with a message, OK = done, NO = refused
in words. Actions are sent with a valid body (BODIES), so that a refusal is of the
person, and each visitor starts from the same state. Staff pages that every staff member may
open (200 for 王丽 and 李强) show each only their own subtree: the per-view tests check that.
A new route fails test_every_route_of_ours_is_in_the_matrix until it is added here."""

import os
from urllib.parse import unquote

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import HelperConsent, RetireeProfile, RosterUpload, User
from accounts.roster import passwords_xlsx
from accounts.services import notify_user
from circles import services as circle_services
from circles.models import CircleFile, MessageReport, Work
from courses.models import CoursePage, LessonPage
from notices.models import NoticePage
from rooms.models import RoomEvent
from staff.models import ReportExport
from tests.circles.conftest import (
    chorus,  # noqa: F401  (the circle fixture, shared)
    person,
)
from tests.circles.test_circle_media import PNG
from tests.live.conftest import connect, live_class, make_class, release_layer  # noqa: F401

VISITORS = ["anonymous", "retiree", "other_retiree", "instructor", "other_instructor",
            "staff", "other_staff", "admin"]  # fmt: skip
LOGINS = {"anonymous": None, "retiree": "13900000001", "other_retiree": "13900000007",
          "instructor": "liushuwen", "other_instructor": "zhouyaqin", "staff": "jxs1",
          "other_staff": "jxs2", "admin": "admin"}  # fmt: skip

OK, NO = "ok", "refused"

# fmt: off
MATRIX = {
    "GET /live/{live_class}/": [302, 200, 403, 200, 403, 200, 403, 200],
    "GET /circles/{circle}/": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET /circles/{circle}/members/": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET /circles/{circle}/messages/": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET /circles/{circle}/works/": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET {notice_url}": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET /admin/retirees/inspect/{profile}/": [302, 302, 302, 404, 404, 200, 404, 200],
    "GET /admin/retirees/edit/{profile}/": [302, 302, 302, 302, 302, 200, 404, 200],
    "GET /admin/notices/{notice}/": [302, 302, 302, 302, 302, 200, 404, 200],
    "GET /admin/notices/{notice}/export/": [302, 302, 302, 302, 302, 200, 404, 200],
    "GET /admin/care/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/term-report/?format=xlsx": [302, 302, 302, 302, 302, 302, 302, 302],
    "GET /admin/term-report/exports/{export}/": [302, 302, 302, 302, 302, 200, 404, 404],
    "GET /sw.js": [200, 200, 200, 200, 200, 200, 200, 200],
    "POST /accounts/push/subscribe/": [302, 400, 400, 400, 400, 400, 400, 400],
    "POST /accounts/push/unsubscribe/": [302, 200, 200, 200, 200, 200, 200, 200],
    "GET /admin/tasks/failed/": [302, 302, 302, 302, 302, 302, 302, 200],
    "POST /admin/tasks/{failed_task}/retry/": [302, NO, NO, NO, NO, NO, NO, OK],
    "GET /admin/roster/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/helpers/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/login-help/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/duty/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/roster/template/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/roster/{upload}/": [302, 302, 302, 302, 302, 302, 404, 404],
    "GET /admin/roster/{upload}/done/": [302, 302, 302, 302, 302, 200, 404, 404],
    "POST /admin/roster/{upload}/passwords/": [302, NO, NO, NO, NO, 200, 404, 404],
    "POST /admin/roster/": [302, NO, NO, NO, NO, 400, 400, 400],
    "POST /admin/login-help/{retiree_id}/unlock/": [302, NO, NO, NO, NO, OK, NO, OK],
    "POST /admin/login-help/reset/": [302, NO, NO, NO, NO, OK, NO, OK],
    "GET /admin/personal-data-log/": [302, 302, 302, 302, 302, 200, 200, 200],
    "POST /admin/duty/{institution}/": [302, NO, NO, NO, NO, OK, 404, OK],
    "POST /admin/helpers/": [302, NO, NO, NO, NO, 200, 200, 200],
    "POST /admin/helpers/{consent}/revoke/": [302, NO, NO, NO, NO, OK, NO, OK],
    "GET /admin/live-classes/{live_class}/attendance/": [302, 302, 302, 200, 404, 200, 404, 200],
    "GET /admin/circle-reports/": [302, 302, 302, 302, 302, 200, 200, 200],
    "POST /admin/circle-reports/{report}/": [302, NO, NO, NO, NO, OK, NO, OK],
    "GET /admin/reports/courses/": [302, 302, 302, 200, 200, 200, 200, 200],
    "GET /admin/snippets/choose/courses/lessonmedia/create/":
        [302, 302, 302, 200, 200, 302, 302, 200],
    "GET /admin/notices/": [302, 302, 302, 302, 302, 200, 200, 200],
    "POST /admin/notices/{notice}/conveyed/{retiree_id}/": [302, NO, NO, NO, NO, OK, 404, OK],
    "POST /admin/care/{retiree_id}/contact/": [302, NO, NO, NO, NO, OK, 404, OK],
    "GET /admin/retirees/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/retirees/results/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/retirees/new/": [302, 302, 302, 302, 302, 200, 200, 200],
    "POST /admin/retirees/edit/{profile}/": [302, NO, NO, NO, NO, 200, 404, 200],
    "GET /admin/retirees/delete/{profile}/": [302, 302, 302, 404, 404, 302, 404, 200],
    "GET /admin/retirees/history/{profile}/": [302, 302, 302, 404, 404, 200, 404, 200],
    "GET /admin/retirees/usage/{profile}/": [302, 302, 302, 404, 404, 200, 404, 200],
    "GET /admin/live-classes/": [302, 302, 302, 200, 200, 200, 200, 200],
    "GET /admin/live-classes/edit/{live_class}/": [302, 302, 302, 200, 404, 200, 404, 200],
    "POST /admin/live-classes/edit/{live_class}/": [302, NO, NO, 200, 404, 200, 404, 200],
    "GET /admin/live-classes/delete/{live_class}/": [302, 302, 302, 302, 404, 200, 404, 200],
    "GET /admin/study-circles/": [302, 302, 302, 302, 302, 200, 200, 200],
    "GET /admin/study-circles/edit/{circle}/": [302, 302, 302, 302, 302, 200, 404, 200],
    "GET /admin/study-circles/delete/{circle}/": [302, 302, 302, 404, 404, 200, 404, 200],
    "GET /accounts/first-password/": [302, 302, 302, 302, 302, 302, 302, 302],
    "GET /accounts/helping/": [302, 200, 200, 200, 200, 200, 200, 200],
    "POST /accounts/helping/{retiree_id}/start/": [302, 404, 404, 404, 404, 404, 404, 404],
    "POST /accounts/helping/stop/": [302, 302, 302, 302, 302, 302, 302, 302],
    "POST /accounts/elder-mode/": [OK, OK, OK, OK, OK, OK, OK, OK],
    "POST /accounts/notifications/{note}/dismiss/": [302, 302, 302, 302, 302, 302, 302, 302],
    "POST /enrollment/{course}/enroll/": [302, NO, OK, NO, NO, NO, NO, NO],
    "POST /enrollment/{course}/withdraw/": [302, OK, NO, NO, NO, NO, NO, NO],
    "POST /enrollment/{course}/evaluate/": [302, NO, NO, NO, NO, NO, NO, NO],
    "GET /enrollment/{course}/certificate/": [302, 302, 302, 302, 302, 302, 302, 302],
    "POST /enrollment/lessons/{lesson}/complete/": [302, OK, NO, NO, NO, NO, NO, NO],
    "POST /enrollment/lessons/{lesson}/position/": [302, 200, 403, 403, 403, 403, 403, 403],
    "POST /notice-receipts/{notice}/acknowledge/": [302, NO, 404, 404, 404, NO, 404, NO],
    "GET /live/": [302, 200, 200, 200, 200, 200, 200, 200],
    "POST /live/{live_class}/slides/": [302, 404, 404, NO, 404, NO, 404, NO],
    "POST /live/{live_class}/rate/": [302, OK, 404, 404, 404, 404, 404, 404],
    "POST /live/{live_class}/recording/abc123/0/": [302, 404, 404, 400, 404, 400, 404, 400],
    "POST /live/{live_class}/recording/abc123/finish/": [302, 404, 404, 400, 404, 400, 404, 400],
    "GET /circles/": [302, 200, 200, 200, 200, 200, 200, 200],
    "POST /circles/{circle}/apply/": [302, OK, 404, 404, 404, 404, 404, 404],
    "POST /circles/{circle}/leave/": [302, NO, 404, 404, 404, NO, 404, NO],
    "POST /circles/{circle}/members/{applicant_id}/": [302, OK, 404, 404, 404, OK, 404, OK],
    "POST /circles/{circle}/upload/": [302, 400, 404, 404, 404, 400, 404, 400],
    "GET /circles/{circle}/files/{file}/": [302, 200, 404, 404, 404, 200, 404, 200],
    "GET /circles/{circle}/works/{work}/": [302, 200, 404, 404, 404, 200, 404, 200],
    "POST /circles/{circle}/works/{work}/": [302, OK, 404, 404, 404, OK, 404, OK],
    "GET /me/": [302, 200, 200, 200, 200, 200, 200, 200],
    "POST /me/guide-done/": [302, 302, 302, 302, 302, 302, 302, 302],
    "GET /help/": [200, 200, 200, 200, 200, 200, 200, 200],
    "GET /favicon.ico": [301, 301, 301, 301, 301, 301, 301, 301],
    "GET {course_url}": [200, 200, 200, 200, 200, 200, 200, 200],
    "GET {lesson_url}": [200, 200, 200, 200, 200, 200, 200, 200],
    "GET {file_url}": [404, 404, 404, 404, 404, 404, 404, 404],
}
# fmt: on


# Valid requests, so that a refusal is a refusal of the person, not of the form.
BODIES = {
    "/admin/login-help/reset/": {"phone": "13900000001"},
    "/admin/duty/{institution}/": {
        "{institution}-duty_phone": "010-12345678", "{institution}-duty_roster": "周一 王丽"
    },
    "/admin/circle-reports/{report}/": {"outcome": "dismissed"},
    "/admin/notices/{notice}/conveyed/{retiree_id}/": {"method": "phone"},
    "/admin/care/{retiree_id}/contact/": {"method": "phone", "contacted_on": "2026-11-01"},
    "/accounts/elder-mode/": {"enabled": "1"},
    "/enrollment/{course}/evaluate/": {"course_stars": "5", "instructor_stars": "5"},
    "/enrollment/lessons/{lesson}/position/": {"seconds": "10"},
    "/live/{live_class}/rate/": {"stars": "5"},
    "/circles/{circle}/members/{applicant_id}/": {"decision": "approve"},
    "/circles/{circle}/works/{work}/": {"action": "pin"},
}  # fmt: skip


@pytest.fixture
def places(demo_site, chorus):  # noqa: F811
    notice = NoticePage.objects.get(slug="winter-heating")
    course = CoursePage.objects.get(title="书法入门")
    lesson = LessonPage.objects.child_of(course).live().first()
    retiree, member = person("13900000001"), person("13900000002")
    staff = person("jxs1")
    said = circle_services.send_circle_chat(chorus, member, "大家好", "matrix-1")
    report = MessageReport.objects.create(
        circle=chorus, event=RoomEvent.objects.get(room=chorus.room, seq=said.seq), reporter=retiree
    )
    circle_services.share_file(
        chorus, member, SimpleUploadedFile("a.png", PNG), kind="image", client_id="matrix-2"
    )
    shared = CircleFile.objects.get()
    work = Work.objects.create(circle=chorus, author=member, title="合唱录音")
    consent = HelperConsent.objects.create(
        retiree=retiree,
        helper=person("13900000003"),
        relation="邻居",
        given="phone",
        recorded_by=staff,
    )
    upload = RosterUpload.objects.create(
        uploaded_by=staff, filename="名单.csv", content=b"", imported_at=timezone.now(),
        passwords_xlsx=passwords_xlsx([("张建国", "13900000001", "第一军休所", "123456")], staff),
    )  # fmt: skip
    return {
        "live_class": make_class().pk,
        "circle": chorus.pk,
        "notice": notice.pk,
        "notice_url": notice.url,
        "course": course.pk,
        "course_url": course.url,
        "lesson": lesson.pk,
        "lesson_url": lesson.url,
        "profile": RetireeProfile.objects.get(user=retiree).pk,
        "retiree_id": retiree.pk,
        "applicant_id": circle_services.apply_to_join(chorus, person("13900000006")).user_id,
        "institution": retiree.institution_id,
        "note": notify_user(retiree, "notice", "新通知").pk,
        "report": report.pk,
        "file": shared.pk,
        "file_url": f"/media/{shared.file.name}",
        "work": work.pk,
        "consent": consent.pk,
        "upload": upload.pk,
        "export": ReportExport.objects.create(
            requested_by=staff, term=course.term, content=b"xlsx", finished_at=timezone.now()
        ).pk,
        "failed_task": DBTaskResult.objects.create(
            task_path="tests.task_samples.always_fails",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
            status="FAILED",
        ).pk,
    }


def answer(method: str, url: str, login: str | None, places: dict) -> int | str:
    """The status code; for a redirect that carries a message, "ok" (done) or "refused"."""
    client = Client()
    if login:
        client.force_login(User.objects.get(username=login))
    target = url.format(**places)
    if method == "GET":
        return client.get(target).status_code
    body = {key.format(**places): value for key, value in BODIES.get(url, {}).items()}
    response = client.post(target, body)
    said = {message.level for message in get_messages(response.wsgi_request)}
    if response.status_code == 302 and said:
        return NO if messages.ERROR in said else OK
    return response.status_code


@pytest.mark.parametrize("route", MATRIX)
def test_every_visitor_gets_the_expected_answer(places, route):
    method, url = route.split(" ", 1)
    answers = []
    for visitor in VISITORS:
        with transaction.atomic():  # each visitor finds the same state, whatever others did
            answers.append(answer(method, url, LOGINS[visitor], places))
            transaction.set_rollback(True)
    if os.environ.get("MATRIX_RECORD"):
        print(f"\n    {route!r}: {answers},")
        return
    assert dict(zip(VISITORS, answers, strict=True)) == dict(
        zip(VISITORS, MATRIX[route], strict=True)
    )


# Routes the matrix leaves out, and why.
NOT_IN_MATRIX = {
    "accounts/login/": "the login page itself, open to all (tests/accounts/test_login_throttle.py)",
    "admin/retirees/history-results/<int:pk>/": "the history page's own refresh, same guard",
    "admin/live-classes/results/": "the list page's own refresh, same guard",
    "admin/study-circles/results/": "the list page's own refresh, same guard",
    "admin/notices/<int:notice_id>/export/": "in the matrix with its query string",
    "admin/term-report/": "in the matrix with its query string",
    # Wagtail's admin document API, scoped by notices.wagtail_hooks: who sees which document
    # is tested in tests/notices/test_attachment_access.py.
    "admin/api/main/^documents/": "Wagtail's API, scoped per user",
    "admin/api/main/^documents/<int:pk>/": "Wagtail's API, scoped per user",
    "admin/api/main/^documents/find/": "Wagtail's API, scoped per user",
}
OUR_APPS = (
    "accounts",
    "courses",
    "notices",
    "live",
    "staff",
    "home",
    "config",
)


def our_routes(patterns=None, prefix: str = ""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from our_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif pattern.callback.__module__.startswith(OUR_APPS):
            yield prefix + str(pattern.pattern)


def test_every_route_of_ours_is_in_the_matrix(places):
    covered = set()
    for route in MATRIX:
        path = route.split(" ", 1)[1].format(**places).split("?")[0]
        covered.add(resolve(unquote(path)).route)
    missing = set(our_routes()) - covered - set(NOT_IN_MATRIX)
    assert not missing, f"add these to MATRIX: {sorted(missing)}"


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


def insider_of(route: str) -> str:
    """The first visitor for whom the action goes through (or reaches its form)."""
    answers = zip(VISITORS, MATRIX[route], strict=True)
    return next((visitor for visitor, said in answers if said in (OK, 200, 400)), "retiree")


@pytest.mark.parametrize("route", [route for route in MATRIX if route.startswith("POST ")])
def test_every_action_needs_the_csrf_token(places, route):
    client = Client(enforce_csrf_checks=True)
    if login := LOGINS[insider_of(route)]:
        client.force_login(User.objects.get(username=login))
    url = route.split(" ", 1)[1]
    body = {key.format(**places): value for key, value in BODIES.get(url, {}).items()}
    refused = client.post(url.format(**places), body)
    assert refused.status_code == 403
    assert "请再提交一次" in refused.content.decode()
