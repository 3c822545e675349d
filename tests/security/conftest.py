"""Fixtures for the security tests."""

import pytest


@pytest.fixture(autouse=True)
def no_api_throttle(settings):
    """These tests send hundreds of anonymous requests on purpose; the API's rate limit
    (tested with the API) would answer most of them 429 and hide what they probe."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": None,
        },
    }
