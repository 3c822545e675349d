"""Visitors' filtered listings (browse, the API's film list) are counted and paged by the film
index, with no count query, and show a write at once; those who see drafts, filters the index
does not hold and other orders are answered by SQL, with the same films."""

import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalogue.models import CreditRole, Film
from discovery import film_index
from ops import query_budgets as budget
from tests.factories import CountryFactory, CreditFactory, FilmFactory, GenreFactory, PersonFactory
from tests.helpers import slugs
from tests.pages.test_browse import options, titles

# Committed rows (the index reads what is committed), on the real Redis the index's version
# lives in (tests/conftest.py `cached`; LocMem behaves alike and is tested with the cache).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("cached", ["redis"], indirect=True),
]

BROWSE = "/films/?genre=drama&decade=1970&country=su"
API = "/api/v1/films/?genre=DRAMA&decade=1970&country=su"


@pytest.fixture
def catalogue(cached, settings):
    settings.RESPONSE_CACHE_PAGES = (
        False  # every read is rendered: what a page nobody asked for costs
    )
    drama, comedy = (
        GenreFactory(name="Drama", slug="drama"),
        GenreFactory(name="Comedy", slug="comedy"),
    )
    soviet_union = CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    for n, (year, genre) in enumerate(
        [(1975, drama), (1979, drama), (1979, comedy), (1985, drama)]
    ):
        film = FilmFactory(slug=f"film-{n}", title=f"Film {n}", release_year=year)
        film.genres.add(genre)
        film.countries.add(soviet_union)
    draft = FilmFactory(slug="draft", title="Draft", release_year=1977, is_published=False)
    draft.genres.add(drama)
    draft.countries.add(soviet_union)
    return drama, soviet_union


def read(client, url):
    """The response to `url`, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def counts_anything(sql):
    return any("COUNT(" in query.upper() for query in sql)


@pytest.mark.parametrize(
    ("documents", "budget_of_the_page"),
    [(True, budget.BROWSE_INDEXED), (False, budget.BROWSE_INDEXED_LIVE)],
)
def test_a_visitor_s_browse_page_runs_no_count(
    client, catalogue, settings, documents, budget_of_the_page
):
    settings.READ_DOCUMENTS = documents
    client.get(BROWSE)  # the first read builds the index (and stores the cards)

    response, sql = read(client, BROWSE)

    assert titles(response) == ["Film 0", "Film 1"]
    assert options(response, "genre") == [
        ("Any genre", False),
        ("Comedy (1)", False),
        ("Drama (2)", True),
    ]
    assert not counts_anything(sql)
    # Genre and country are named by slug: the index knows their rows, none is looked up.
    assert len(sql) == budget_of_the_page


@pytest.mark.parametrize(
    ("documents", "budget_of_the_page"),
    [(True, budget.API_FILM_LIST_INDEXED), (False, budget.API_FILM_LIST_INDEXED_LIVE)],
)
def test_a_visitor_s_api_film_list_runs_no_count(
    catalogue, settings, documents, budget_of_the_page
):
    settings.READ_DOCUMENTS = documents
    client = APIClient()
    client.get(API)

    response, sql = read(client, API)

    assert response.json()["count"] == 2
    assert slugs(response) == ["film-0", "film-1"]
    assert not counts_anything(sql)
    assert len(sql) == budget_of_the_page


def test_a_new_film_shows_at_once(client, catalogue):
    drama, soviet_union = catalogue
    client.get(BROWSE)

    film = FilmFactory(slug="new", title="A new one", release_year=1971)
    film.genres.add(drama)
    film.countries.add(soviet_union)
    response, _ = read(client, BROWSE)

    assert titles(response) == ["A new one", "Film 0", "Film 1"]
    assert slugs(APIClient().get(API)) == ["new", "film-0", "film-1"]


def test_an_unpublished_film_leaves_at_once(client, catalogue):
    client.get(BROWSE)

    film = Film.objects.get(slug="film-1")
    film.is_published = False
    film.save()
    response, _ = read(client, BROWSE)

    assert titles(response) == ["Film 0"]


def test_an_editor_is_answered_by_sql_with_drafts(editor_client, catalogue):
    response, sql = read(editor_client, BROWSE)

    assert titles(response) == ["Film 0", "Draft", "Film 1"]
    assert counts_anything(sql)


@pytest.mark.parametrize("url", [BROWSE + "&ordering=-title", API + "&ordering=-title"])
def test_another_order_is_paged_by_sql_with_the_index_s_count(client, catalogue, url):
    client.get(BROWSE)

    response, _ = read(client, url)

    if "api" in url:
        assert slugs(response) == ["film-1", "film-0"]
    else:
        assert titles(response) == ["Film 1", "Film 0"]


def test_without_an_index_yet_a_visitor_is_answered_by_sql_while_one_is_built(
    client, catalogue, settings
):
    settings.FILM_INDEX = "background"
    built = threading.Event()
    build = film_index.builder.build
    film_index.builder.build = lambda: (build(), built.set())
    try:
        response, sql = read(client, BROWSE)
        assert titles(response) == ["Film 0", "Film 1"]
        assert counts_anything(sql)
        assert built.wait(timeout=30)

        response, sql = read(client, BROWSE)
    finally:
        del film_index.builder.build

    assert titles(response) == ["Film 0", "Film 1"]
    assert not counts_anything(sql)


def test_a_visitor_s_api_rows_are_those_built_live(catalogue, settings):
    client = APIClient()
    from_documents = [client.get(API).json() for _ in range(2)][-1]
    settings.READ_DOCUMENTS = False

    assert client.get(API).json() == from_documents


def test_an_edit_to_a_film_shows_in_the_api_list_at_once(catalogue):
    client = APIClient()
    client.get(API)
    director = PersonFactory(name="Eldar Ryazanov", slug="eldar-ryazanov")

    film = Film.objects.get(slug="film-0")
    film.title = "Renamed"
    film.save()
    CreditFactory(film=film, person=director, role=CreditRole.DIRECTOR)
    rows = client.get(API).json()["results"]

    assert rows[0]["title"] == "Renamed"
    assert [person["slug"] for person in rows[0]["directors"]] == ["eldar-ryazanov"]

    director.name = "Эльдар Рязанов"
    director.save()
    rows = client.get(API).json()["results"]

    assert [person["name"] for person in rows[0]["directors"]] == ["Эльдар Рязанов"]


def test_a_visitor_s_browse_cards_are_those_rendered_live(client, catalogue, settings):
    client.get(BROWSE)
    from_documents = client.get(BROWSE)
    settings.READ_DOCUMENTS = False
    live = client.get(BROWSE)

    assert cards_of(from_documents) == cards_of(live)
    assert len(cards_of(live)) == 2


def test_an_edit_to_a_film_shows_on_its_browse_card_at_once(client, catalogue):
    client.get(BROWSE)

    film = Film.objects.get(slug="film-0")
    film.title = "Renamed"
    film.save()

    assert titles(client.get(BROWSE)) == ["Renamed", "Film 1"]


def cards_of(response):
    return re.findall(r'<article class="film-card">.*?</article>', response.content.decode(), re.S)


@pytest.mark.parametrize("index", ["inline", "off"])
def test_films_of_the_same_year_and_title_come_in_id_order_either_way(cached, settings, index):
    settings.FILM_INDEX, settings.RESPONSE_CACHE_PAGES = index, False
    for n in range(6):
        FilmFactory(slug=f"same-{n}", title="Same", release_year=1975)
    for n in (0, 2):  # an edit: PostgreSQL writes the row's new version at the end of the table
        film = Film.objects.get(slug=f"same-{n}")
        film.runtime_minutes = 90
        film.save()
    client = APIClient()
    client.get("/api/v1/films/")

    assert slugs(client.get("/api/v1/films/", {"page_size": 2, "page": 2})) == ["same-2", "same-3"]
