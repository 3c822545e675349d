"""/api/v1/lists/: published lists for everyone, drafts for editors, entries in order,
the Letterboxd CSV export, and editors' writes."""

import csv
import io

import pytest

from lists.importing.parsers import parse_document
from lists.models import CuratedList, CuratedListEntry
from tests.helpers import error_fields, slugs

LOVE = "/api/v1/lists/soviet-love/"


def test_visitors_see_published_lists_only(api, catalogue):
    assert slugs(api.get("/api/v1/lists/")) == ["soviet-love"]
    assert api.get("/api/v1/lists/work-in-progress/").status_code == 404


def test_editors_see_drafts(editor_api, catalogue):
    assert sorted(slugs(editor_api.get("/api/v1/lists/"))) == ["soviet-love", "work-in-progress"]
    assert editor_api.get("/api/v1/lists/work-in-progress/").status_code == 200


def test_list_rows_count_their_entries(api, catalogue):
    assert api.get("/api/v1/lists/").json()["results"][0]["entry_count"] == 2


def test_list_filters(api, catalogue):
    assert slugs(api.get("/api/v1/lists/", {"film": "the-irony-of-fate"})) == ["soviet-love"]
    assert slugs(api.get("/api/v1/lists/", {"film": "brother"})) == []
    assert slugs(api.get("/api/v1/lists/", {"featured": "true"})) == []
    assert slugs(api.get("/api/v1/lists/", {"q": "love"})) == ["soviet-love"]
    assert api.get("/api/v1/lists/", {"featured": "maybe"}).status_code == 400


def test_detail_has_entries_in_order_with_blurb_fact_and_film(api, catalogue):
    body = api.get(LOVE).json()
    assert body["id"] == catalogue.love.id
    entries = body["entries"]
    assert [(e["position"], e["film"]["slug"]) for e in entries] == [
        (1, "the-irony-of-fate"),
        (2, "moscow-does-not-believe-in-tears"),
    ]
    tears = entries[1]
    assert tears["blurb"] == "Three women."
    assert tears["fact"] == "A fact."
    assert tears["verification"] == "unverified"
    assert tears["film"]["directors"][0]["slug"] == "menshov"
    assert tears["film"]["imdb_id"] == "tt0079579"


LOVE_EXPORT = "/api/v1/lists/soviet-love/export.csv"


def test_letterboxd_export_fills_the_letterboxd_uri_when_known(api, catalogue):
    catalogue.tears.letterboxd_id = "moscow-does-not-believe-in-tears"
    catalogue.tears.save()
    rows = list(csv.DictReader(io.StringIO(api.get(LOVE_EXPORT).content.decode())))
    assert [row["LetterboxdURI"] for row in rows] == [
        "",
        "https://letterboxd.com/film/moscow-does-not-believe-in-tears/",
    ]


def test_export_then_import_keeps_every_blurb(api, catalogue):
    exported = api.get(LOVE_EXPORT).content.decode()
    document = parse_document(exported, filename="soviet-love.csv")
    assert [(e.title, e.year, e.blurb) for e in document.entries] == [
        ("The Irony of Fate", 1975, "New Year."),
        ("Moscow Does Not Believe in Tears", 1979, "Three women."),
    ]


def test_letterboxd_export(api, catalogue):
    response = api.get("/api/v1/lists/soviet-love/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="soviet-love.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows == [
        ["Position", "Title", "Year", "Directors", "imdbID", "tmdbID", "LetterboxdURI", "Review"],
        ["1", "The Irony of Fate", "1975", "Eldar Ryazanov", "", "", "", "New Year."],
        [
            "2",
            "Moscow Does Not Believe in Tears",
            "1979",
            "Vladimir Menshov",
            "tt0079579",
            "21028",
            "",
            "Three women.",
        ],
    ]


def test_draft_list_export_is_hidden_from_visitors(api, catalogue):
    response = api.get("/api/v1/lists/work-in-progress/export.csv")
    assert response.status_code == 404
    assert "detail" in error_fields(response)


def test_list_detail_etag_and_304(api, catalogue):
    etag = api.get(LOVE)["ETag"]
    assert api.get(LOVE, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- Writes ---


def test_anonymous_cannot_create_a_list(api, catalogue):
    assert api.post("/api/v1/lists/", {"title": "Mine"}, format="json").status_code == 401
    assert not CuratedList.objects.filter(title="Mine").exists()


def test_editor_creates_and_publishes_a_list(editor_api, catalogue):
    response = editor_api.post("/api/v1/lists/", {"title": "Soviet sci-fi"}, format="json")
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert CuratedList.objects.get(slug=slug).status == CuratedList.Status.DRAFT
    response = editor_api.patch(
        f"/api/v1/lists/{slug}/",
        {"status": "published", "published_at": "2024-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_a_created_list_answers_as_a_get_of_it_does(editor_api, catalogue):
    created = editor_api.post("/api/v1/lists/", {"title": "Soviet sci-fi"}, format="json")
    assert created.status_code == 201, created.json()

    read = editor_api.get(created["Location"])
    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_updated_list_answers_as_a_get_of_it_does_with_its_entries(
    editor_api, catalogue, method
):
    updated = getattr(editor_api, method)(LOVE, {"title": "Love, Soviet style"}, format="json")
    assert updated.status_code == 200, updated.json()

    read = editor_api.get(LOVE)
    assert updated.json() == read.json()
    assert updated.json()["entries"]
    assert updated["ETag"] == read["ETag"]


def test_publishing_without_a_date_is_a_400(editor_api, catalogue):
    response = editor_api.patch(
        "/api/v1/lists/work-in-progress/", {"status": "published"}, format="json"
    )
    assert response.status_code == 400
    assert "A published list needs a publication date." in str(response.json())
    catalogue.draft.refresh_from_db()
    assert catalogue.draft.status == CuratedList.Status.DRAFT


def test_editor_adds_an_entry(editor_api, catalogue):
    response = editor_api.post(
        f"{LOVE}entries/",
        {"film": "garage", "position": 3, "blurb": "Office comedy."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry = CuratedListEntry.objects.get(curated_list=catalogue.love, film=catalogue.garage)
    assert (entry.position, entry.blurb) == (3, "Office comedy.")


def test_editor_changes_an_entry(editor_api, catalogue):
    entry = catalogue.love.entries.get(position=2)
    response = editor_api.patch(
        f"{LOVE}entries/{entry.pk}/", {"verification": "disputed"}, format="json"
    )
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert entry.verification == "disputed"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"film": "garage", "position": 1}, "non_field_errors"),  # position 1 is taken
        ({"film": "the-irony-of-fate", "position": 9}, "non_field_errors"),  # already listed
        ({"film": "no-such-film", "position": 9}, "film"),
        ({"film": "garage", "position": 0}, "position"),
        ({"film": "garage", "position": 99999}, "position"),
        ({"film": "garage"}, "position"),
    ],
)
def test_invalid_entry_is_a_400_and_nothing_is_written(editor_api, catalogue, payload, field):
    before = CuratedListEntry.objects.count()
    response = editor_api.post(f"{LOVE}entries/", payload, format="json")
    assert response.status_code == 400
    assert field in error_fields(response), response.json()
    assert CuratedListEntry.objects.count() == before


def test_anonymous_cannot_add_an_entry(api, catalogue):
    response = api.post(f"{LOVE}entries/", {"film": "garage", "position": 3}, format="json")
    assert response.status_code == 401


def test_entry_in_unknown_list_is_a_404(editor_api, catalogue):
    response = editor_api.post(
        "/api/v1/lists/nope/entries/", {"film": "garage", "position": 3}, format="json"
    )
    assert response.status_code == 404


def test_absurd_entry_id_is_a_404(editor_api, catalogue):
    response = editor_api.patch(f"{LOVE}entries/99999999999999999999999/", {}, format="json")
    assert response.status_code == 404
