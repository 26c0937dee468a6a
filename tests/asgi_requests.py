"""Requests to the site's ASGI application inside the test process."""

import asyncio
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from asgiref.sync import async_to_sync


def asgi_request(
    app, path: str, cookies: dict | None = None, method="GET", form=None, keep_body=True
) -> dict:
    """One request to an ASGI application in this process, as Daphne would make it: the
    answer's status, headers (lower-case names), cookies set, and body (or, without
    keep_body, only its length)."""
    path, _, query = path.partition("?")
    body = urlencode(form or {}).encode()
    headers = [(b"host", b"127.0.0.1")]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    if form is not None:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent: list[dict] = []
    body_length = 0
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the visitor stays until the answer has come

    async def send(message):
        nonlocal body_length
        body_length += len(message.get("body", b""))
        if keep_body or message["type"] != "http.response.body":
            sent.append(message)

    async_to_sync(app)(scope, receive, send)
    headers = sent[0]["headers"]
    cookies_set = SimpleCookie()
    for name, value in headers:
        if name.lower() == b"set-cookie":
            cookies_set.load(value.decode())
    return {
        "status": sent[0]["status"],
        "headers": {name.lower(): value for name, value in headers},
        "cookies": {name: morsel.value for name, morsel in cookies_set.items()},
        "body": b"".join(m.get("body", b"") for m in sent[1:]),
        "body_length": body_length,
        "html": b"".join(m.get("body", b"") for m in sent[1:]).decode(errors="replace"),
    }
