"""The response cache's fixture: every test that takes `cached` runs on an in-process cache
and on the real Redis (REDIS_URL, or 127.0.0.1:6379); CI requires the Redis run
(KINOTEKA_REQUIRE_REDIS=1)."""

import os
import uuid

import pytest
from django.core.cache import caches

from core import response_cache
from tests.core.cache_backends import (
    LOCMEM,
    REDIS_URL,
    forget,
    redis_cache_settings,
    redis_is_reachable,
)


@pytest.fixture(params=["in-process", "redis"])
def cached(request, settings):
    """Turn the response cache on, backed by LocMemCache or by the real Redis."""
    if request.param == "redis":
        if not redis_is_reachable():
            if os.environ.get("KINOTEKA_REQUIRE_REDIS") == "1":
                pytest.fail(f"KINOTEKA_REQUIRE_REDIS=1 but Redis at {REDIS_URL} is unreachable")
            pytest.skip(f"Redis at {REDIS_URL} is unreachable")
        backend = redis_cache_settings()
    else:
        backend = {**LOCMEM, "LOCATION": uuid.uuid4().hex}
    settings.CACHES = {"default": LOCMEM, response_cache.CACHE_ALIAS: backend}
    yield caches[response_cache.CACHE_ALIAS]
    forget(caches[response_cache.CACHE_ALIAS], backend)
