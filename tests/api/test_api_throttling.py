"""Anonymous clients are rate limited (DJANGO_API_THROTTLE_ANON); editors are not."""

import pytest


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
    assert "detail" in response.json()


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
