"""A person known only through films not yet published has no page, no sitemap address and
no search result for a visitor until one of those films is published; editors see them."""

import pytest

from catalogue.models import CreditRole
from catalogue.services import publish_films
from tests.factories import CreditFactory, FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stub():
    """Stalker, unpublished, the only film of Kaidanovsky."""
    film = FilmFactory(title="Stalker", slug="stalker", is_published=False)
    kaidanovsky = PersonFactory(name="Alexander Kaidanovsky", slug="kaidanovsky")
    CreditFactory(film=film, person=kaidanovsky, role=CreditRole.ACTOR)
    return film


def test_the_person_page_is_a_404_for_visitors_and_there_for_editors(client, editor_client, stub):
    assert client.get("/people/kaidanovsky/").status_code == 404
    assert editor_client.get("/people/kaidanovsky/").status_code == 200


def test_the_sitemap_leaves_the_person_out(client, stub):
    PersonFactory(slug="nobody-yet")  # tied to no film: public

    xml = client.get("/sitemap-people.xml").content.decode()

    assert "/people/kaidanovsky/" not in xml
    assert "/people/nobody-yet/" in xml


def test_the_search_page_finds_the_person_for_editors_only(client, editor_client, stub):
    assert "/people/kaidanovsky/" not in client.get("/search/", {"q": "Kaidanovsky"}).text
    assert "/people/kaidanovsky/" in editor_client.get("/search/", {"q": "Kaidanovsky"}).text


def test_publishing_the_film_gives_the_person_a_page(client, stub):
    publish_films([stub])

    assert client.get("/people/kaidanovsky/").status_code == 200
    assert "/people/kaidanovsky/" in client.get("/sitemap-people.xml").content.decode()
    assert "/people/kaidanovsky/" in client.get("/search/", {"q": "Kaidanovsky"}).text
