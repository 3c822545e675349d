"""/bench/ceiling: the benchmark's yardstick, off unless the bench turns it on."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_ceiling_is_not_found_unless_enabled(client):
    assert client.get("/bench/ceiling").status_code == 404


@override_settings(KINOTEKA_BENCH_CEILING=True)
def test_ceiling_answers_a_constant_json_body_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/ceiling")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "view": "bench-ceiling"}


@override_settings(KINOTEKA_BENCH_CEILING=True)
def test_ceiling_goes_through_the_same_middleware_as_every_page(client):
    response = client.get("/bench/ceiling")

    # Headers set by SecurityMiddleware and XFrameOptionsMiddleware: the stack ran.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@override_settings(KINOTEKA_BENCH_CEILING=True)
def test_ceiling_refuses_writes(client):
    assert client.post("/bench/ceiling").status_code == 405
