"""Film filters of /api/v1/films/, one test per filter and some combinations (netbox-style).

Default order is year, then title: cranes (1957), irony (1975), garage and tears (1979),
brother (1997).
"""

import pytest

from tests.helpers import error_codes, slugs

URL = "/api/v1/films/"
CRANES = "the-cranes-are-flying"
IRONY = "the-irony-of-fate"
GARAGE = "garage"
TEARS = "moscow-does-not-believe-in-tears"
BROTHER = "brother"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.fixture(scope="module")
def catalogue(catalogue_once):
    """These tests only read: the catalogue is built once for the module."""
    return catalogue_once


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, [CRANES, IRONY, GARAGE, TEARS, BROTHER]),
        ({"year": 1979}, [GARAGE, TEARS]),
        ({"year_min": 1976}, [GARAGE, TEARS, BROTHER]),
        ({"year_max": 1975}, [CRANES, IRONY]),
        ({"decade": 1970}, [IRONY, GARAGE, TEARS]),
        ({"decade": 1950}, [CRANES]),
        ({"country": "RU"}, [BROTHER]),
        ({"country": "ru"}, [BROTHER]),
        ({"country": "russia"}, [BROTHER]),
        ({"country": "soviet-union"}, [CRANES, IRONY, GARAGE, TEARS]),
        ({"genre": "comedy"}, [IRONY, GARAGE]),
        ({"genre": "romance"}, [IRONY, TEARS]),
        ({"studio": "lenfilm"}, [BROTHER]),
        ({"person": "menshov"}, [GARAGE, TEARS]),
        ({"person": "menshov", "role": "actor"}, [GARAGE]),
        ({"person": "menshov", "role": "director"}, [TEARS]),
        ({"person": "urusevsky", "role": "cinematographer"}, [CRANES]),
        ({"person": "urusevsky", "role": "director"}, []),
        ({"role": "cinematographer"}, [CRANES]),
        ({"director": "ryazanov"}, [IRONY, GARAGE]),
        ({"director": "menshov"}, [TEARS]),
        ({"actor": "menshov"}, [GARAGE]),
        ({"actor": "batalov"}, [TEARS]),
        ({"award_organisation": "cannes"}, [CRANES, BROTHER]),
        ({"award_outcome": "won"}, [CRANES, TEARS]),
        ({"award_outcome": "nominated"}, [BROTHER]),
        ({"award_year": 1958}, [CRANES]),
        ({"award_organisation": "cannes", "award_outcome": "won"}, [CRANES]),
        ({"award_organisation": "academy-awards", "award_year": 1958}, []),
        ({"list": "soviet-love"}, [IRONY, TEARS]),
        ({"list": "work-in-progress"}, []),
        ({"setting": "leningrad"}, [IRONY, BROTHER]),
        ({"setting": "moscow"}, [CRANES, IRONY, TEARS]),
        ({"filming_location": "moscow"}, [CRANES, TEARS]),
        ({"filming_location": "leningrad"}, [BROTHER]),
        ({"verification": "disputed"}, [BROTHER]),
        ({"verification": "confirmed"}, [CRANES, TEARS]),
        ({"imdb_id": "tt0079579"}, [TEARS]),
        ({"tmdb_id": 21028}, [TEARS]),
        ({"q": "irony"}, [IRONY]),
        ({"q": "Moscow tears"}, [TEARS]),
        ({"genre": "nonexistent"}, []),
    ],
)
def test_each_filter_returns_exactly_its_films(api, query, expected):
    assert slugs(api.get(URL, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"decade": 1970, "genre": "comedy"}, [IRONY, GARAGE]),
        ({"decade": 1970, "genre": "drama"}, [TEARS]),
        ({"country": "SU", "award_outcome": "won"}, [CRANES, TEARS]),
        ({"setting": "moscow", "filming_location": "moscow", "year_min": 1970}, [TEARS]),
        ({"director": "ryazanov", "list": "soviet-love"}, [IRONY]),
        ({"studio": "mosfilm", "verification": "unverified", "year": 1979}, [GARAGE]),
        ({"person": "menshov", "role": "actor", "genre": "comedy"}, [GARAGE]),
        ({"year_min": 1960, "year_max": 1980, "ordering": "-runtime"}, [IRONY, TEARS, GARAGE]),
    ],
)
def test_filters_combine(api, query, expected):
    assert slugs(api.get(URL, query)) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # Ties (1979) are broken by id: tears was catalogued before garage.
        ("year", [CRANES, IRONY, TEARS, GARAGE, BROTHER]),
        ("-year", [BROTHER, TEARS, GARAGE, IRONY, CRANES]),
        ("title", [BROTHER, GARAGE, TEARS, CRANES, IRONY]),
        ("-title", [IRONY, CRANES, TEARS, GARAGE, BROTHER]),
        ("runtime", [GARAGE, BROTHER, CRANES, TEARS, IRONY]),
        ("-runtime", [IRONY, TEARS, CRANES, BROTHER, GARAGE]),
    ],
)
def test_ordering(api, ordering, expected):
    assert slugs(api.get(URL, {"ordering": ordering})) == expected


def test_ordering_by_list_position(api):
    assert slugs(api.get(URL, {"list": "soviet-love", "ordering": "position"})) == [IRONY, TEARS]
    assert slugs(api.get(URL, {"list": "soviet-love", "ordering": "-position"})) == [TEARS, IRONY]


def test_list_filter_reports_each_films_position(api):
    rows = api.get(URL, {"list": "soviet-love", "ordering": "position"}).json()["results"]
    assert [row["list_position"] for row in rows] == [1, 2]


def test_position_ordering_without_a_list_is_a_400_naming_ordering(api):
    response = api.get(URL, {"ordering": "-position"})
    assert response.status_code == 400
    assert error_codes(response) == {"ordering": "ordering_needs_list"}


def test_draft_list_filter_works_for_editors(editor_api):
    assert slugs(editor_api.get(URL, {"list": "work-in-progress"})) == [GARAGE]


def test_multi_valued_filters_never_duplicate_a_film(api, catalogue):
    # Tears is set in Moscow twice over (setting and filming) and has two actors.
    assert slugs(api.get(URL, {"person": "alentova"})) == [TEARS]
    response = api.get(URL, {"setting": "moscow", "role": "actor", "genre": "romance"})
    assert slugs(response) == [TEARS]
    assert response.json()["count"] == 1
