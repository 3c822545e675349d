"""A film not yet published (a list import's stub) tells a visitor nothing through the
filters that take a film, nor through its pictures or the changes feed, nor through the
people known only through it; an editor sees it."""

import pytest
from django.utils import timezone

from catalogue.models import AwardOutcome, CreditRole
from catalogue.services import publish_films
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


# --- People known only through an unpublished film (Tarkovsky and Kaidanovsky here) ---


def test_people_known_only_through_unpublished_films_are_not_listed_for_visitors(
    api, editor_api, stub
):
    assert {"tarkovsky", "kaidanovsky"}.isdisjoint(slugs(api.get("/api/v1/people/")))
    assert {"tarkovsky", "kaidanovsky"} <= set(slugs(editor_api.get("/api/v1/people/")))
    assert "menshov" in slugs(api.get("/api/v1/people/"))


@pytest.mark.parametrize(
    "path", ["/api/v1/people/tarkovsky/", "/api/v1/people/tarkovsky/pictures/"]
)
def test_a_person_known_only_through_unpublished_films_is_not_found_for_visitors(
    api, editor_api, stub, path
):
    assert api.get(path).status_code == 404
    assert editor_api.get(path).status_code == 200


def test_the_search_finds_people_known_only_through_unpublished_films_for_editors_only(
    api, editor_api, stub
):
    def people_found(client):
        return [
            p["slug"] for p in client.get("/api/v1/search/", {"q": "Tarkovsky"}).json()["people"]
        ]

    assert people_found(api) == []
    assert people_found(editor_api) == ["tarkovsky"]


def test_updated_since_tells_visitors_nothing_of_unpublished_films_credits(
    api, editor_api, catalogue, stub
):
    since = timezone.now().isoformat()
    # Menshov is public (he directed Moscow Does Not Believe in Tears); this credit is not.
    f.CreditFactory(film=stub, person=catalogue.people["menshov"], role=CreditRole.ACTOR)
    f.PersonFactory(slug="tarkovsky-junior").credits.create(film=stub, role=CreditRole.ACTOR)

    assert slugs(api.get("/api/v1/people/", {"updated_since": since})) == []
    assert set(slugs(editor_api.get("/api/v1/people/", {"updated_since": since}))) == {
        "menshov",
        "tarkovsky-junior",
    }


def test_updated_since_tells_visitors_nothing_of_unpublished_films_entries(
    api, editor_api, catalogue, stub
):
    since = timezone.now().isoformat()
    entry = catalogue.love.entries.get(film=stub)
    entry.blurb = "Edited while the film is a draft."
    entry.save()

    assert slugs(api.get("/api/v1/lists/", {"updated_since": since})) == []
    assert slugs(editor_api.get("/api/v1/lists/", {"updated_since": since})) == ["soviet-love"]


def test_changes_name_people_known_only_through_unpublished_films_to_editors_only(
    api, editor_api, stub, since
):
    hidden = f.PersonFactory(slug="hidden")
    f.CreditFactory(film=stub, person=hidden)

    def people_changed(client):
        results = client.get("/api/v1/changes/", {"since": since}).json()["results"]
        return [c["id"] for c in results if c["kind"] == "person"]

    assert people_changed(api) == []
    assert people_changed(editor_api) == [hidden.pk]


def test_publishing_the_film_shows_its_people_to_visitors(api, stub):
    publish_films([stub])

    assert {"tarkovsky", "kaidanovsky"} <= set(slugs(api.get("/api/v1/people/")))
    assert api.get("/api/v1/people/tarkovsky/").status_code == 200
