"""One shape per field name: a field means the same thing, shaped the same way, in list rows
and in the detail; unknown IDs are null; `url` is always the API's own link."""

import pytest

FILMS = "/api/v1/films/"
TEARS = "moscow-does-not-believe-in-tears"

pytestmark = pytest.mark.usefixtures("catalogue")


def row_of(api, slug, **query):
    rows = api.get(FILMS, {"page_size": 100, **query}).json()["results"]
    return next(row for row in rows if row["slug"] == slug)


@pytest.mark.parametrize("field", ["countries", "genres", "directors", "imdb_id", "url"])
def test_a_film_field_has_the_same_value_in_the_list_row_and_the_detail(api, field):
    detail = api.get(f"{FILMS}{TEARS}/").json()
    assert row_of(api, TEARS)[field] == detail[field]


def test_countries_and_genres_are_objects_everywhere(api):
    row = row_of(api, TEARS)
    assert row["countries"] == [
        {
            "code": "SU",
            "name": "Soviet Union",
            "slug": "soviet-union",
            "url": "http://testserver/api/v1/countries/soviet-union/",
        }
    ]
    assert row["genres"] == [
        {"slug": "drama", "url": "http://testserver/api/v1/genres/drama/", "name": "Drama"},
        {"slug": "romance", "url": "http://testserver/api/v1/genres/romance/", "name": "Romance"},
    ]


def test_list_position_is_in_rows_and_detail_and_null_outside_a_list(api):
    assert row_of(api, TEARS)["list_position"] is None
    assert row_of(api, TEARS, list="soviet-love")["list_position"] == 2
    assert api.get(f"{FILMS}{TEARS}/").json()["list_position"] is None


def test_an_unknown_identifier_is_null_whatever_its_type(api):
    garage = api.get(f"{FILMS}garage/").json()
    assert garage["imdb_id"] is None and garage["tmdb_id"] is None
    assert garage["wikidata_id"] is None
    assert row_of(api, "garage")["imdb_id"] is None
    person = api.get("/api/v1/people/batalov/").json()
    assert person["imdb_id"] is None and person["wikidata_id"] is None


def test_a_sources_address_is_document_url_not_url(api):
    source = api.get(f"{FILMS}{TEARS}/").json()["facts"][0]["sources"][0]
    assert "url" not in source
    assert "document_url" in source


def test_a_persons_credits_carry_their_verification_note(api):
    credit = api.get("/api/v1/people/menshov/").json()["credits"][0]
    assert "verification_note" in credit


def test_the_schema_gives_countries_one_component_in_rows_and_detail(api):
    components = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["components"]
    schemas = components["schemas"]
    row = schemas["FilmList"]["properties"]["countries"]["items"]["$ref"]
    detail = schemas["FilmDetail"]["properties"]["countries"]["items"]["$ref"]
    assert row == detail == "#/components/schemas/Country"
