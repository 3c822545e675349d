"""The Wikipedia link of a film or person leads to the reader's Wikipedia: Russian on /ru/,
English otherwise (through Wikidata, which knows each article)."""

import pytest

from tests.factories import FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db

GO_TO = "https://www.wikidata.org/wiki/Special:GoToLinkedPage"


@pytest.fixture
def film():
    return FilmFactory(slug="stalker", wikidata_id="Q499669")


def test_a_russian_reader_goes_to_the_russian_wikipedia(client, film):
    page = client.get("/ru/films/stalker/").content.decode()
    assert f"{GO_TO}/ruwiki/Q499669" in page
    assert f"{GO_TO}/enwiki/Q499669" not in page


def test_an_english_reader_goes_to_the_english_wikipedia(client, film):
    page = client.get("/films/stalker/").content.decode()
    assert f"{GO_TO}/enwiki/Q499669" in page
    assert "ruwiki" not in page


def test_a_persons_link_follows_the_language_too(client):
    PersonFactory(slug="tarkovsky", wikidata_id="Q853")
    assert f"{GO_TO}/ruwiki/Q853" in client.get("/ru/people/tarkovsky/").content.decode()
    assert f"{GO_TO}/enwiki/Q853" in client.get("/people/tarkovsky/").content.decode()
