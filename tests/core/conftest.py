"""The response cache's own fixtures: every cache on the tests' own Redis, and a count of the
trips to it (`cached`, shared with other folders, is in tests/conftest.py)."""

import pytest

from core.cache import ReusingRedisCacheClient
from tests.faults import redis_cache_settings as own_redis_cache_settings


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
