"""An API read's Last-Modified is never earlier than the rows it sends: not after writes that
missed the cache during an outage, nor when a write commits while the read is under way.
Otherwise a client holding older rows would be told "not modified". On the real Redis."""

import pytest
import redis
from rest_framework.test import APIClient

from api import http
from catalogue.models import Film
from core import response_cache
from core.models import MissedInvalidation
from tests.factories import FilmFactory

# Invalidation happens when a write commits: these tests commit for real.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("cached", ["redis"], indirect=True),
]

AN_HOUR_MS = 3_600_000


@pytest.fixture
def film(cached):
    film = FilmFactory(title="Old title", slug="the-film")
    # The catalogue last changed an hour ago, so API answers carry a Last-Modified.
    changed_at, _ = response_cache._clock_keys()
    cached.set(changed_at, response_cache._now_ms() - AN_HOUR_MS, timeout=None)
    return film


PATH = "/api/v1/films/the-film/"


@pytest.fixture
def old_answer(film):
    """A client's first read of the film, and its Last-Modified: what it revalidates later."""
    client = APIClient()
    first = client.get(PATH)
    assert first.status_code == 200 and "Old title" in first.text
    return client, first["Last-Modified"]


def _failing_bump(cache, tags):
    raise redis.ConnectionError("Redis is out")


def test_the_first_api_read_after_an_outage_is_not_a_304_for_a_film_changed_during_it(
    cached, film, old_answer, monkeypatch
):
    client, since = old_answer

    # A write while Redis is out: it leaves a MissedInvalidation row, and no clock raised.
    with monkeypatch.context() as outage:
        outage.setattr(response_cache, "_bump", _failing_bump)
        film.title = "New title"
        film.save()
    assert MissedInvalidation.objects.exists()
    cached.delete(response_cache.CHECKED_KEY)  # Redis is back; the check has expired

    # A client (a browser, a CDN) holding the old answer revalidates it.
    after = client.get(PATH, HTTP_IF_MODIFIED_SINCE=since)
    assert after.status_code == 200, "told 'not modified' while holding the old title"
    assert "New title" in after.text
    again = client.get(PATH, HTTP_IF_MODIFIED_SINCE=since)
    assert again.status_code == 200, "the stored copy answers 'not modified' to the old title"


def test_a_write_committing_while_an_api_read_is_under_way_leaves_it_no_early_date(
    cached, film, old_answer, monkeypatch
):
    client, since = old_answer

    # Another worker's write commits just after this read asked when the catalogue changed.
    real = http.catalogue_changed_at

    def then_a_write_commits():
        moment = real()
        other = Film.objects.get(pk=film.pk)
        other.title = "New title"
        other.save()
        return moment

    with monkeypatch.context() as racing:
        racing.setattr(http, "catalogue_changed_at", then_a_write_commits)
        during = APIClient().get(PATH)
    assert "New title" in during.text  # rendered after the write, and stored

    # Long after the race, a client holding the old answer revalidates it.
    after = client.get(PATH, HTTP_IF_MODIFIED_SINCE=since)
    assert after.status_code == 200, "told 'not modified' while holding the old title"
    assert "New title" in after.text
