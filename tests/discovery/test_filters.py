"""The matching rule of the named filters (discovery/filters.py), as the API sees it: slugs in
any case, codes and one-word names too; nothing looked up before the films' own query."""

import pytest
from rest_framework.test import APIClient

from ops import query_budgets as budget
from tests.factories import (
    CountryFactory,
    CuratedListEntryFactory,
    FilmFactory,
    FilmLocationFactory,
    GenreFactory,
    PlaceFactory,
    StudioFactory,
)
from tests.helpers import error_fields, slugs

URL = "/api/v1/films/"


@pytest.fixture
def films(db):
    soviet_union = CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    russia = CountryFactory(code="RU", name="Russia", slug="russia")
    tears = FilmFactory(slug="tears", release_year=1979)
    tears.countries.add(soviet_union)
    tears.genres.add(GenreFactory(name="Drama", slug="drama"))
    tears.studios.add(StudioFactory(name="Mosfilm", slug="mosfilm"))
    FilmLocationFactory(film=tears, place=PlaceFactory(name="Moscow", slug="moscow"))
    CuratedListEntryFactory(film=tears, curated_list__slug="soviet-love")
    brother = FilmFactory(slug="brother", release_year=1997)
    brother.countries.add(russia)
    return tears, brother


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"genre": "DRAMA"}, ["tears"]),
        ({"genre": "Drama"}, ["tears"]),
        ({"country": "su"}, ["tears"]),
        ({"country": "SOVIET-UNION"}, ["tears"]),
        ({"country": "USSR"}, ["tears"]),  # an alias
        ({"country": "Russia"}, ["brother"]),
        ({"studio": "MOSFILM"}, ["tears"]),
        ({"setting": "Moscow"}, ["tears"]),
        ({"list": "Soviet-Love"}, ["tears"]),
        ({"decade": "1970s"}, ["tears"]),
        ({"genre": "western"}, []),  # names nothing: no films, as before
    ],
)
def test_the_api_takes_slugs_in_any_case(films, query, expected):
    assert slugs(APIClient().get(URL, query)) == expected


def test_the_api_keeps_to_slugs_and_says_which_parameter_is_wrong(films):
    response = APIClient().get(URL, {"country": "Soviet Union"})

    assert response.status_code == 400
    assert "country" in error_fields(response)


@pytest.mark.parametrize("size", [1, 15])
def test_named_filters_cost_the_api_no_query(db, django_assert_num_queries, size):
    for _ in range(size):
        film = FilmFactory()
        film.genres.add(GenreFactory(name="Drama", slug="drama"))
        film.countries.add(CountryFactory())
        FilmLocationFactory(film=film, place__slug=f"place-{film.pk}")
    with django_assert_num_queries(budget.API_FILM_LIST):
        assert len(slugs(APIClient().get(URL, {"genre": "DRAMA", "country": "USSR"}))) == size
