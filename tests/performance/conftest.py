"""The production cache (Redis, through renouveau.redis_cache) for the tests of what it costs."""

import pytest
import redis
from django.core.cache import caches

from renouveau import fragments, page_cache


@pytest.fixture
def redis_cache(redis_server, settings):
    url = redis_server.url(8)
    settings.CACHES = {
        alias: {
            "BACKEND": "renouveau.redis_cache.ReusingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": alias,
        }  # fmt: skip
        for alias in ("default", "renditions")
    }
    settings.FRAGMENT_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 600  # (Django's test signals rebuild the caches both ways)
    fragments._local.clear()
    page_cache.forget_local_copies()
    assert type(caches["default"]).__name__ == "ReusingRedisCache"
    yield redis.Redis.from_url(url)
    fragments._local.clear()
    page_cache.forget_local_copies()
