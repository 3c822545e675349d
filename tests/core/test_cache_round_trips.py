"""What an answer from the response cache costs in trips to Redis. A page: two the first time
a process finds it (the clock with the page, then the versions of the rows it shows), one
after (the versions asked for with the page). An API read: one more (when the catalogue last
changed, for Last-Modified), and the anonymous throttle's two (its count read, then written).
Each trip is a fixed share of the cheapest answers."""

import warnings

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from core import response_cache
from tests.factories import FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_tags_found_yet(monkeypatch):
    monkeypatch.setattr(response_cache, "_tags_last_found", {})


@pytest.fixture
def film():
    film = FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")
    film.credits.create(person=PersonFactory(slug="vladimir-menshov"), role="director")
    return film


def trips_of_reads_from_the_cache(get, path, redis_round_trips, reads=2):
    assert get(path).status_code == 200  # rendered, and stored
    trips = []
    for _ in range(reads):
        redis_round_trips.clear()
        assert get(path).status_code == 200
        trips.append(len(redis_round_trips))
    return trips


def test_a_page_from_the_cache_takes_two_trips_then_one(
    redis_everywhere, film, client, redis_round_trips
):
    path = "/films/moscow-tears/"
    assert trips_of_reads_from_the_cache(client.get, path, redis_round_trips) == [2, 1]


def test_an_api_read_from_the_cache_takes_one_trip_more_and_the_throttle_s_two(
    redis_everywhere, film, redis_round_trips
):
    get, path = APIClient().get, "/api/v1/films/moscow-tears/"
    assert trips_of_reads_from_the_cache(get, path, redis_round_trips) == [5, 4]


# Invalidation happens when a write commits: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_page_whose_rows_changed_is_not_served_from_the_guessed_versions(
    redis_everywhere, film, client
):
    path = "/films/moscow-tears/"
    trips_of_reads_from_the_cache(client.get, path, [])  # its tags now guessed
    person = film.credits.get().person
    person.name = "Vladimir Menshov (director)"
    person.save()
    assert "Vladimir Menshov (director)" in client.get(path).text


def test_a_key_memcached_would_refuse_is_a_plain_redis_key(redis_everywhere):
    cache = caches["responses"]
    key = "result:a key with spaces and " + "x" * 300
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's CacheKeyWarning
        cache.set(key, 1)
        assert cache.get_many([key]) == {key: 1}
