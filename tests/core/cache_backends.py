"""The caches the response-cache tests run on: an in-process one and the real Redis."""

import os
import uuid

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def redis_cache_settings(location=REDIS_URL):
    return {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": location,
        # Each test has its own keys, so runs and tests never see each other's pages.
        "KEY_PREFIX": f"kinoteka-test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def redis_is_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def forget(cache, backend):
    """Remove this test's entries only: clear() would flush the whole Redis database, under
    the feet of tests running at the same time in other workers."""
    if "KEY_PREFIX" not in backend:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{backend['KEY_PREFIX']}:*"):
        client.delete(key)
