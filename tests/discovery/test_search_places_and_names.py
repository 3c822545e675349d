"""The site search finds studios, award givers and places by name, and a person found by a
misspelt name brings their films."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import CreditRole, Organisation
from discovery.search import search
from ops import query_budgets as budget
from tests.factories import (
    CreditFactory,
    FilmFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def names():
    StudioFactory(name="Mosfilm", slug="mosfilm", native_name="Мосфильм")
    OrganisationFactory(name="British Academy Film Awards", slug="bafta")
    PlaceFactory(name="Moscow", slug="moscow", native_name="Москва")
    PlaceFactory(name="Saint Petersburg", slug="saint-petersburg")


@pytest.mark.parametrize("query", ["Mosfilm", "mosfilm", "MOSFILM", "Мосфильм", "mosf"])
def test_a_studio_is_found_by_its_name_in_either_script(names, query):
    assert [row[2] for row in search(query).organisations] == ["Mosfilm"]


@pytest.mark.parametrize("query", ["Moscow", "Москва", "saint petersburg"])
def test_a_place_is_found_by_name(names, query):
    assert len(search(query).places) == 1


def test_an_award_giver_is_found_by_name(names):
    assert search("British Academy").organisations == [
        (Organisation.Kind.AWARD_BODY, "bafta", "British Academy Film Awards", "")
    ]


def test_search_page_leads_from_a_studio_and_a_place_to_their_films(client, names):
    studio = client.get(reverse("catalogue:search"), {"q": "Mosfilm"}).content.decode()
    place = client.get(reverse("catalogue:search"), {"q": "Moscow"}).content.decode()

    assert 'href="/films/?studio=mosfilm">Mosfilm</a>' in studio
    assert 'href="/films/?setting=moscow">Films set in Moscow</a>' in place


def test_search_page_leads_from_an_award_giver_to_its_awards(client, names):
    html = client.get(reverse("catalogue:search"), {"q": "British Academy"}).content.decode()

    assert 'href="/awards/?organisation=bafta#bafta">British Academy Film Awards</a>' in html


@pytest.fixture
def menshov():
    person = PersonFactory(name="Vladimir Menshov", native_name="Владимир Меньшов")
    for title, year in (("Moscow Does Not Believe in Tears", 1980), ("Love and Doves", 1984)):
        CreditFactory(film=FilmFactory(title=title, release_year=year), person=person)
    CreditFactory(film=FilmFactory(title="Office Romance"), role=CreditRole.DIRECTOR)
    return person


@pytest.mark.parametrize("query", ["Mensov", "Menshof", "Vladimir Mensov"])
def test_a_misspelt_name_finds_the_person_and_their_films(menshov, query):
    results = search(query)

    assert results.people == [menshov]
    assert [film.title for film in results.films] == [
        "Moscow Does Not Believe in Tears",
        "Love and Doves",
    ]


def test_search_page_shows_the_films_of_a_misspelt_person(client, menshov):
    html = client.get(reverse("catalogue:search"), {"q": "Mensov"}).content.decode()

    assert "Vladimir Menshov</a>" in html
    assert "Love and Doves</a>" in html


def count_queries(query):
    with CaptureQueriesContext(connection) as queries:
        search(query)
    return len(queries)


@pytest.mark.parametrize("films", [2, 20])
def test_a_misspelt_name_costs_the_same_queries_whatever_the_films(menshov, films):
    for number in range(films):
        CreditFactory(film=FilmFactory(title=f"Retrospective {number}"), person=menshov)
    names_and_places = StudioFactory(name="Mensov studio")  # a name matching as typed

    assert count_queries("Mensov") <= budget.SEARCH_WITH_TYPOS
    assert [row[2] for row in search("Mensov").organisations] == [names_and_places.name]


@pytest.mark.parametrize("rows", [1, 25])
def test_studios_and_places_cost_one_query_whatever_their_number(rows):
    for number in range(rows):
        StudioFactory(name=f"Mosfilm unit {number}")
        PlaceFactory(name=f"Mosfilm street {number}")

    assert count_queries("Mosfilm") == count_queries("Mosfilm unit 0")
    assert len(search("Mosfilm").organisations) <= 10


@pytest.mark.parametrize("query", ["Mos\x00film", "\x00", "Mosfilm\x1f\x7f", "%", "_", "'--"])
def test_names_survive_any_typed_input(names, query):
    results = search(query)

    assert all(row[2] == "Mosfilm" for row in results.organisations)


def test_search_page_shows_the_best_kind_first(client, menshov):
    html = client.get(reverse("catalogue:search"), {"q": "Mensov"}).content.decode()

    assert html.index('id="people-results"') < html.index('id="film-results"')
