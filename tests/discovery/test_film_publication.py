"""Films a list import creates stay private: no visitor finds them on any page, in the search,
the sitemap, the feed or the API until an editor publishes them or a list that holds them.
Editors see them everywhere, marked as unpublished."""

import pytest
from django.urls import reverse

from catalogue.models import Film, Verification
from catalogue.services import publish_films
from core.models import Verification as ClaimVerification
from discovery.visibility import public_films, visible_films
from lists.importing import import_list
from lists.services import publish_list
from tests.factories import (
    AwardFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DOCUMENT = """Slow cinema.

The Cranes Are Flying (1957)
Description: A love story in wartime.

Stalker (1979)
Description: A guide leads two men through the Zone.
"""
STUB_FACT = "The Zone was filmed near an abandoned power station in Estonia."


@pytest.fixture
def imported(db):
    """A draft list imported from a document: a film the catalogue had, and a new stub with
    a credit, an award and a confirmed fact added by an editor since; the stub also sits in
    another, published list."""
    FilmFactory(title="The Cranes Are Flying", slug="the-cranes-are-flying", release_year=1957)
    report = import_list(DOCUMENT, filename="slow.txt", title="Slow cinema")
    stalker = Film.objects.get(title="Stalker")
    director = PersonFactory(name="Andrei Tarkovsky", slug="andrei-tarkovsky")
    CreditFactory(film=stalker, person=director)
    CreditFactory(film=FilmFactory(title="Solaris", slug="solaris"), person=director)
    AwardFactory(
        film=stalker,
        organisation=OrganisationFactory(name="Ecumenical Jury of Cannes"),
        category="Prize of the Ecumenical Jury",
        ceremony_year=1980,
    )
    FactFactory(film=stalker, text=STUB_FACT, verification=ClaimVerification.CONFIRMED)
    other = CuratedListFactory(title="Other list", slug="other-list")
    CuratedListEntryFactory(curated_list=other, film=stalker, position=1)
    neighbour = FilmFactory(title="Mirror", slug="mirror", release_year=1975)
    CuratedListEntryFactory(curated_list=other, film=neighbour, position=2)
    return report.curated_list, stalker


def public_answers(client, stalker):
    """What a visitor gets at every place a film can show up, as (place, text) pairs."""
    answers = {
        "browse": client.get(reverse("catalogue:film-browse")),
        "search": client.get(reverse("catalogue:search"), {"q": "stalker"}),
        "sitemap": client.get("/sitemap-films.xml"),
        "person page": client.get(reverse("catalogue:person-detail", args=["andrei-tarkovsky"])),
        "awards": client.get(reverse("catalogue:award-index")),
        "home": client.get(reverse("lists:home")),
        "other list": client.get(reverse("lists:list-detail", args=["other-list"])),
        # Its next film in that list: related films and the previous entry.
        "neighbour": client.get(
            reverse("catalogue:film-detail", args=["mirror"]), {"list": "other-list"}
        ),
        "feed": client.get(reverse("lists:feed")),
        "api films": client.get("/api/v1/films/"),
        "api export": client.get("/api/v1/films/export.csv"),
        "api search": client.get("/api/v1/search/", {"q": "stalker"}),
        "api person": client.get("/api/v1/people/andrei-tarkovsky/"),
        "api awards": client.get("/api/v1/awards/"),
        "api other list": client.get("/api/v1/lists/other-list/"),
    }
    for place, response in answers.items():
        assert response.status_code == 200, place
    return {
        place: (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for place, response in answers.items()
    }


def test_an_imported_film_is_unpublished_and_seeded_or_new_films_are_published(imported):
    _curated_list, stalker = imported

    assert stalker.is_published is False
    assert Film.objects.get(slug="the-cranes-are-flying").is_published is True
    assert Film(title="Made in the admin", release_year=1970).is_published is True


def test_a_visitor_finds_an_imported_film_nowhere_until_its_list_is_published(client, imported):
    curated_list, stalker = imported

    assert client.get(stalker.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/films/{stalker.slug}/").status_code == 404
    for place, text in public_answers(client, stalker).items():
        assert "Stalker" not in text, place
        assert f"/films/{stalker.slug}/" not in text, place
        assert "Ecumenical Jury of Cannes" not in text, place
    assert STUB_FACT not in client.get(reverse("lists:home")).content.decode()

    publish_list(curated_list, publish_films_too=True)

    assert client.get(stalker.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/films/{stalker.slug}/").status_code == 200
    shown = public_answers(client, stalker)
    places = ("browse", "search", "person page", "awards", "other list", "neighbour", "api films")
    for place in places:
        assert "Stalker" in shown[place], place
    assert "Ecumenical Jury of Cannes" in shown["awards"]
    assert f"/films/{stalker.slug}/" in shown["sitemap"]
    assert "Stalker" in shown["api search"]
    assert "Slow cinema" in shown["feed"]


def test_publishing_the_film_alone_makes_it_public_and_leaves_its_list_a_draft(client, imported):
    curated_list, stalker = imported

    assert publish_films([stalker]) == 1

    assert client.get(stalker.get_absolute_url()).status_code == 200
    curated_list.refresh_from_db()
    assert not curated_list.is_published
    assert client.get(curated_list.get_absolute_url()).status_code == 404


def test_an_editor_sees_an_unpublished_film_marked_as_such(editor_client, imported):
    _curated_list, stalker = imported

    page = editor_client.get(stalker.get_absolute_url())
    browse = editor_client.get(reverse("catalogue:film-browse"))
    api = editor_client.get(f"/api/v1/films/{stalker.slug}/")

    assert page.status_code == 200
    assert "<strong>Unpublished:</strong>" in page.content.decode()
    russian = editor_client.get("/ru" + stalker.get_absolute_url()).content.decode()
    assert "<strong>Не опубликован:</strong> этот фильм создан импортом списка." in russian
    assert "badge--unpublished" in browse.content.decode()
    assert api.json()["is_published"] is False


def test_staff_outside_the_editors_group_see_only_public_films(client, staff_user, imported):
    _curated_list, stalker = imported
    client.force_login(staff_user)

    assert client.get(stalker.get_absolute_url()).status_code == 404


def test_visibility_names_the_films_each_reader_sees(editor, staff_user, imported):
    _curated_list, stalker = imported

    assert stalker not in public_films()
    assert stalker not in visible_films(None)
    assert stalker not in visible_films(staff_user)
    assert stalker in visible_films(editor)


def test_an_editor_publishes_a_film_through_the_api(editor_api, imported):
    _curated_list, stalker = imported

    response = editor_api.patch(
        f"/api/v1/films/{stalker.slug}/", {"is_published": True}, format="json"
    )

    assert response.status_code == 200, response.content
    stalker.refresh_from_db()
    assert stalker.is_published
    assert stalker.verification == Verification.UNVERIFIED
