"""Deep walks over films and people with `cursor=`: id order, no row skipped or repeated,
even when rows are added meanwhile."""

import pytest

from catalogue.models import Film
from tests import factories as f
from tests.helpers import error_codes, slugs

FILMS = "/api/v1/films/"


@pytest.fixture
def films(db):
    return [f.FilmFactory() for _ in range(7)]


def walk(api, url, query):
    response = api.get(url, query)
    pages = [response]
    while response.json()["next"]:
        response = api.get(response.json()["next"])
        pages.append(response)
    return pages


def test_an_empty_cursor_starts_a_walk_in_id_order(api, films):
    pages = walk(api, FILMS, {"cursor": "", "page_size": 3})
    assert len(pages) == 3
    assert [slug for page in pages for slug in slugs(page)] == [film.slug for film in films]
    assert all(page.json()["count"] == 7 for page in pages)
    assert 'rel="next"' in pages[0]["Link"] and 'rel="prev"' in pages[1]["Link"]


def test_a_walk_neither_skips_nor_repeats_when_films_are_added(api, films):
    first = api.get(FILMS, {"cursor": "", "page_size": 3}).json()
    f.FilmFactory(title="Zerkalo")  # a new film comes after every id walked so far
    rest = api.get(first["next"]).json()
    walked = [row["slug"] for row in first["results"] + rest["results"]]
    assert walked == [film.slug for film in Film.objects.order_by("pk")][:6]


def test_people_walk_too(api, db):
    people = [f.PersonFactory() for _ in range(3)]
    pages = walk(api, "/api/v1/people/", {"cursor": "", "page_size": 2})
    assert [slug for page in pages for slug in slugs(page)] == [p.slug for p in people]


def test_a_walk_goes_in_id_order_whatever_page_or_ordering_say(api, films):
    walked = slugs(api.get(FILMS, {"cursor": "", "page": "2", "ordering": "-title"}))
    assert walked == [film.slug for film in films]


def test_a_walks_page_size_is_still_checked(api, films):
    assert error_codes(api.get(FILMS, {"cursor": "", "page_size": "101"})) == {
        "page_size": "max_value"
    }


@pytest.mark.parametrize("cursor", ["abc", "cD1hYmM="])  # not base64; "p=abc", not an id
def test_a_cursor_the_api_did_not_give_is_not_found(api, films, cursor):
    response = api.get(FILMS, {"cursor": cursor})
    assert response.status_code == 404
    assert "start again" in response.json()["errors"][0]["detail"]


def test_filters_apply_to_a_walk(api, films):
    films[2].release_year = 1901
    films[2].save()
    assert slugs(api.get(FILMS, {"cursor": "", "year": 1901})) == [films[2].slug]
