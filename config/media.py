"""Uploaded files in the embedded default (no S3): served by Django with HTTP Range support,
so a browser can jump to the middle of a long lesson video to resume it."""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Files with a view of their own that checks who may have them (a circle's voice messages,
# pictures and videos: /circles/<id>/files/<id>/), never handed out by address alone.
PRIVATE = re.compile(r"^circles/\d+/")
LARGEST_PART = 4 * 1024 * 1024


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """/media/<path>: public uploads (lesson videos, slides, covers) by address."""
    if PRIVATE.match(path):
        raise Http404
    return file_response(request, path)


def file_response(request: HttpRequest, path: str) -> HttpResponse:
    """A file under MEDIA_ROOT, whole or the byte range asked for. Views that check
    permission first call this for private files."""
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except (ValueError, SuspiciousFileOperation):
        raise Http404 from None
    if not full_path.is_file():
        raise Http404
    size = full_path.stat().st_size
    content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
    wanted = RANGE.match(request.headers.get("Range", ""))
    if not wanted or (not wanted[1] and not wanted[2]):
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
