"""Trust marks: wherever the site shows a claim the editors doubt (an unverified or disputed
film, list entry, award, credit, fact), it carries its badge and the editors' note, and a
win nobody confirmed is never shown, or stated to search engines, as a bare "Won"."""

import json

import pytest
from django.urls import reverse

from catalogue.models import AwardOutcome, CreditRole, Verification
from tests.factories import (
    AwardFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.helpers import json_ld

pytestmark = pytest.mark.django_db

UNTRACED = "No trace of this film outside the list."


def main_html(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def untraced_film(**fields):
    return FilmFactory(
        title="The Violinist",
        verification=Verification.UNVERIFIED,
        verification_note=UNTRACED,
        **fields,
    )


def test_unverified_film_page_says_so_with_the_editors_note(client):
    film = untraced_film()

    html = main_html(client.get(film.get_absolute_url()))

    assert '<span class="badge badge--unverified">Unverified film</span>' in html
    assert f"<strong>Not verified:</strong> {UNTRACED}" in html


def test_confirmed_film_page_carries_no_mark(client):
    film = FilmFactory(verification=Verification.CONFIRMED)

    html = main_html(client.get(film.get_absolute_url()))

    assert "badge--unverified" not in html and "badge--disputed" not in html


def test_list_page_marks_the_doubtful_film_and_its_entry(client):
    entry = CuratedListEntryFactory(
        film=untraced_film(),
        verification=Verification.UNVERIFIED,
        verification_note="The blurb is not checked.",
    )

    html = main_html(client.get(entry.curated_list.get_absolute_url()))

    assert "Unverified film" in html
    assert "<strong>Not verified:</strong> The blurb is not checked." in html


def test_list_page_gives_the_films_note_when_its_entry_has_none(client):
    entry = CuratedListEntryFactory(film=untraced_film(), verification=Verification.CONFIRMED)

    html = main_html(client.get(entry.curated_list.get_absolute_url()))

    assert f"<strong>About the film:</strong> {UNTRACED}" in html


def test_browse_card_marks_a_doubtful_film_with_its_note(client):
    untraced_film()

    html = main_html(client.get(reverse("catalogue:film-browse")))

    assert "Unverified film" in html and UNTRACED in html


def test_search_result_marks_a_doubtful_film(client):
    untraced_film()

    html = main_html(client.get(reverse("catalogue:search"), {"q": "violinist"}))

    assert "Unverified film" in html and UNTRACED in html


def test_person_page_marks_a_doubtful_film_and_a_disputed_credit(client):
    person = PersonFactory(verification=Verification.CONFIRMED)
    CreditFactory(person=person, film=untraced_film(), role=CreditRole.DIRECTOR)
    CreditFactory(
        person=person,
        role=CreditRole.WRITER,
        verification=Verification.DISPUTED,
        verification_note="He did not write it.",
    )

    html = main_html(client.get(person.get_absolute_url()))

    assert "Unverified film" in html
    assert "<strong>Correction:</strong> He did not write it." in html


@pytest.fixture
def disputed_win():
    return AwardFactory(
        film=FilmFactory(verification=Verification.CONFIRMED),
        organisation=OrganisationFactory(name="BAFTA"),
        ceremony_year=2018,
        category="Outstanding British Film",
        outcome=AwardOutcome.WON,
        verification=Verification.DISPUTED,
        verification_note="It was nominated, not a winner.",
    )


@pytest.mark.parametrize("page", ["film", "awards", "person"])
def test_a_disputed_win_never_reads_won(client, disputed_win, page):
    disputed_win.person = PersonFactory()
    disputed_win.save()
    url = {
        "film": disputed_win.film.get_absolute_url(),
        "awards": reverse("catalogue:award-index"),
        "person": disputed_win.person.get_absolute_url(),
    }[page]

    html = main_html(client.get(url))

    assert "Won (disputed)" in html or "won (disputed)" in html
    assert ">Won</strong>" not in html and ">won</strong>" not in html
    assert "<strong>Correction:</strong> It was nominated, not a winner." in html


def test_a_confirmed_win_reads_won(client):
    award = AwardFactory(outcome=AwardOutcome.WON, verification=Verification.CONFIRMED)

    html = main_html(client.get(award.film.get_absolute_url()))

    assert '<strong class="outcome outcome--won">Won</strong>' in html


def test_structured_data_claims_only_confirmed_wins(client, disputed_win):
    film = disputed_win.film
    AwardFactory(
        film=film,
        organisation=OrganisationFactory(name="Academy Awards"),
        ceremony_year=1981,
        category="Best Foreign Language Film",
        outcome=AwardOutcome.WON,
        verification=Verification.CONFIRMED,
    )
    AwardFactory(film=film, outcome=AwardOutcome.WON, verification=Verification.UNVERIFIED)
    AwardFactory(film=film, outcome=AwardOutcome.NOMINATED, verification=Verification.CONFIRMED)

    movie = json.loads(json_ld(client.get(film.get_absolute_url()).content.decode()))

    assert movie["award"] == ["Academy Awards 1981: Best Foreign Language Film"]


def test_home_list_card_without_introduction_says_what_it_holds(client):
    CuratedListFactory(title="Imported list", introduction="")

    html = main_html(client.get(reverse("lists:home")))

    assert "A list of 0 films." in html
