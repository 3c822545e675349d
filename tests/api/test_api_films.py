"""/api/v1/films/: list rows, full detail, exports, writes, bad input, caching headers."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission

from catalogue.models import Film, Verification
from tests import factories as f
from tests.helpers import error_fields

URL = "/api/v1/films/"
TEARS_URL = "/api/v1/films/moscow-does-not-believe-in-tears/"


def test_list_rows_are_compact_and_paginated(api, catalogue):
    body = api.get(URL, {"page_size": 2}).json()
    assert body["count"] == 5
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None
    row = body["results"][0]
    assert row["slug"] == "the-cranes-are-flying"
    assert row["id"] == catalogue.cranes.id
    assert row["directors"][0]["slug"] == "kalatozov"
    assert row["countries"] == [
        {
            "code": "SU",
            "name": "Soviet Union",
            "slug": "soviet-union",
            "url": "http://testserver/api/v1/countries/soviet-union/",
        }
    ]
    assert row["genres"] == [
        {"slug": "drama", "url": "http://testserver/api/v1/genres/drama/", "name": "Drama"}
    ]
    assert "credits" not in row and "facts" not in row


def test_detail_has_every_claim_with_its_verification(api, catalogue):
    film = api.get(TEARS_URL).json()
    assert film["id"] == catalogue.tears.id
    assert film["imdb_id"] == "tt0079579" and film["tmdb_id"] == 21028
    assert film["verification"] == Verification.CONFIRMED
    assert [c["code"] for c in film["countries"]] == ["SU"]
    assert [g["slug"] for g in film["genres"]] == ["drama", "romance"]
    assert [s["slug"] for s in film["studios"]] == ["mosfilm"]
    assert film["titles"][0]["title"] == "Москва слезам не верит"
    assert [(c["role"], c["person"]["slug"], c["character"]) for c in film["credits"]] == [
        ("director", "menshov", ""),
        ("actor", "batalov", "Gosha"),  # Aleksey Batalov: by name within a role
        ("actor", "alentova", "Katerina"),
    ]
    award = film["awards"][0]
    assert (award["organisation"]["slug"], award["outcome"], award["ceremony_year"]) == (
        "academy-awards",
        "won",
        1981,
    )
    assert [(s["place"]["slug"], s["period"]) for s in film["settings"]] == [
        ("moscow", "1958–1978")
    ]
    assert [loc["place"]["slug"] for loc in film["filming_locations"]] == ["moscow"]
    fact = film["facts"][0]
    assert fact["text"] == "It won the Oscar in 1981."
    assert fact["verification"] == "unverified"
    assert [s["slug"] for s in fact["sources"]] == ["encyclopedia"]
    assert film["lists"] == [
        {
            "id": catalogue.love.id,
            "slug": "soviet-love",
            "title": "Soviet films about love",
            "url": "http://testserver/api/v1/lists/soviet-love/",
            "position": 2,
        }
    ]


def test_detail_hides_draft_lists_from_visitors_but_not_editors(api, editor_api, catalogue):
    garage = "/api/v1/films/garage/"
    assert api.get(garage).json()["lists"] == []
    assert [row["slug"] for row in editor_api.get(garage).json()["lists"]] == ["work-in-progress"]


def test_unknown_slug_is_a_json_404(api, db):
    response = api.get("/api/v1/films/no-such-film/")
    assert response.status_code == 404
    assert error_fields(response) == {"detail": ["Not found."]}


def test_a_slug_with_odd_characters_is_a_json_404(api, db):
    response = api.get("/api/v1/films/%00%C3%A9x/")
    assert response.status_code == 404
    assert "detail" in error_fields(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1979.5"}, "year"),
        ({"year": "99999999999999999999999"}, "year"),
        ({"decade": "19x0"}, "decade"),
        ({"decade": "1975"}, "decade"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"ordering": "password"}, "ordering"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "first"}, "page"),
        ({"award_outcome": "lost"}, "award_outcome"),
        ({"role": "caterer"}, "role"),
        ({"verification": "maybe"}, "verification"),
        ({"country": "not a slug!"}, "country"),
        ({"person": "nul\x00byte"}, "person"),
        ({"q": "nul\x00byte"}, "q"),
        ({"tmdb_id": "-4"}, "tmdb_id"),
    ],
)
def test_bad_parameters_are_field_named_400s(api, db, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in error_fields(response)


def test_a_page_past_the_last_is_a_json_404(api, catalogue):
    response = api.get(URL, {"page": 99})
    assert response.status_code == 404
    assert "detail" in error_fields(response)


def test_page_size_up_to_100_is_accepted(api, catalogue):
    assert api.get(URL, {"page_size": 100}).status_code == 200


def test_export_csv_applies_the_filters(api, catalogue):
    response = api.get("/api/v1/films/export.csv", {"decade": 1970, "ordering": "title"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows == [
        ["Title", "Year", "Directors", "imdbID", "tmdbID", "LetterboxdURI"],
        ["Garage", "1979", "Eldar Ryazanov", "", "", ""],
        ["Moscow Does Not Believe in Tears", "1979", "Vladimir Menshov", "tt0079579", "21028", ""],
        ["The Irony of Fate", "1975", "Eldar Ryazanov", "", "", ""],
    ]


def test_export_csv_rejects_bad_filters_with_json_400(api, db):
    response = api.get("/api/v1/films/export.csv", {"year": "abc"})
    assert response.status_code == 400
    assert error_fields(response) == {"year": ["Enter a whole number."]}


# --- ETag and conditional GET ---


@pytest.mark.parametrize("url", [URL, TEARS_URL])
def test_list_and_detail_answer_304_to_a_matching_etag(api, catalogue, url):
    first = api.get(url)
    etag = first["ETag"]
    assert etag
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_the_film_changes(api, catalogue):
    etag = api.get(TEARS_URL)["ETag"]
    Film.objects.filter(pk=catalogue.tears.pk).update(runtime_minutes=151)
    response = api.get(TEARS_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


# --- CORS: GET only, API only ---


def test_cors_allows_cross_origin_reads_of_the_api(api, db):
    response = api.get(URL, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_get_only(api, db):
    response = api.options(
        URL, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_cors_headers_are_not_sent_outside_the_api(client, db):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


# --- Writes ---

NEW_FILM = {
    "title": "Office Romance",
    "release_year": 1977,
    "runtime_minutes": 159,
    "countries": ["SU"],
    "genres": ["comedy"],
    "imdb_id": "tt0076727",
}


def test_anonymous_cannot_create_a_film(api, catalogue):
    response = api.post(URL, NEW_FILM, format="json")
    assert response.status_code == 401
    assert not Film.objects.filter(title="Office Romance").exists()


def test_a_user_without_the_permission_cannot_create_a_film(api, catalogue, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("visitor"))
    assert api.post(URL, NEW_FILM, format="json").status_code == 403
    assert not Film.objects.filter(title="Office Romance").exists()


def test_editor_creates_a_film(editor_api, catalogue):
    response = editor_api.post(URL, NEW_FILM, format="json")
    assert response.status_code == 201, response.json()
    film = Film.objects.get(slug=response.json()["slug"])
    assert film.title == "Office Romance"
    assert [c.code for c in film.countries.all()] == ["SU"]


def test_editor_creates_a_film_with_a_token(api, catalogue, editor):
    from core.tokens import issue_token

    _, token = issue_token(editor)
    response = api.post(URL, NEW_FILM, format="json", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 201


def test_editor_updates_a_film(editor_api, catalogue):
    response = editor_api.patch(TEARS_URL, {"runtime_minutes": 148}, format="json")
    assert response.status_code == 200, response.json()
    catalogue.tears.refresh_from_db()
    assert catalogue.tears.runtime_minutes == 148


# --- A write answers in the read shape -----------------------------------------------------


def test_a_created_film_answers_as_a_get_of_it_does(editor_api, catalogue):
    created = editor_api.post(URL, {**NEW_FILM, "imdb_id": ""}, format="json")
    assert created.status_code == 201, created.json()

    read = editor_api.get(created["Location"])
    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]
    assert created.json()["imdb_id"] is None
    assert created.json()["countries"][0]["code"] == "SU"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_updated_film_answers_as_a_get_of_it_does(editor_api, catalogue, method):
    payload = {"title": "Garage", "release_year": 1979, "runtime_minutes": 99}
    updated = getattr(editor_api, method)("/api/v1/films/garage/", payload, format="json")
    assert updated.status_code == 200, updated.json()

    read = editor_api.get("/api/v1/films/garage/")
    assert updated.json() == read.json()
    assert updated["ETag"] == read["ETag"]
    assert updated.json()["wikidata_id"] is None


def test_the_etag_a_write_answers_is_the_next_writes_if_match(editor_api, catalogue):
    first = editor_api.patch(TEARS_URL, {"runtime_minutes": 148}, format="json")
    second = editor_api.patch(
        TEARS_URL, {"runtime_minutes": 150}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert second.status_code == 200, second.json()


def test_a_write_takes_back_the_null_a_read_gives_for_an_unknown_text_id(editor_api, catalogue):
    unknown = {"imdb_id": None, "wikidata_id": None, "letterboxd_id": None}
    response = editor_api.patch(TEARS_URL, unknown, format="json")
    assert response.status_code == 200, response.json()
    assert {name: response.json()[name] for name in unknown} == unknown
    catalogue.tears.refresh_from_db()
    assert (catalogue.tears.imdb_id, catalogue.tears.wikidata_id) == ("", "")
    assert catalogue.tears.letterboxd_id == ""


def test_a_created_film_may_say_null_for_its_text_ids(editor_api, catalogue):
    payload = {**NEW_FILM, "imdb_id": None, "wikidata_id": None, "letterboxd_id": None}
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    film = Film.objects.get(slug=response.json()["slug"])
    assert (film.imdb_id, film.wikidata_id, film.letterboxd_id) == ("", "", "")


def test_a_writer_who_may_not_see_drafts_still_gets_the_draft_they_created(
    api, catalogue, django_user_model
):
    writer = django_user_model.objects.create_user("writer")
    writer.user_permissions.add(Permission.objects.get(codename="add_film"))
    api.force_authenticate(writer)

    response = api.post(URL, {**NEW_FILM, "is_published": False}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["is_published"] is False


def test_a_text_id_is_still_checked_against_its_pattern(editor_api, catalogue):
    response = editor_api.patch(TEARS_URL, {"letterboxd_id": "Not A Slug"}, format="json")
    assert response.status_code == 400
    assert "letterboxd_id" in error_fields(response)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_FILM, "release_year": 1700}, "release_year"),
        ({**NEW_FILM, "title": ""}, "title"),
        ({**NEW_FILM, "imdb_id": "12345"}, "imdb_id"),
        ({**NEW_FILM, "imdb_id": "tt0079579"}, "imdb_id"),  # taken by Tears
        ({**NEW_FILM, "tmdb_id": 21028}, "tmdb_id"),  # taken by Tears
        ({**NEW_FILM, "countries": ["XX"]}, "countries"),
        ({**NEW_FILM, "runtime_minutes": 0}, "runtime_minutes"),
        ({**NEW_FILM, "runtime_minutes": 99999}, "runtime_minutes"),
        ({**NEW_FILM, "tmdb_id": 2**40}, "tmdb_id"),
        ({**NEW_FILM, "release_date": "1980-01-01"}, "release_date"),
        ({**NEW_FILM, "slug": "garage"}, "slug"),
    ],
)
def test_invalid_film_payload_is_a_field_400_and_nothing_is_written(
    editor_api, catalogue, payload, field
):
    before = Film.objects.count()
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in error_fields(response), response.json()
    assert Film.objects.count() == before


def test_invalid_update_changes_nothing(editor_api, catalogue):
    response = editor_api.patch(TEARS_URL, {"release_year": 3000}, format="json")
    assert response.status_code == 400
    catalogue.tears.refresh_from_db()
    assert catalogue.tears.release_year == 1979


def test_duplicate_tmdb_id_on_update_is_a_400(editor_api, catalogue):
    response = editor_api.patch("/api/v1/films/garage/", {"tmdb_id": 21028}, format="json")
    assert response.status_code == 400
    assert "tmdb_id" in error_fields(response)


def test_a_film_factory_film_is_listed(api, db):
    f.FilmFactory(slug="solo")
    assert [row["slug"] for row in api.get(URL).json()["results"]] == ["solo"]


def test_a_new_film_named_like_another_gets_a_numbered_slug(editor_api, catalogue):
    response = editor_api.post(URL, {"title": "Garage", "release_year": 1980}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "garage-2"


def test_a_new_film_with_an_unsluggable_title_gets_a_slug(editor_api, catalogue):
    response = editor_api.post(URL, {"title": "¡¿", "release_year": 1980}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "film"
