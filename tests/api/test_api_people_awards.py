"""/api/v1/people/, /awards/, /organisations/ and /search/: filters, detail, errors."""

import pytest

from tests.factories import AwardFactory, CountryFactory
from tests.helpers import error_fields, slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.fixture(scope="module")
def catalogue(catalogue_once):
    """These tests only read: the catalogue is built once for the module."""
    return catalogue_once


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "cinematographer"}, ["urusevsky"]),
        ({"role": "director", "film": "garage"}, ["ryazanov"]),
        ({"film": "garage"}, ["ryazanov", "menshov"]),
        ({"film": "moscow-does-not-believe-in-tears", "role": "actor"}, ["batalov", "alentova"]),
        ({"award_organisation": "cannes"}, ["balabanov", "kalatozov"]),
        ({"award_organisation": "cannes", "award_outcome": "won"}, ["kalatozov"]),
        ({"award_year": 1997}, ["balabanov"]),
        ({"q": "ryazanov"}, ["ryazanov"]),
    ],
)
def test_people_filters(api, query, expected):
    # People come ordered by name.
    expected_order = sorted(expected, key=lambda slug: NAMES[slug])
    assert slugs(api.get("/api/v1/people/", query)) == expected_order


def test_people_ordering_by_name_reversed(api):
    by_name = sorted(NAMES, key=NAMES.get, reverse=True)
    assert slugs(api.get("/api/v1/people/", {"ordering": "-name"})) == by_name


NAMES = {
    "menshov": "Vladimir Menshov",
    "alentova": "Vera Alentova",
    "batalov": "Aleksey Batalov",
    "ryazanov": "Eldar Ryazanov",
    "kalatozov": "Mikhail Kalatozov",
    "urusevsky": "Sergey Urusevsky",
    "balabanov": "Aleksei Balabanov",
}


def test_person_detail_lists_credits_and_awards(api):
    person = api.get("/api/v1/people/kalatozov/").json()
    assert [(c["role"], c["film"]["slug"]) for c in person["credits"]] == [
        ("director", "the-cranes-are-flying")
    ]
    assert [(a["organisation"]["slug"], a["outcome"]) for a in person["awards"]] == [
        ("cannes", "won")
    ]


def test_unknown_person_is_a_json_404(api):
    response = api.get("/api/v1/people/nobody/")
    assert response.status_code == 404
    assert "detail" in error_fields(response)


def award_films(response):
    assert response.status_code == 200, response.content
    return [row["film"]["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["brother", "moscow-does-not-believe-in-tears", "the-cranes-are-flying"]),
        ({"organisation": "cannes"}, ["brother", "the-cranes-are-flying"]),
        ({"year": 1958}, ["the-cranes-are-flying"]),
        ({"year_min": 1980, "year_max": 1990}, ["moscow-does-not-believe-in-tears"]),
        ({"outcome": "nominated"}, ["brother"]),
        ({"film": "brother"}, ["brother"]),
        ({"person": "kalatozov"}, ["the-cranes-are-flying"]),
        ({"category": "palme"}, ["the-cranes-are-flying"]),
        ({"organisation": "cannes", "outcome": "won"}, ["the-cranes-are-flying"]),
        (
            {"ordering": "year"},
            ["the-cranes-are-flying", "moscow-does-not-believe-in-tears", "brother"],
        ),
    ],
)
def test_award_filters(api, query, expected):
    assert award_films(api.get("/api/v1/awards/", query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["academy-awards", "cannes"]),
        ({"kind": "festival"}, ["cannes"]),
        ({"name": "academy"}, ["academy-awards"]),
    ],
)
def test_organisation_filters(api, query, expected):
    studios = {"mosfilm", "lenfilm"}
    found = [
        slug for slug in slugs(api.get("/api/v1/organisations/", query)) if slug not in studios
    ]
    assert found == expected


def test_organisations_include_studios(api):
    assert slugs(api.get("/api/v1/organisations/", {"kind": "studio"})) == ["lenfilm", "mosfilm"]


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/people/", {"role": "caterer"}, "role"),
        ("/api/v1/people/", {"award_year": "soon"}, "award_year"),
        ("/api/v1/people/", {"ordering": "password"}, "ordering"),
        ("/api/v1/awards/", {"year": "abc"}, "year"),
        ("/api/v1/awards/", {"outcome": ""}, "outcome"),
        ("/api/v1/organisations/", {"kind": "bank"}, "kind"),
        ("/api/v1/search/", {"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_field_named_400s(api, url, query, field):
    response = api.get(url, query)
    assert response.status_code == 400
    assert field in error_fields(response)


def test_search_finds_films_people_and_lists(api):
    body = api.get("/api/v1/search/", {"q": "moscow"}).json()
    assert body["query"] == "moscow"
    assert "moscow-does-not-believe-in-tears" in [film["slug"] for film in body["films"]]
    body = api.get("/api/v1/search/", {"q": "Ryazanov"}).json()
    assert [person["slug"] for person in body["people"]] == ["ryazanov"]
    body = api.get("/api/v1/search/", {"q": "soviet films about love"}).json()
    assert [row["slug"] for row in body["lists"]] == ["soviet-love"]


def test_search_hides_draft_lists_from_visitors(api, editor_api):
    assert api.get("/api/v1/search/", {"q": "work in progress"}).json()["lists"] == []
    found = editor_api.get("/api/v1/search/", {"q": "work in progress"}).json()["lists"]
    assert [row["slug"] for row in found] == ["work-in-progress"]


def test_empty_search_finds_nothing(api):
    body = api.get("/api/v1/search/", {"q": ""}).json()
    assert body["films"] == body["people"] == body["lists"] == []


def test_unknown_api_url_is_a_json_404(api):
    response = api.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert error_fields(response) == {"detail": ["Not found."]}


def test_a_country_nominee_comes_as_a_country_object_in_the_readers_language(api, catalogue):
    country = CountryFactory(code="CS", name="Czechoslovakia", name_ru="Чехословакия")
    award = AwardFactory(film=catalogue.garage, nominee_country=country)
    url = f"/api/v1/awards/{award.pk}/"

    english = api.get(url).json()["nominee_country"]
    russian = api.get(url, {"language": "ru"}).json()["nominee_country"]

    assert (english["code"], english["name"]) == ("CS", "Czechoslovakia")
    assert english["url"].endswith(f"/api/v1/countries/{country.slug}/")
    assert russian["name"] == "Чехословакия"
