"""A write made while Redis is out cannot make cached pages stale there: it leaves a row in
the database, and before anything is served from Redis again, every process finds it and
makes everything stale. The Redis is the tests' own (tests/faults.py), frozen with SIGSTOP
(it wakes up with every page it held) or stopped (it comes back empty)."""

import time

import pytest

from core import response_cache
from core.cache import breaker_for
from core.models import MissedInvalidation
from tests.factories import FilmFactory, GenreFactory
from tests.faults import redis_cache_settings
from tests.helpers import cache_state

# Invalidation happens when a write commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

FILM_PAGE = "/films/moscow-tears/"
FILM_IN_THE_API = "/api/v1/films/moscow-tears/"
BROWSE = "/films/"


@pytest.fixture
def redis_responses(settings, own_redis):
    backend = redis_cache_settings(own_redis.url)
    settings.CACHES = {"default": backend, response_cache.CACHE_ALIAS: backend}
    settings.RESPONSE_CACHE_OUTAGE_CHECK_SECONDS = 1
    return own_redis


@pytest.fixture
def film():
    return FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")


def cached_copies(client):
    """Render and store the film's page, its API detail and the browse page listing it."""
    for path in (FILM_PAGE, FILM_IN_THE_API, BROWSE):
        client.get(path)
        assert cache_state(client.get(path)) == "hit", path


def unpublish(film):
    film.is_published = False
    film.save()


def redis_answers_again(server):
    """The breaker's cool-off is over: this process goes back to Redis on its next call."""
    breaker_for(server.url).open_until = 0


def assert_the_film_is_gone(client):
    assert client.get(FILM_PAGE).status_code == 404
    assert client.get(FILM_IN_THE_API).status_code == 404
    assert b"Moscow Does Not Believe" not in client.get(BROWSE).content


def test_a_film_unpublished_while_redis_is_frozen_is_gone_once_redis_answers(
    redis_responses, film, client
):
    cached_copies(client)

    with redis_responses.frozen():
        unpublish(film)  # its invalidation times out against the frozen Redis
        assert MissedInvalidation.objects.count() == 1
    # The breaker still skips Redis: pages are rendered live, so they are right already.
    assert_the_film_is_gone(client)

    redis_answers_again(redis_responses)
    assert_the_film_is_gone(client)
    assert not MissedInvalidation.objects.exists()


def test_a_process_that_never_saw_the_outage_serves_nothing_older_than_the_write(
    redis_responses, film, client
):
    cached_copies(client)
    checked_at = time.monotonic()

    with redis_responses.frozen():
        unpublish(film)
        # A freeze longer than the check period: Redis wakes with the check mark expired.
        time.sleep(max(0.0, checked_at + 1.2 - time.monotonic()))
    # Another process, whose breaker never opened: it goes straight back to Redis.
    redis_answers_again(redis_responses)
    breaker_for(redis_responses.url).failing = False
    response_cache._outage_ended.clear()

    assert_the_film_is_gone(client)
    assert not MissedInvalidation.objects.exists()


def test_a_write_while_redis_is_stopped_is_replayed_when_it_comes_back_empty(
    redis_responses, film, client
):
    cached_copies(client)

    with redis_responses.stopped():
        unpublish(film)
        assert MissedInvalidation.objects.count() == 1
    redis_answers_again(redis_responses)

    assert_the_film_is_gone(client)
    assert not MissedInvalidation.objects.exists()


def test_with_redis_healthy_the_check_costs_no_query_on_a_hit(
    redis_responses, film, client, django_assert_num_queries
):
    client.get(FILM_IN_THE_API)
    with django_assert_num_queries(0):
        assert cache_state(client.get(FILM_IN_THE_API)) == "hit"


def test_counts_kept_before_a_write_that_missed_redis_are_stale_once_it_answers(
    redis_responses, film, client, settings
):
    settings.RESPONSE_CACHE_PAGES = False  # every page rendered: only its counts are kept
    film.genres.add(GenreFactory(name="Drama", slug="drama"))
    assert "Drama (1)" in client.get(BROWSE).content.decode()  # counted, and kept

    with redis_responses.frozen():
        unpublish(film)  # its invalidation times out against the frozen Redis
    redis_answers_again(redis_responses)

    page = client.get(BROWSE).content.decode()
    assert "Drama (1)" not in page
    assert 'id="results-heading">0 films<' in page


def test_the_film_index_is_not_read_while_redis_is_out_nor_after_it_comes_back_empty(
    redis_responses, film, client, settings
):
    settings.RESPONSE_CACHE_PAGES = False
    drama = GenreFactory(name="Drama", slug="drama")
    film.genres.add(drama)
    assert "1 film<" in client.get(BROWSE, {"genre": "drama"}).content.decode()  # indexed

    with redis_responses.stopped():
        FilmFactory(title="Garage", slug="garage", release_year=1979).genres.add(drama)
        during = client.get(BROWSE, {"genre": "drama"}).content.decode()
    after = client.get(BROWSE, {"genre": "drama"}).content.decode()

    assert "2 films<" in during
    assert "2 films<" in after
