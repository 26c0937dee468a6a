"""The Redis cache, forgiving: while Redis is unreachable (a restart), reads miss and writes
are dropped, so pages are built afresh instead of failing."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What each call answers while Redis is away: the answer of an empty cache.
WHEN_AWAY = {
    "get": lambda key, default=None: default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
}


def forgiving(name: str, method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            logger.warning("cache %s skipped: Redis unreachable", name)
            return WHEN_AWAY[name](*args, **kwargs)

    return call


ForgivingRedisCacheClient = type(
    "ForgivingRedisCacheClient",
    (RedisCacheClient,),
    {name: forgiving(name, getattr(RedisCacheClient, name)) for name in WHEN_AWAY},
)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
