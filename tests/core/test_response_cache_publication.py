"""Publishing a film, or merging one into another, changes which films pages may show: the
cached pages that left a film out (a filmography, a published list) are emptied too. Each
test runs on an in-process cache and on the real Redis (`cached`)."""

import pytest

from catalogue.services import publish_films
from lists.services import merge_films
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    PersonFactory,
)
from tests.helpers import cache_state

# Invalidation happens when a write commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/people/tarkovsky/", "/api/v1/people/tarkovsky/", "/lists/slow/", "/api/v1/lists/slow/"]


@pytest.fixture
def stub():
    """Stalker, unpublished, credited to Tarkovsky and held by a published list."""
    tarkovsky = PersonFactory(name="Andrei Tarkovsky", slug="tarkovsky")
    stalker = FilmFactory(title="Stalker", slug="stalker", is_published=False)
    CreditFactory(film=stalker, person=tarkovsky)
    CreditFactory(film=FilmFactory(title="Solaris"), person=tarkovsky)
    slow = CuratedListFactory(slug="slow", title="Slow")
    CuratedListEntryFactory(curated_list=slow, film=stalker, position=1)
    return stalker


def warm(client):
    for path in PAGES:
        assert "Stalker" not in client.get(path).content.decode(), path
        assert cache_state(client.get(path)) == "hit", path


def test_publishing_a_film_empties_the_cached_pages_that_left_it_out(cached, client, stub):
    warm(client)

    publish_films([stub])

    for path in PAGES:
        assert "Stalker" in client.get(path).content.decode(), path


def test_publishing_a_film_shows_the_person_known_only_through_it(cached, client):
    kaidanovsky = PersonFactory(name="Alexander Kaidanovsky", slug="kaidanovsky")
    stalker = FilmFactory(title="Stalker", slug="stalker", is_published=False)
    CreditFactory(film=stalker, person=kaidanovsky)
    listings = ["/api/v1/people/", "/sitemap-people.xml"]
    for path in listings:
        assert "kaidanovsky" not in client.get(path).content.decode(), path
        assert cache_state(client.get(path)) == "hit", path

    publish_films([stalker])

    for path in listings:
        assert "kaidanovsky" in client.get(path).content.decode(), path
    for path in ["/people/kaidanovsky/", "/api/v1/people/kaidanovsky/"]:
        assert client.get(path).status_code == 200, path


def test_merging_a_stub_into_a_public_film_empties_the_cached_pages_too(cached, client, stub):
    warm(client)

    merge_films(stub, FilmFactory(title="Stalker (restored)", slug="stalker-restored"))

    for path in PAGES:
        assert "Stalker (restored)" in client.get(path).content.decode(), path
