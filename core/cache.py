"""Django's Redis cache backend, with one redis-py client per connection pool and a circuit
breaker; and a file cache that several processes can update safely.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call, and each
one fills a table of ~170 response callbacks: about 0.3 ms of CPU per call, more than the
round trip to Redis itself. A client is thread-safe (its pool hands out connections), so
one per pool is reused here.

A Redis that is down or hung would cost every request its socket timeout (settings: a
quarter of a second) and log a traceback each time. After one failure the breaker skips that
Redis for `CACHE_BREAKER_SECONDS`, each call failing at once with `CacheUnavailable` (one of
`CACHE_ERRORS`, which callers that can do without the cache already catch); the outage is
logged once when it starts and once when Redis answers again, when the listeners registered
with `when_a_cache_recovers` are called (the response cache then replays the invalidations
that writes could not deliver meanwhile).
"""

import logging
import os
import threading
import time
from contextlib import contextmanager

import redis
from django.conf import settings
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

logger = logging.getLogger(__name__)


class CacheUnavailable(redis.ConnectionError):
    """Raised at once while the breaker is open: Redis failed moments ago."""


# What a cache call raises when Redis is down or unreachable: callers that can do without
# the cache catch these and carry on.
CACHE_ERRORS = (redis.RedisError, OSError)


_recovery_listeners = []


def when_a_cache_recovers(listener):
    """Call `listener()` whenever a Redis this process had been skipping answers again."""
    if listener not in _recovery_listeners:
        _recovery_listeners.append(listener)
    return listener


class CircuitBreaker:
    """Per process and per Redis server: after a failure, calls fail fast for a while."""

    def __init__(self, name):
        self.name = name
        self.open_until = 0.0
        self.failing = False
        self._lock = threading.Lock()

    def call(self, operation, *args, **kwargs):
        if time.monotonic() < self.open_until:
            raise CacheUnavailable(f"{self.name} skipped: it failed moments ago")
        try:
            result = operation(*args, **kwargs)
        except CACHE_ERRORS:
            self._trip()
            raise
        if self.failing:
            self._recover()
        return result

    def _trip(self):
        with self._lock:
            self.open_until = time.monotonic() + settings.CACHE_BREAKER_SECONDS
            first = not self.failing
            self.failing = True
        if first:
            logger.warning(
                "Cache %s unavailable; skipping it for %ss at a time until it answers",
                self.name,
                settings.CACHE_BREAKER_SECONDS,
                exc_info=True,
            )

    def _recover(self):
        with self._lock:
            self.failing = False
        logger.warning("Cache %s answers again", self.name)
        for listener in _recovery_listeners:
            listener()


_breakers = {}


def breaker_for(location):
    """One breaker per server: every alias on that Redis opens and closes together."""
    return _breakers.setdefault(location, CircuitBreaker(location))


class ReusingRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = breaker_for(server if isinstance(server, str) else ",".join(server))

    def validate_key(self, key):
        """Nothing to check: Django warns of keys memcached would refuse (long, with spaces or
        control characters), and Redis takes any. Checking each of a page's few dozen tag keys
        was a fifth of the CPU a page from the cache costs."""


def _through_breaker(name):
    method = getattr(django_redis.RedisCache, name)

    def guarded(self, *args, **kwargs):
        return self.breaker.call(method, self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisCache, _name, _through_breaker(_name))


class SharedFileCache(FileBasedCache):
    """Django's file cache, plus `locked()`: a read-modify-write that no other process on
    the host interleaves with. The API throttle's counts live here when there is no Redis, so
    every worker of a node counts against one budget."""

    @contextmanager
    def locked(self):
        # One lock for the folder: the section it guards is a read and a write of one small
        # file, and one file never piles up per client.
        self._createdir()
        with open(os.path.join(self._dir, "lock"), "a+b") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)
