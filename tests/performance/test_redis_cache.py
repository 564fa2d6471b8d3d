"""The production cache backend (renouveau/redis_cache.py) against a real Redis: one client per
connection pool, reused by every operation, and the cache still does what Django's does."""

import os
import subprocess
import sys

from renouveau.redis_cache import ReusingRedisCache


def _cache(url: str) -> ReusingRedisCache:
    return ReusingRedisCache(url, {"KEY_PREFIX": "t", "TIMEOUT": 60})


def test_every_operation_goes_through_one_client(redis_server):
    cache = _cache(redis_server.url(5))
    first = cache._cache.get_client(write=True)
    cache.set("a", {"valeur": 1})
    cache.set_many({"b": 2, "c": 3})
    assert cache.get("a") == {"valeur": 1}
    assert cache.get_many(["b", "c", "d"]) == {"b": 2, "c": 3}
    assert cache.incr("b") == 3
    cache.delete("a")
    assert cache.get("a") is None
    # Django's own client builds a new redis.Redis here each time (0.06 ms of CPU each).
    assert cache._cache.get_client(write=True) is first
    assert cache._cache.get_client(write=False) is first  # one server: one pool, one client


def test_the_production_settings_use_it(redis_server):
    """What a deployment gets when REDIS_URL is set (settings read in a fresh process)."""
    code = (
        "from django.conf import settings; from django.core.cache import caches;"
        "print(type(caches['default']).__name__, type(caches['renditions']).__name__)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renouveau.settings.base",
        "REDIS_URL": redis_server.url(6),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["ReusingRedisCache", "ReusingRedisCache"]
