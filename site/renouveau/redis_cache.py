"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` for every get or set, and
redis-py's constructor copies its table of ~170 response callbacks each time: about 0.1 to 0.3 ms
of CPU per cache operation, paid dozens of times by a page rendered after a publish (its
fragments, their tag versions, the renditions). A `redis.Redis` is safe to share between threads
(its connections come from the pool, which also starts afresh in a forked worker).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
