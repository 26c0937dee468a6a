"""A database or Redis that cannot be reached answers a calm Chinese 503 (not a traceback),
and the cache forgives a Redis that is away."""

import pytest
from channels.layers import channel_layers
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client

from accounts.services import notify_user
from config import settings as config_settings
from tests.conftest import user
from tests.servers import free_port


def test_an_unreachable_database_gets_a_chinese_503(demo_people, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("home.views.render", unreachable)  # the 我的 view's last step
    client = Client(raise_request_exception=False)
    client.force_login(user("jxs1"))
    response = client.get("/me/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = response.content.decode()
    assert "系统正在恢复" in html and "不会丢失" in html and "Traceback" not in html


def test_any_other_error_keeps_the_500_page(demo_people, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("home.views.render", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user("jxs1"))
    response = client.get("/me/")
    assert response.status_code == 500 and "网站暂时出了点问题" in response.content.decode()


def test_the_cache_misses_instead_of_failing_while_redis_is_away(settings):
    nobody = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    redis_cache = {**config_settings.CACHES["default"], "LOCATION": nobody}
    if redis_cache["BACKEND"] != "django_redis.cache.RedisCache":  # the embedded default
        redis_cache = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": nobody,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    settings.CACHES = {**settings.CACHES, "away": redis_cache}
    cache = caches.create_connection("away")
    assert cache.get("catalog", "fallback") == "fallback"
    assert cache.get("catalog") is None
    cache.set("catalog", "body")
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("a", 1) and not cache.delete("a")
    assert not cache.has_key("a")


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_stored_when_it_cannot_be_pushed(demo_people, settings):
    nobody = f"redis://127.0.0.1:{free_port()}/0"  # Redis away
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                    "CONFIG": {"hosts": [nobody]}}
    }  # fmt: skip
    channel_layers.backends.clear()
    try:
        notify_user(user("13900000001"), "notice", "新通知")
    finally:
        channel_layers.backends.clear()
    assert user("13900000001").notifications.filter(text="新通知").exists()
