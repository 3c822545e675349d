"""/healthz tells a load balancer whether this node can reach its database (503 when not)
and its caches (200 "degraded" when not: the node still serves pages, and one shared Redis
going down must not empty the balancer), within a second whatever hangs: the faults are
real (a socket that never answers, a Redis started here on its own port, then frozen with
SIGSTOP or stopped)."""

import time

import pytest

from ops import views
from tests.faults import HEALTH_BOUND, redis_cache_settings


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_head_for_probes(client):
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    """Probes speak plain HTTP to the node; a redirect would read as 'down'."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def timed_get(client, path="/healthz"):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


# --- The database ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_is_503_within_a_second_when_the_database_never_answers(client, hung_database):
    response, seconds = timed_get(client)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert seconds < HEALTH_BOUND
    assert not views._running["database"].done()  # the fault is real: the check still hangs


@pytest.mark.django_db
def test_healthz_is_503_at_once_when_the_database_refuses(client, refusing_database):
    response, seconds = timed_get(client)

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert seconds < HEALTH_BOUND


@pytest.mark.django_db
def test_probes_against_a_hung_database_wait_for_no_second_check(client, hung_database):
    client.get("/healthz")
    hung_check = views._running["database"]

    for _ in range(5):
        response, seconds = timed_get(client)
        assert response.status_code == 503
        assert seconds < 0.5  # answered from the hung check, not after another deadline

    assert views._running["database"] is hung_check  # no second thread was started


# --- Redis -----------------------------------------------------------------------------------
@pytest.fixture
def redis_caches(settings, own_redis):
    backend = redis_cache_settings(own_redis.url)
    settings.CACHES = {"default": backend, "responses": backend, "throttle": backend}
    return own_redis


@pytest.mark.django_db
def test_healthz_is_ok_with_a_live_redis(client, redis_caches):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_is_200_degraded_within_a_second_when_redis_hangs(client, redis_caches):
    with redis_caches.frozen():
        response, seconds = timed_get(client)

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "cache": "unreachable"}
    assert seconds < HEALTH_BOUND


@pytest.mark.django_db
def test_healthz_is_200_degraded_within_a_second_when_redis_is_down(client, redis_caches):
    with redis_caches.stopped():
        response, seconds = timed_get(client)

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "cache": "unreachable"}
    assert seconds < HEALTH_BOUND


def test_healthz_is_503_within_a_second_when_both_hang(
    client, redis_caches, hung_database, django_db_blocker
):
    with django_db_blocker.unblock(), redis_caches.frozen():
        response, seconds = timed_get(client)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "cache": "unreachable",
    }
    assert seconds < HEALTH_BOUND
