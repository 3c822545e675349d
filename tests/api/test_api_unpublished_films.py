"""A film not yet published (a list import's stub) tells a visitor nothing through the
filters that take a film, nor through its pictures or the changes feed; an editor sees it."""

import pytest
from django.utils import timezone

from catalogue.models import AwardOutcome, CreditRole
from tests import factories as f
from tests.helpers import slugs

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def since(catalogue):
    return timezone.now().isoformat()


@pytest.fixture
def stub(catalogue):
    """An unpublished film directed by someone credited nowhere else, awarded at Cannes, in
    the published list soviet-love."""
    film = f.FilmFactory(title="Stalker", slug="stalker", is_published=False)
    tarkovsky = f.PersonFactory(name="Andrei Tarkovsky", slug="tarkovsky")
    f.CreditFactory(film=film, person=tarkovsky, role=CreditRole.DIRECTOR)
    f.CreditFactory(film=film, person=f.PersonFactory(slug="kaidanovsky"), role=CreditRole.WRITER)
    f.AwardFactory(
        organisation=catalogue.cannes,
        category="Prize of the Ecumenical Jury",
        ceremony_year=1980,
        film=film,
        person=tarkovsky,
        outcome=AwardOutcome.WON,
    )
    f.CuratedListEntryFactory(curated_list=catalogue.love, film=film, position=3)
    return film


def test_people_filtered_by_an_unpublished_film_are_none_for_visitors(api, editor_api, stub):
    assert slugs(api.get("/api/v1/people/", {"film": "stalker"})) == []
    assert set(slugs(editor_api.get("/api/v1/people/", {"film": "stalker"}))) == {
        "kaidanovsky",
        "tarkovsky",
    }


def test_a_role_alone_matches_people_through_published_films_only(api, editor_api, stub):
    assert "kaidanovsky" not in slugs(api.get("/api/v1/people/", {"role": "writer"}))
    assert "kaidanovsky" in slugs(editor_api.get("/api/v1/people/", {"role": "writer"}))


def test_awards_of_an_unpublished_film_select_no_person_for_visitors(api, editor_api, stub):
    query = {"award_organisation": "cannes", "award_year": 1980}
    assert slugs(api.get("/api/v1/people/", query)) == []
    assert slugs(editor_api.get("/api/v1/people/", query)) == ["tarkovsky"]


def test_awards_filtered_by_an_unpublished_film_are_none_for_visitors(api, editor_api, stub):
    assert api.get("/api/v1/awards/", {"film": "stalker"}).json()["results"] == []
    assert len(editor_api.get("/api/v1/awards/", {"film": "stalker"}).json()["results"]) == 1


def test_lists_filtered_by_an_unpublished_film_are_none_for_visitors(api, editor_api, stub):
    assert slugs(api.get("/api/v1/lists/", {"film": "stalker"})) == []
    assert "soviet-love" in slugs(editor_api.get("/api/v1/lists/", {"film": "stalker"}))
    assert slugs(api.get("/api/v1/lists/", {"film": "the-irony-of-fate"})) == ["soviet-love"]


def test_pictures_of_an_unpublished_film_are_not_found_for_visitors(api, editor_api, stub):
    assert api.get("/api/v1/films/stalker/pictures/").status_code == 404
    assert editor_api.get("/api/v1/films/stalker/pictures/").status_code == 200


def test_changes_to_list_entries_of_unpublished_films_are_for_editors_only(
    api, editor_api, catalogue, since
):
    entry = f.CuratedListEntryFactory(
        curated_list=catalogue.love, film=f.FilmFactory(is_published=False), position=4
    )

    def entry_changes(client):
        results = client.get("/api/v1/changes/", {"since": since}).json()["results"]
        return [c["id"] for c in results if c["kind"] == "list_entry"]

    assert entry_changes(api) == []
    assert entry_changes(editor_api) == [entry.pk]
