"""HTTP conventions: paging links, caching headers on JSON and CSV, CORS for browser clients,
Location on a 201, an API root that lists every door."""

import pytest

from tests import factories as f

FILMS = "/api/v1/films/"

pytestmark = pytest.mark.usefixtures("catalogue")


def links(response):
    """The Link header as {rel: url}."""
    result = {}
    for part in response["Link"].split(", "):
        url, rel = part.split("; ")
        result[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return result


def test_a_middle_page_links_to_first_prev_next_and_last(api):
    response = api.get(FILMS, {"page": 2, "page_size": 2})
    assert links(response) == {
        "first": "http://testserver/api/v1/films/?page_size=2",
        "prev": "http://testserver/api/v1/films/?page_size=2",
        "next": "http://testserver/api/v1/films/?page=3&page_size=2",
        "last": "http://testserver/api/v1/films/?page=3&page_size=2",
    }


def test_the_first_page_links_to_next_and_last_only(api):
    assert set(links(api.get(FILMS, {"page_size": 2}))) == {"next", "last"}


@pytest.mark.parametrize("url", ["/api/v1/people/", "/api/v1/awards/", "/api/v1/lists/"])
def test_every_collection_sends_links_when_it_has_pages(api, url):
    f.CuratedListFactory()  # a second published list
    assert "next" in links(api.get(url, {"page_size": 1}))


# The film export streams (it may be large), so no body ETag can be computed for it.
@pytest.mark.parametrize("url", ["/api/v1/lists/soviet-love/export.csv", FILMS])
def test_json_and_csv_reads_have_an_etag_and_answer_304_to_it(api, url):
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_reads_are_publicly_cacheable_and_an_editors_are_private(api, editor_api):
    assert api.get(FILMS)["Cache-Control"] == "public, max-age=60"
    assert "private" in editor_api.get(FILMS)["Cache-Control"]
    assert "Authorization" in api.get(FILMS)["Vary"]


def test_cors_exposes_the_caching_paging_and_throttling_headers(api):
    response = api.get(FILMS, HTTP_ORIGIN="https://example.org")
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "last-modified", "link", "retry-after"} <= exposed


def test_a_preflight_with_if_none_match_is_allowed(api):
    response = api.options(
        FILMS,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_a_created_film_is_located_by_its_url(editor_api):
    response = editor_api.post(FILMS, {"title": "Solaris", "release_year": 1972}, format="json")
    assert response.status_code == 201
    assert response["Location"] == "http://testserver/api/v1/films/solaris/"
    assert response.json()["url"] == response["Location"]


def test_a_created_list_entry_is_located(editor_api, catalogue):
    response = editor_api.post(
        "/api/v1/lists/soviet-love/entries/", {"film": "garage", "position": 3}, format="json"
    )
    assert response.status_code == 201, response.json()
    entry_id = response.json()["id"]
    assert response["Location"].endswith(f"/api/v1/lists/soviet-love/entries/{entry_id}/")


def test_the_api_root_lists_collections_search_and_exports(api):
    root = api.get("/api/v1/").json()
    assert {"films", "people", "lists", "search", "films_export_csv"} <= set(root)
