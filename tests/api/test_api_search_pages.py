"""/search/ a page at a time, each result with its relevance score."""

import pytest

from tests import factories as f
from tests.helpers import error_codes

SEARCH = "/api/v1/search/"


@pytest.fixture
def stalkers(db):
    """Five films whose title is or holds "Stalker", and one called exactly that."""
    exact = f.FilmFactory(title="Stalker", slug="stalker")
    others = [f.FilmFactory(title=f"The Stalker Part {n}", slug=f"stalker-{n}") for n in range(4)]
    return [exact, *others]


def test_each_result_has_a_score_and_the_exact_title_scores_highest(api, stalkers):
    films = api.get(SEARCH, {"q": "stalker"}).json()["films"]
    assert films[0]["slug"] == "stalker"
    scores = [film["score"] for film in films]
    assert scores == sorted(scores, reverse=True)
    assert 2 < scores[0] <= 3 and all(0 < score <= 2 for score in scores[1:])


def test_pages_walk_every_result_once(api, stalkers):
    first = api.get(SEARCH, {"q": "stalker", "page_size": 2})
    body = first.json()
    assert body["page"] == 1 and body["previous"] is None
    assert 'rel="next"' in first["Link"]
    seen = [film["slug"] for film in body["films"]]
    while body["next"]:
        body = api.get(body["next"]).json()
        seen += [film["slug"] for film in body["films"]]
    assert sorted(seen) == sorted(film.slug for film in stalkers)
    assert body["previous"] is not None and body["page"] == 3


def test_a_page_past_the_results_is_empty(api, stalkers):
    body = api.get(SEARCH, {"q": "stalker", "page": 9}).json()
    assert body["films"] == [] and body["next"] is None


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"page": "0"}, {"page": "min_value"}),
        ({"page_size": "101"}, {"page_size": "max_value"}),
        ({"page": ""}, {"page": "invalid"}),
    ],
)
def test_bad_page_parameters_are_400s(api, db, query, errors):
    assert error_codes(api.get(SEARCH, {"q": "stalker", **query})) == errors
