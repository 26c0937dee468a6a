"""The project's addresses plus two that only the test servers have, for the topology tests
(tests/test_topology.py): what a request looks like once it reaches Django, and a page that
asks nginx to keep it for 30 seconds."""

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def request_headers(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "remote_addr": request.META.get("REMOTE_ADDR"),
            "x_forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR"),
            "x_forwarded_proto": request.META.get("HTTP_X_FORWARDED_PROTO"),
            "host": request.get_host(),
        }
    )


def kept_for_30_seconds(request: HttpRequest) -> HttpResponse:
    """A new body every time Django is asked, so a test can tell a cached answer."""
    response = HttpResponse(uuid.uuid4().hex, content_type="text/plain")
    response["X-Accel-Expires"] = "30"
    return response


urlpatterns = [
    path("test-only/request-headers/", request_headers),
    path("test-only/kept-for-30-seconds/", kept_for_30_seconds),
    *project_urlpatterns,
]
