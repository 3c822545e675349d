"""The catalogue's reference data has its own endpoints, and every object links to itself."""

import pytest
import rest_framework.reverse

from tests.helpers import slugs

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/countries/", ["russia", "soviet-union"]),
        ("/api/v1/genres/", ["comedy", "drama", "romance"]),
        ("/api/v1/places/", ["leningrad", "moscow"]),
        ("/api/v1/studios/", ["lenfilm", "mosfilm"]),
        ("/api/v1/organisations/?kind=studio", ["lenfilm", "mosfilm"]),
    ],
)
def test_reference_collections_list_their_rows(api, url, expected):
    assert slugs(api.get(url)) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/countries/soviet-union/",
        "/api/v1/genres/drama/",
        "/api/v1/places/moscow/",
        "/api/v1/organisations/cannes/",
    ],
)
def test_a_reference_row_is_found_at_its_own_url(api, url):
    row = api.get(url).json()
    assert row["url"] == f"http://testserver{url}"


def test_every_row_of_every_collection_links_to_itself(api):
    for url in ["countries", "genres", "places", "studios", "organisations", "awards"]:
        for row in api.get(f"/api/v1/{url}/").json()["results"]:
            assert api.get(row["url"]).status_code == 200, row["url"]


def test_an_award_has_a_detail_by_id(api, catalogue):
    award = api.get("/api/v1/awards/").json()["results"][0]
    detail = api.get(award["url"]).json()
    assert detail == award
    assert api.get("/api/v1/awards/99999999999999999999999/").status_code == 404
    assert api.get("/api/v1/awards/x/").status_code == 404


def test_nested_rows_link_to_their_endpoints(api):
    film = api.get("/api/v1/films/moscow-does-not-believe-in-tears/").json()
    assert film["countries"][0]["url"] == "http://testserver/api/v1/countries/soviet-union/"
    assert film["genres"][0]["url"] == "http://testserver/api/v1/genres/drama/"
    assert film["studios"][0]["url"] == "http://testserver/api/v1/organisations/mosfilm/"
    assert film["settings"][0]["place"]["url"] == "http://testserver/api/v1/places/moscow/"
    award = film["awards"][0]
    assert award["url"].startswith("http://testserver/api/v1/awards/")
    assert award["organisation"]["url"].endswith("/api/v1/organisations/academy-awards/")


def test_a_page_of_films_reverses_each_kind_of_link_once(api, monkeypatch):
    reversed_views = []
    reverse = rest_framework.reverse.django_reverse

    def counting_reverse(viewname, *args, **kwargs):
        reversed_views.append(viewname)
        return reverse(viewname, *args, **kwargs)

    monkeypatch.setattr(rest_framework.reverse, "django_reverse", counting_reverse)
    films = api.get("/api/v1/films/").json()["results"]

    assert len(films) > 1
    for film in films:
        assert film["url"] == f"http://testserver/api/v1/films/{film['slug']}/"
        for country in film["countries"]:
            assert country["url"] == f"http://testserver/api/v1/countries/{country['slug']}/"
    assert sorted(reversed_views) == sorted(set(reversed_views))
    assert "api:film-detail" in reversed_views
