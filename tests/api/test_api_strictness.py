"""Loud mistakes: one error shape with codes, unknown and repeated parameters refused,
ordering said in full, 404s that name no model."""

import pytest

from tests import factories as f
from tests.helpers import error_codes, error_fields, slugs

FILMS = "/api/v1/films/"
CRANES = "the-cranes-are-flying"
IRONY = "the-irony-of-fate"
GARAGE = "garage"
TEARS = "moscow-does-not-believe-in-tears"
BROTHER = "brother"

pytestmark = pytest.mark.usefixtures("catalogue")


def test_a_validation_error_has_the_shared_shape_with_a_code(api):
    response = api.get(FILMS, {"year": "soon"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": "Enter a whole number.", "attr": "year"}],
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/films/no-such-film/",
        "/api/v1/lists/no-such-list/",
        "/api/v1/lists/no-such-list/export.csv",
        "/api/v1/people/nobody/",
        "/api/v1/nowhere/",
    ],
)
def test_a_404_names_no_model(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


@pytest.mark.parametrize(
    ("url", "query", "name"),
    [
        (FILMS, {"sseting": "moscow"}, "sseting"),
        (f"{FILMS}garage/", {"year": "1979"}, "year"),  # filters apply to lists only
        ("/api/v1/people/", {"decade": "1970"}, "decade"),
        ("/api/v1/search/", {"q": "garage", "ordering": "title"}, "ordering"),
        ("/api/v1/films/export.csv", {"page": "2"}, "page"),
        ("/api/v1/lists/soviet-love/export.csv", {"year": "1979"}, "year"),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it(api, url, query, name):
    response = api.get(url, query)
    assert response.status_code == 400
    assert error_codes(response) == {name: "unknown_parameter"}


def test_several_unknown_parameters_are_all_named(api):
    response = api.get(FILMS, {"sseting": "moscow", "yaer": "1979"})
    assert set(error_fields(response)) == {"sseting", "yaer"}


@pytest.mark.parametrize("name", ["year", "genre", "page_size"])
def test_a_repeated_single_valued_parameter_is_a_400_naming_it(api, name):
    response = api.get(f"{FILMS}?{name}=1979&{name}=1980")
    assert response.status_code == 400
    assert error_codes(response) == {name: "repeated_parameter"}


def test_the_format_override_and_the_language_are_accepted_everywhere(api):
    assert api.get(FILMS, {"format": "json"}).status_code == 200
    assert api.get(f"{FILMS}garage/", {"language": "ru"}).status_code == 200


@pytest.mark.parametrize("query", ["ordering=-year,title", "ordering=-year&ordering=title"])
def test_ordering_takes_several_keys_comma_separated_or_repeated(api, query):
    # Garage and Tears share 1979: the second key puts them in title order.
    assert slugs(api.get(f"{FILMS}?{query}")) == [BROTHER, GARAGE, TEARS, IRONY, CRANES]


def test_ordering_keys_apply_in_the_order_given(api):
    assert slugs(api.get(f"{FILMS}?ordering=-year&ordering=-title")) == [
        BROTHER,
        TEARS,
        GARAGE,
        IRONY,
        CRANES,
    ]


def test_an_unknown_ordering_key_is_a_400(api):
    response = api.get(f"{FILMS}?ordering=year&ordering=budget")
    assert response.status_code == 400
    assert "ordering" in error_fields(response)


def test_a_list_alone_orders_its_films_by_position(api, catalogue):
    ranked = f.CuratedListFactory(slug="ranked")
    f.CuratedListEntryFactory(curated_list=ranked, film=catalogue.brother, position=1)
    f.CuratedListEntryFactory(curated_list=ranked, film=catalogue.cranes, position=2)
    assert slugs(api.get(FILMS, {"list": "ranked"})) == [BROTHER, CRANES]
    assert slugs(api.get(FILMS, {"list": "ranked", "ordering": "year"})) == [CRANES, BROTHER]


def test_position_ordering_with_an_empty_list_is_a_400(api):
    response = api.get(FILMS, {"list": "", "ordering": "position"})
    assert error_codes(response) == {"ordering": "ordering_needs_list"}


def test_a_blank_number_has_the_code_blank(api):
    assert error_codes(api.get(FILMS, {"year": ""})) == {"year": "blank"}
