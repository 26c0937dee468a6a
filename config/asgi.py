import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.handler import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

import accounts.routing  # noqa: E402
import live.routing  # noqa: E402
from home.page_cache import PublicPageCache  # noqa: E402

websocket_urlpatterns = [
    *accounts.routing.websocket_urlpatterns,
    *live.routing.websocket_urlpatterns,
]

application = ProtocolTypeRouter(
    {
        "http": PublicPageCache(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
