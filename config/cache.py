"""Django's Redis cache with one client per connection pool instead of one per command.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object for every
cache call (it keeps the pool, not the client). Building one copies redis-py's response
callbacks and command tables; an office home page made 19-23 cache calls, and those
constructions were about 4 ms of a 20-25 ms request (issue #14). A ``redis.Redis`` is safe
to share between threads (each command takes a connection from the pool), so one per pool
is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    """Reuses the ``redis.Redis`` client of each pool (one pool per server, as Django's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``PooledRedisCacheClient``."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
