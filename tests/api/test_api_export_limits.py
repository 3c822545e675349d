"""CSV exports stream row by row; a visitor's export is capped (settings
EXPORT_ANONYMOUS_ROWS, announced in X-Export-Limit), an editor's holds every row."""

import csv
import io

import pytest

from tests.factories import CuratedListEntryFactory, CuratedListFactory, FilmFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/films/export.csv"


def titles(response):
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    return [row["Title"] for row in rows]


@pytest.fixture
def five_films():
    return [FilmFactory(title=f"Film {n}") for n in range(5)]


def test_an_export_is_streamed_not_built_in_memory(api, five_films):
    response = api.get(URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_visitors_export_stops_at_the_cap_and_says_so(api, five_films, settings):
    settings.EXPORT_ANONYMOUS_ROWS = 3

    response = api.get(URL, {"ordering": "title"})

    assert titles(response) == ["Film 0", "Film 1", "Film 2"]
    assert response["X-Export-Limit"] == "3"


def test_an_editors_export_holds_every_row(editor_api, five_films, settings):
    settings.EXPORT_ANONYMOUS_ROWS = 3

    response = editor_api.get(URL, {"ordering": "title"})

    assert len(titles(response)) == 5
    assert "X-Export-Limit" not in response


def test_the_visitors_cap_is_a_thousand_rows_by_default():
    from config.settings import EXPORT_ANONYMOUS_ROWS

    assert EXPORT_ANONYMOUS_ROWS == 1000


def test_a_refused_export_is_json_without_the_cap_header(api, db):
    response = api.get(URL, {"year": "abc"})

    assert response.status_code == 400
    assert "X-Export-Limit" not in response


def test_a_lists_export_is_sent_whole_and_claims_no_limit(api, settings):
    settings.EXPORT_ANONYMOUS_ROWS = 1
    curated_list = CuratedListFactory(slug="two-films")
    for position, film in enumerate([FilmFactory(), FilmFactory()], start=1):
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)

    response = api.get("/api/v1/lists/two-films/export.csv")

    assert response.status_code == 200
    assert len(titles(response)) == 2
    assert "X-Export-Limit" not in response
