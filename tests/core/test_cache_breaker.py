"""A hung or stopped Redis costs one socket timeout, then is skipped for a while (the circuit
breaker in core/cache.py), and the outage is logged once, not once per request. The Redis
is the tests' own (tests/faults.py), frozen with SIGSTOP or stopped."""

import logging
import time

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from core.cache import CacheUnavailable, breaker_for
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def film():
    return FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")


def timed(get, path):
    started = time.monotonic()
    response = get(path)
    return response, time.monotonic() - started


@pytest.mark.parametrize("fault", ["frozen", "stopped"])
def test_with_redis_out_requests_answer_and_the_outage_is_logged_once(
    redis_everywhere, film, client, caplog, redis_round_trips, fault
):
    paths = ["/films/moscow-tears/", "/api/v1/films/", "/api/v1/films/moscow-tears/", "/"]
    for path in paths:  # warm: templates compiled, URLs loaded; the timings are Redis's alone
        client.get(path)
    _, healthy_seconds = timed(client.get, paths[0])
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        with getattr(redis_everywhere, fault)():
            first, first_seconds = timed(client.get, paths[0])
            redis_round_trips.clear()
            later = [timed(APIClient().get if "api" in p else client.get, p) for p in paths * 3]

    assert first.status_code == 200
    # One socket timeout (0.25 s) more than a healthy render, then the breaker is open: the
    # render itself is left out of the bound, as the machine may be busy with other tests.
    assert first_seconds - healthy_seconds < 0.75
    assert {response.status_code for response, _ in later} == {200}
    assert redis_round_trips == []  # every later cache call was skipped: none waited
    outage_logs = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outage_logs) == 1


def test_an_open_breaker_skips_redis_until_the_cool_off_ends(redis_everywhere, caplog):
    cache = caches["default"]
    with redis_everywhere.frozen(), pytest.raises(Exception):  # noqa: B017 - the timeout
        cache.get("anything")

    # Redis answers again, but the breaker still skips it: no round trip, at once.
    with pytest.raises(CacheUnavailable):
        cache.get("anything")

    breaker_for(redis_everywhere.url).open_until = 0  # the cool-off has passed
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("anything", 1)
        assert cache.get("anything") == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"Cache {redis_everywhere.url} answers again"
    ]


def test_the_cool_off_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("KINOTEKA_CACHE_BREAKER_SECONDS", "40")
    try:
        assert importlib.reload(config.settings).CACHE_BREAKER_SECONDS == 40
    finally:
        monkeypatch.delenv("KINOTEKA_CACHE_BREAKER_SECONDS")
        assert importlib.reload(config.settings).CACHE_BREAKER_SECONDS == 15
