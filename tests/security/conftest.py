"""Fixtures for the security tests."""

import pytest
from django.core.cache import cache

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings):
    """Password checks in microseconds: these tests log in dozens of times (never in production)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def root(django_user_model, fast_passwords):
    """A superuser, for pages that need one; log in with force_login or "root-pass-1234"."""
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-pass-1234")


@pytest.fixture(autouse=True)
def no_api_throttle(settings):
    """These tests send hundreds of anonymous requests on purpose; the API's rate limit
    (tested with the API) would answer most of them 429 and hide what they probe."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": None,
        },
    }
    yield
    cache.clear()
