"""The response cache's fixture: every test that takes `cached` runs on an in-process cache
and on the real Redis (REDIS_URL, or 127.0.0.1:6379); CI requires the Redis run
(KINOTEKA_REQUIRE_REDIS=1)."""

import os
import uuid

import pytest
from django.core.cache import caches

from core import response_cache
from core.cache import ReusingRedisCacheClient
from tests.core.cache_backends import (
    LOCMEM,
    REDIS_URL,
    forget,
    redis_cache_settings,
    redis_is_reachable,
)
from tests.faults import redis_cache_settings as own_redis_cache_settings


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


@pytest.fixture
def redis_everywhere(settings, own_redis):
    """Every cache on the tests' own Redis (tests/faults.py)."""
    backend = own_redis_cache_settings(own_redis.url)
    settings.CACHES = {"default": backend, "responses": backend, "throttle": backend}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min"},
    }
    return own_redis


@pytest.fixture
def redis_round_trips(monkeypatch):
    """How many cache calls went on to Redis (fetched a client), rather than being skipped."""
    calls = []
    fetch = ReusingRedisCacheClient.get_client

    def counting(self, *args, **kwargs):
        calls.append(1)
        return fetch(self, *args, **kwargs)

    monkeypatch.setattr(ReusingRedisCacheClient, "get_client", counting)
    return calls
