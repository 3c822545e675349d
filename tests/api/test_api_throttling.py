"""Anonymous clients are rate limited (DJANGO_API_THROTTLE_ANON); editors are not."""

import pytest

from tests.helpers import error_fields


@pytest.fixture
def rate(settings):
    def set_rate(value):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": value},
        }

    return set_rate


def test_anonymous_client_over_the_rate_gets_429_with_retry_after(api, db, rate):
    rate("3/min")
    statuses = [api.get("/api/v1/organisations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/organisations/")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in error_fields(response)


def test_authenticated_clients_are_not_throttled(editor_api, db, rate):
    rate("3/min")
    statuses = {editor_api.get("/api/v1/organisations/").status_code for _ in range(5)}
    assert statuses == {200}


def test_off_disables_throttling(api, db, rate):
    rate(None)
    statuses = {api.get("/api/v1/organisations/").status_code for _ in range(5)}
    assert statuses == {200}


def test_default_rate_is_120_per_minute():
    from config.settings import API_THROTTLE_ANON

    assert API_THROTTLE_ANON == "120/min"


@pytest.mark.parametrize(("raw", "expected"), [("off", None), ("30/min", "30/min")])
def test_rate_comes_from_the_environment(monkeypatch, raw, expected):
    import importlib

    import config.settings

    monkeypatch.setenv("DJANGO_API_THROTTLE_ANON", raw)
    try:
        assert importlib.reload(config.settings).API_THROTTLE_ANON == expected
    finally:
        monkeypatch.delenv("DJANGO_API_THROTTLE_ANON")
        importlib.reload(config.settings)


def test_a_malformed_rate_refuses_to_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("DJANGO_API_THROTTLE_ANON", "lots")
    try:
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(config.settings)
    finally:
        monkeypatch.delenv("DJANGO_API_THROTTLE_ANON")
        importlib.reload(config.settings)


# --- Who the client is (core/network.py) ----------------------------------------------------
def get_from(api, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return api.get("/api/v1/organisations/", **headers).status_code


def test_rotating_x_forwarded_for_does_not_escape_the_limit(api, db, rate):
    rate("3/min")
    statuses = [get_from(api, "203.0.113.7", f"198.51.100.{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_forged_x_forwarded_for_does_not_spend_another_clients_budget(api, db, rate):
    rate("3/min")
    for _ in range(4):
        get_from(api, "198.51.100.66", "203.0.113.7")  # the attacker names the victim

    assert get_from(api, "203.0.113.7") == 200


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(api, db, rate, settings):
    settings.TRUSTED_PROXIES = 1
    rate("3/min")
    proxy = "10.0.0.2"
    # The client rotates the hops it writes itself; the proxy appends the real one.
    statuses = [get_from(api, proxy, f"192.0.2.{n}, 203.0.113.7") for n in range(4)]
    assert statuses == [200, 200, 200, 429]

    assert get_from(api, proxy, "198.51.100.20") == 200  # another client, same proxy


# --- One budget for every worker -----------------------------------------------------------
WORKER_SCRIPT = """
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from api.throttling import AnonymousRateThrottle
request = RequestFactory().get("/api/v1/organisations/", REMOTE_ADDR="203.0.113.7")
request.user = AnonymousUser()
print(sum(AnonymousRateThrottle().allow_request(request, None) for _ in range({tries})))
"""


def allowed_by_two_workers(tmp_path, redis_url=None):
    """How many of 16 requests from one client two worker processes allow at 5/min."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL",)}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_API_THROTTLE_ANON": "5/min",
        "DJANGO_THROTTLE_CACHE_DIR": str(tmp_path / "throttle"),
    }
    if redis_url:
        environment["REDIS_URL"] = redis_url
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER_SCRIPT.format(tries=8)],
            cwd=Path(__file__).resolve().parents[2],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        allowed.append(int(out))
    return sum(allowed)


def test_workers_without_redis_share_one_budget(tmp_path):
    """Two processes, as two gunicorn workers, with no REDIS_URL: 5/min lets 5 through in
    all, not 5 each."""
    assert allowed_by_two_workers(tmp_path) == 5


def test_with_redis_stopped_the_workers_count_in_the_shared_files(tmp_path, own_redis):
    """Redis configured but stopped: the throttle does not let everything through (16 of
    16); it counts in the host's file cache, one budget for both workers."""
    with own_redis.stopped():
        assert allowed_by_two_workers(tmp_path, own_redis.url) == 5


def test_with_redis_frozen_the_limit_still_holds(api, db, rate, settings, own_redis, tmp_path):
    from tests.faults import redis_cache_settings

    settings.CACHES = {**settings.CACHES, "throttle": redis_cache_settings(own_redis.url)}
    settings.THROTTLE_CACHE_DIR = str(tmp_path / "throttle")
    rate("3/min")
    with own_redis.frozen():
        statuses = [api.get("/api/v1/organisations/").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
