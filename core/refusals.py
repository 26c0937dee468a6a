"""One shape for every refusal a service raises: a short code for programs and a message in
plain Chinese for the person who tried. HTTP answers it in one place (RefusalMiddleware) and
a room socket in one place (rooms.consumers.RoomConsumer.send_refusal)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

NOT_FOUND = "not_found"


class Refused(Exception):
    """Why the action cannot be done. `code`: "not_found", "forbidden", "closed",
    "rate_limited", "invalid", …; `message`: what to tell the person, in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def refusal_response(request: HttpRequest, refusal: Refused) -> HttpResponse:
    """A refusal nobody caught on the way: not_found is the site's 404 page, anything else
    the 403 page with the reason."""
    if refusal.code == NOT_FOUND:
        raise Http404(refusal.message)
    return render(request, "403.html", {"reason": refusal.message}, status=403)


class RefusalMiddleware:
    """Turns a Refused raised by a view (or the service it called) into its page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, Refused):
            return refusal_response(request, exception)
        return None
