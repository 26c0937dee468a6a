"""Pages that look the same to everyone who has not logged in (首页, 课程中心, a course page)
answered from this process's memory for a second, before Django runs at all.

A link shared in a family chat brings many visitors to the same page at once; under Daphne
even a cached catalog costs a full Django request (routing, sessions, the page around it).
Here the page is kept as its bytes for LIFETIME seconds, separately for each address, language
and 长辈模式 choice, and only when Django marked it as the same for every visitor
(PUBLIC_HEADER, set by SitePage.serve for visitors without an account). Each visitor still
gets their own CSRF tokens in the page's forms (the 长辈模式 and language switches): the
tokens are put in at serving time from the visitor's CSRF cookie, or from a new one that the
response sets, as Django's CSRF middleware would. Publishing, unpublishing or moving a page
empties it at once in this process; other processes follow within LIFETIME."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import _mask_cipher_secret
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts.context_processors import ELDER_MODE_COOKIE
from accounts.csrf_tokens import random_csrf_string, usable_csrf_secret
from accounts.page_base import SAME_FOR_EVERY_VISITOR

PUBLIC_HEADER = SAME_FOR_EVERY_VISITOR.lower().encode()
LIFETIME = 1.0
MOST_ENTRIES = 500
TOKEN_FIELD = b'name="csrfmiddlewaretoken" value="'
TOKEN_LENGTH = 64


@dataclass
class Entry:
    expires: float
    headers: list[tuple[bytes, bytes]]
    parts: list[bytes]  # the body, cut where each CSRF token goes


entries: dict[tuple, Entry] = {}


@receiver([page_published, page_unpublished, post_page_move])
def forget_public_pages(**kwargs) -> None:
    entries.clear()


def cookies_of(scope: dict) -> dict[str, str]:
    found = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for pair in value.decode("latin-1").split(";"):
                key, _, content = pair.strip().partition("=")
                found.setdefault(key, content)
    return found


def csrf_cookie_header(secret: str) -> tuple[bytes, bytes]:
    """The Set-Cookie header Django's CSRF middleware would send for this secret."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return b"set-cookie", response.cookies[settings.CSRF_COOKIE_NAME].OutputString().encode()


class PublicPageCache:
    """ASGI middleware in front of Django's HTTP application."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.application(scope, receive, send)
        cookies = cookies_of(scope)
        if (
            scope["method"] != "GET"
            or settings.SESSION_COOKIE_NAME in cookies
            or "messages" in cookies
        ):
            return await self.application(scope, receive, self.unmarked(send))
        key = (
            dict(scope["headers"]).get(b"host"),
            scope["path"],
            scope["query_string"],
            cookies.get(settings.LANGUAGE_COOKIE_NAME),
            cookies.get(ELDER_MODE_COOKIE) == "1",
        )
        entry = entries.get(key)
        if entry is not None and entry.expires > time.monotonic():
            return await self.serve(entry, cookies.get(settings.CSRF_COOKIE_NAME), send)
        await self.application(scope, receive, self.recording(send, key))

    async def serve(self, entry: Entry, csrf_cookie: str | None, send) -> None:
        secret = csrf_cookie if usable_csrf_secret(csrf_cookie) else random_csrf_string()
        # Sent again when the visitor has it, as Django does, to renew its expiry.
        headers = [*entry.headers, csrf_cookie_header(secret)]
        body = entry.parts[0] + b"".join(
            _mask_cipher_secret(secret).encode() + part for part in entry.parts[1:]
        )
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def unmarked(self, send):
        async def send_unmarked(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message["headers"] if h[0].lower() != PUBLIC_HEADER]
                message = {**message, "headers": headers}
            await send(message)

        return send_unmarked

    def recording(self, send, key: tuple):
        kept: dict = {"headers": None, "body": []}

        async def send_and_keep(message):
            if message["type"] == "http.response.start":
                headers = message["headers"]
                public = any(name.lower() == PUBLIC_HEADER for name, _ in headers)
                others = [(n, v) for n, v in headers if n.lower() != PUBLIC_HEADER]
                if public and message["status"] == 200 and only_csrf_cookies(others):
                    kept["headers"] = [
                        (n, v)
                        for n, v in others
                        if n.lower() not in (b"set-cookie", b"content-length")
                    ]
                message = {**message, "headers": others}
            elif message["type"] == "http.response.body" and kept["headers"] is not None:
                kept["body"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    keep(key, kept["headers"], b"".join(kept["body"]))
            await send(message)

        return send_and_keep


def only_csrf_cookies(headers: list[tuple[bytes, bytes]]) -> bool:
    name = settings.CSRF_COOKIE_NAME.encode() + b"="
    return all(v.startswith(name) for n, v in headers if n.lower() == b"set-cookie")


def keep(key: tuple, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if len(entries) >= MOST_ENTRIES:
        entries.clear()
    parts = cut_at_tokens(body)
    if parts is None:
        return
    entries[key] = Entry(time.monotonic() + LIFETIME, headers, parts)


def cut_at_tokens(body: bytes) -> list[bytes] | None:
    """The body cut where each CSRF token's value is (bytes.split: a regular expression took
    a tenth of an uncached page's time here), or None where a value is not a token."""
    pieces = body.split(TOKEN_FIELD)
    parts = [pieces[0]]
    for piece in pieces[1:]:
        token = piece[:TOKEN_LENGTH]
        if not (
            len(token) == TOKEN_LENGTH and token.isalnum() and piece[TOKEN_LENGTH:][:1] == b'"'
        ):
            return None
        parts[-1] += TOKEN_FIELD
        parts.append(piece[TOKEN_LENGTH:])
    return parts
