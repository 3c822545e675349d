"""What an answer from the response cache costs in trips to Redis: a page two (the clock with
the page, then the versions of the rows it shows); an API read one more (when the catalogue
last changed, for Last-Modified) and the anonymous throttle's two (its count read, then
written). Each trip is a fixed share of the cheapest answers."""

import warnings

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from tests.factories import FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def film():
    film = FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")
    film.credits.create(person=PersonFactory(slug="vladimir-menshov"), role="director")
    return film


def trips_of_a_second_read(get, path, redis_round_trips):
    assert get(path).status_code == 200  # rendered, and stored
    redis_round_trips.clear()
    response = get(path)
    assert response.status_code == 200
    return len(redis_round_trips)


def test_a_page_from_the_cache_takes_two_trips(redis_everywhere, film, client, redis_round_trips):
    assert trips_of_a_second_read(client.get, "/films/moscow-tears/", redis_round_trips) == 2


def test_an_api_read_from_the_cache_takes_three_trips_and_the_throttle_s_two(
    redis_everywhere, film, redis_round_trips
):
    get = APIClient().get
    assert trips_of_a_second_read(get, "/api/v1/films/moscow-tears/", redis_round_trips) == 5


def test_a_key_memcached_would_refuse_is_a_plain_redis_key(redis_everywhere):
    cache = caches["responses"]
    key = "result:a key with spaces and " + "x" * 300
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's CacheKeyWarning
        cache.set(key, 1)
        assert cache.get_many([key]) == {key: 1}
