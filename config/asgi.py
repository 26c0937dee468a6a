import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

import accounts.routing  # noqa: E402
import circles.routing  # noqa: E402
import live.routing  # noqa: E402
from rooms.fanout import KnowDaphneConnection  # noqa: E402

websocket_urlpatterns = [
    *accounts.routing.websocket_urlpatterns,
    *live.routing.websocket_urlpatterns,
    *circles.routing.websocket_urlpatterns,
]


def websocket_stack(urlpatterns: list):
    """Every WebSocket route's middleware (bench/asgi.py serves its baselines through it too)."""
    return KnowDaphneConnection(
        AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(urlpatterns)))
    )


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(websocket_urlpatterns),
    }
)

# What is loaded by now (Django, Wagtail, every app) lives as long as the process: freezing it
# takes it out of the garbage collector's full collections, which otherwise walk it all and
# stall every socket of a live class for a quarter of a second every few seconds.
gc.freeze()
gc.set_threshold(50_000, 20, 100)
