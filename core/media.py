"""Uploaded files: which are public, and how the bytes of any file go out. The one place for
file responses; views that check who may have a private file call `file_response` after.

Paths. A URL path is decoded by Django, then normalised (posixpath.normpath) before any check;
`..`, absolute paths, backslashes and NUL are refused outright. Only names under
PUBLIC_PREFIXES are served by address (`/media/<name>`): lesson media and captions (lessons are
public pages), Wagtail images and their renditions (course covers on the public catalogue),
circle covers and, for now, live class slides. Everything else (a circle's shared files,
notice attachments under documents/, live class recordings) is reachable only through a view
that checks who is asking.

How the bytes go out, once a view has decided to give a file:
- S3 (the default storage has no local path): a redirect to a presigned link that expires after
  PRIVATE_LINK_SECONDS.
- MEDIA_X_ACCEL_PREFIX set (production behind nginx): an empty 200 with `X-Accel-Redirect`;
  nginx sends the file from MEDIA_ROOT, with ranges. Wagtail documents use the same header
  through Wagtail's sendfile support (SENDFILE_BACKEND = this module).
- Otherwise (`make run`, Daphne alone) Django sends it. A Range request gets a 206 of at most
  LARGEST_PART (a player asks for the next part as it plays). A request without Range gets the
  whole file if it is no larger than LARGEST_WHOLE (a handout), and a 403 saying why if it is
  larger: Daphne writes whatever the application
  hands it into the socket's buffer without waiting for the client to read, so a client that
  never reads would hold the whole file in the server's memory; a 206 answer is valid only for
  a request that asked for a range, and the lesson players (<video>, <audio>) always ask.
"""

import mimetypes
import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from wagtail.utils import sendfile_streaming_backend

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# live/slides/: a live class's slide pictures, shown in the class room by address (their
# names carry a random batch id); they need a checked view of their own to leave this list.
PUBLIC_PREFIXES = ("lessons/", "original_images/", "images/", "circles/covers/", "live/slides/")
# Twenty players on weak lines hold twenty parts in the server's memory until they read them.
LARGEST_PART = 1024 * 1024
LARGEST_WHOLE = 16 * 1024 * 1024
PRIVATE_LINK_SECONDS = 300
TOO_LARGE = "文件较大，请在页面上的播放器里播放。"


def clean_name(path: str) -> str:
    """The storage name a URL path stands for; Http404 for anything that could step outside
    MEDIA_ROOT or disguise which folder it is in."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        raise Http404
    if ".." in path.split("/"):
        raise Http404
    name = posixpath.normpath(path)
    if name in (".", "..") or name.startswith(("/", "../")):
        raise Http404
    return name


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """/media/<path>: public uploads only, by address."""
    name = clean_name(path)
    if not name.startswith(PUBLIC_PREFIXES):
        raise Http404
    return file_response(request, name)


def local_path(name: str) -> Path | None:
    """Where the stored file is on this machine; None when storage is remote (S3)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


def x_accel_response(full_path: Path, content_type: str) -> HttpResponse:
    """An empty answer telling nginx to send the file itself (with ranges)."""
    relative = full_path.relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX + quote(relative)
    return response


def file_response(
    request: HttpRequest, path: str, *, content_type: str | None = None
) -> HttpResponse:
    """A stored file, for a request already allowed to have it."""
    name = clean_name(path)
    full_path = local_path(name)
    if full_path is None:
        if not default_storage.exists(name):
            raise Http404
        return HttpResponseRedirect(default_storage.url(name, expire=PRIVATE_LINK_SECONDS))
    full_path = full_path.resolve()
    if not full_path.is_file():
        raise Http404
    content_type = (
        content_type or mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
    )
    if settings.MEDIA_X_ACCEL_PREFIX:
        return x_accel_response(full_path, content_type)
    return ranged_response(request, full_path, content_type)


def ranged_response(request: HttpRequest, full_path: Path, content_type: str) -> HttpResponse:
    size = full_path.stat().st_size
    wanted = RANGE.match(request.headers.get("Range", ""))
    if not wanted or (not wanted[1] and not wanted[2]):
        if size > LARGEST_WHOLE:
            return HttpResponseForbidden(TOO_LARGE, content_type="text/plain; charset=utf-8")
        response = FileResponse(full_path.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response

    if wanted[1]:
        start = int(wanted[1])
        end = int(wanted[2]) if wanted[2] else size - 1
    else:  # the last N bytes
        start, end = max(size - int(wanted[2]), 0), size - 1
    end = min(end, size - 1, start + LARGEST_PART - 1)
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with full_path.open("rb") as handle:
        handle.seek(start)
        part = handle.read(end - start + 1)
    response = HttpResponse(part, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def sendfile(request: HttpRequest, filename: str, **kwargs) -> HttpResponse:
    """Wagtail's sendfile backend (SENDFILE_BACKEND) for documents: nginx sends them when
    MEDIA_X_ACCEL_PREFIX is set, otherwise Wagtail's own streaming backend."""
    if settings.MEDIA_X_ACCEL_PREFIX:
        return x_accel_response(Path(filename).resolve(), kwargs.get("mimetype") or "")
    return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
