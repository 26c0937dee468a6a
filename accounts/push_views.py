"""手机提醒: a browser's Push API subscription saved or removed, and the service worker that
shows the pushed notification and opens its page on a tap."""

import json
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .services import remove_push_subscription, save_push_subscription

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "accounts" / "js" / "sw.js"


def subscription_from(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data.get("keys") or {}
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(endpoint, str) or not endpoint.startswith("https://"):
        return None
    return {"endpoint": endpoint, "p256dh": keys.get("p256dh", ""), "auth": keys.get("auth", "")}


@require_POST
@login_required
def push_subscribe(request: HttpRequest) -> HttpResponse:
    found = subscription_from(request)
    if found is None or not found["p256dh"] or not found["auth"]:
        return JsonResponse({"error": "这台设备的提醒没有打开，请再试一次。"}, status=400)
    save_push_subscription(user=request.user, **found)
    return JsonResponse({"message": "手机提醒已打开。上课前和有新通知时，手机会提醒您。"})


@require_POST
@login_required
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    found = subscription_from(request)
    if found is not None:
        remove_push_subscription(user=request.user, endpoint=found["endpoint"])
    return JsonResponse({"message": "这台设备不再收到手机提醒。"})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site's root, so that it may show notifications for every page."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
