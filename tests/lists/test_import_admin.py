"""The admin upload page: preview first, write only on confirm, editors who may add lists only."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Credit, CreditRole, Film, Source
from lists.admin_import import FILE_AND_TEXT, NO_DOCUMENT, PICK_A_FILM, PREVIEW_EXPIRED
from lists.models import CuratedList, CuratedListEntry
from tests.factories import CreditFactory, FilmFactory, FilmTitleFactory, PersonFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:lists_curatedlist_import"
OWN_DOCUMENTS = Path(__file__).parent / "import_documents"
LIST_DOCUMENT = b"""Films to start with.

The Cranes Are Flying (1957)
Description: A love story in wartime.
Fact: Palme d'Or, 1958.

Solaris [Solyaris] (1972)
Description: The ocean remembers.
Fact: Shot partly in Tokyo.
"""


def row_counts():
    return [m.objects.count() for m in (Film, Source, CuratedList, CuratedListEntry)]


def upload(client, data=LIST_DOCUMENT, name="starters.txt", **fields):
    document = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(reverse(IMPORT_URL), {"document": document, **fields})


LIST_TEXT = LIST_DOCUMENT.decode()


def paste(client, text=LIST_TEXT, **fields):
    return client.post(reverse(IMPORT_URL), {"text": text, **fields})


def payload_of(response):
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode())[1]


def ticked_credits(response):
    """The director tick boxes the preview shows checked, as a browser would send them."""
    html = response.content.decode()
    return re.findall(r'name="credits" value="([^"]+)" checked', html)


def confirm(client, preview, choices=None, *, credits=None):
    data = {"payload": payload_of(preview), **(choices or {})}
    data["credits"] = ticked_credits(preview) if credits is None else credits
    return client.post(reverse(IMPORT_URL), data)


def test_changelist_links_to_the_import_page(editor_client):
    response = editor_client.get(reverse("admin:lists_curatedlist_changelist"))

    assert reverse(IMPORT_URL).encode() in response.content
    assert b"Import from a document" in response.content


def test_upload_page_shows_the_form(editor_client):
    response = editor_client.get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert b'type="file" name="document"' in response.content


def test_upload_shows_the_report_as_a_preview_and_writes_nothing(editor_client):
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    response = upload(editor_client, title="Where to start")

    assert response.status_code == 200
    assert row_counts() == [1, 0, 0, 0]
    html = response.content.decode()
    assert "List <strong>“Where to start”</strong> (draft) would be created." in html
    assert "1 matched, 1 new, 0 ambiguous" in html
    assert "[Solyaris]" in html
    assert reverse("admin:catalogue_film_change", args=[cranes.pk]) in html
    assert html.count("New film (unverified)") == 1
    assert 'id="confirm-import"' in html


def test_confirm_creates_the_draft_list_and_opens_it(editor_client):
    preview = upload(editor_client, title="Where to start")

    response = editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(preview)})

    curated_list = CuratedList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:lists_curatedlist_change", args=[curated_list.pk])
    assert curated_list.title == "Where to start"
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.source.filename == "starters.txt"
    assert curated_list.source.text == LIST_DOCUMENT.decode()
    assert list(curated_list.entries.values_list("position", "film__title")) == [
        (1, "The Cranes Are Flying"),
        (2, "Solaris"),
    ]


def test_confirming_twice_imports_once(editor_client):
    payload = payload_of(upload(editor_client))
    editor_client.post(reverse(IMPORT_URL), {"payload": payload})
    before = row_counts()

    response = editor_client.post(reverse(IMPORT_URL), {"payload": payload}, follow=True)

    assert row_counts() == before
    assert b"was already imported from this document" in response.content


def test_preview_of_an_imported_document_says_so_and_offers_no_confirm(editor_client):
    editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(upload(editor_client))})

    response = upload(editor_client)

    assert b"This document was already imported" in response.content
    assert b'id="confirm-import"' not in response.content


def test_replace_option_rebuilds_the_entries_on_confirm(editor_client):
    editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(upload(editor_client))})
    CuratedListEntry.objects.filter(position=2).delete()

    preview = upload(editor_client, replace="on")
    editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(preview)})

    assert CuratedListEntry.objects.count() == 2
    assert CuratedList.objects.count() == 1


def test_tampered_payload_is_refused_and_writes_nothing(editor_client):
    payload = payload_of(upload(editor_client))

    response = editor_client.post(reverse(IMPORT_URL), {"payload": payload[:-3] + "abc"})

    assert response.status_code == 200
    assert PREVIEW_EXPIRED.encode() in response.content
    assert row_counts() == [0, 0, 0, 0]


def test_ambiguous_entries_are_shown_and_cannot_be_confirmed_unchosen(editor_client):
    FilmFactory(title="Solaris", release_year=1972)
    FilmFactory(title="Solaris", slug="solaris-1971", release_year=1971)
    preview = upload(editor_client)

    html = preview.content.decode()
    assert "<strong>Ambiguous</strong>" in html
    assert "solaris-1971" in html
    response = confirm(editor_client, preview)

    assert response.status_code == 200
    assert "more than one catalogue film" in response.content.decode()
    assert 'id="confirm-import"' in response.content.decode()  # choose, then confirm again
    assert row_counts() == [2, 0, 0, 0]


def test_an_ambiguous_entry_is_imported_with_the_candidate_the_editor_chose(editor_client):
    FilmFactory(title="Solaris", release_year=1972)
    older = FilmFactory(title="Solaris", slug="solaris-1971", release_year=1971)
    preview = upload(editor_client)

    confirm(editor_client, preview, {"choice-2": f"film:{older.pk}"})

    assert CuratedListEntry.objects.get(position=2).film == older


def test_listicle_preview_lists_credit_proposals_and_boilerplate(editor_client):
    data = (OWN_DOCUMENTS / "listicle-with-boilerplate.txt").read_bytes()

    response = upload(editor_client, data=data, name="comedies.txt")

    html = response.content.decode()
    assert "Semyon Semyonovich (Yuri Nikulin)" in html
    assert "Khmyr (Georgy Vitsin)\n          — ambiguous, not created" in html
    assert "lines left out as boilerplate" in html


BAD_UPLOADS = {
    "empty": (b"", "The submitted file is empty."),
    "binary junk": (bytes(range(256)) * 4, "the document contains binary data"),
    "UTF-16": ("Solaris (1972)\nDescription: x\n".encode("utf-16"), "encoded as UTF-16"),
    "Latin-1": (
        "Intro.\n\nSolaris (1972)\nDescription: Café\n".encode("latin-1"),
        "Line 4: byte 0xE9 at column 17 is not valid UTF-8",
    ),
    "no entries": (b"An article.\n\nNo list here.\n", "No list entries found"),
    "entry without a year": (
        b"Solaris (1972)\nDescription: a\n\nStalker\nDescription: b\n",
        "Line 4: the entry &#x27;Stalker&#x27; has no year",
    ),
    "entry without a title": (b"(1972)\nDescription: a\n", "Line 1: the entry has a year (1972)"),
    "10 MB": (b"Solaris (1972)\nDescription: x\n" * 350_000, "accepts at most 1,000,000 bytes"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_upload_shows_a_clear_error_and_writes_nothing(editor_client, case):
    data, message = BAD_UPLOADS[case]

    response = upload(editor_client, data=data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert b'id="confirm-import"' not in response.content
    assert row_counts() == [0, 0, 0, 0]


def test_upload_without_a_file_or_text_asks_for_one(editor_client):
    response = editor_client.post(reverse(IMPORT_URL), {"title": "No file"})

    assert response.status_code == 200
    assert NO_DOCUMENT.encode() in response.content


def test_a_file_and_pasted_text_at_once_are_refused(editor_client):
    response = upload(editor_client, text=LIST_TEXT)

    assert FILE_AND_TEXT.encode() in response.content
    assert row_counts() == [0, 0, 0, 0]


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_permission_to_add_lists_are_refused(client, django_user_model):
    staff = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_curatedlist"))
    client.force_login(staff)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client).status_code == 403
    assert row_counts() == [0, 0, 0, 0]


def test_staff_with_permission_to_add_lists_may_import(client, django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_curatedlist", "change_curatedlist"])
    )
    client.force_login(staff)

    preview = upload(client)
    client.post(reverse(IMPORT_URL), {"payload": payload_of(preview)})

    assert CuratedList.objects.count() == 1


@pytest.mark.parametrize("film_count", [2, 20])
def test_preview_query_count_does_not_grow_with_the_document(
    editor_client, django_assert_num_queries, film_count
):
    for number in range(film_count):
        FilmTitleFactory(film=FilmFactory(title=f"Film {number}", release_year=1970))
    document = "".join(f"Film {n} (1970)\nDescription: d\n\n" for n in range(film_count))
    document += "A new film (1970)\nDescription: not in the catalogue\n"

    # session, user; the editor's own and group permissions (an editor, not a superuser);
    # savepoint (import_list is atomic); the Source with this digest;
    # films of 1969-1971; their alternative titles; release savepoint.
    with django_assert_num_queries(9):
        response = upload(editor_client, data=document.encode())

    assert f"{film_count} matched, 1 new" in response.content.decode()


# --- Pasting a document -------------------------------------------------------------------


def test_upload_page_offers_a_paste_box(editor_client):
    response = editor_client.get(reverse(IMPORT_URL))

    assert b'<textarea name="text"' in response.content


def test_pasted_text_is_previewed_then_imported(editor_client):
    preview = paste(
        editor_client, text=LIST_DOCUMENT.decode().replace("\n", "\r\n"), title="Starters"
    )

    assert "(pasted text)" in preview.content.decode()
    assert row_counts() == [0, 0, 0, 0]
    confirm(editor_client, preview)

    curated_list = CuratedList.objects.get()
    assert curated_list.title == "Starters"
    assert curated_list.source.text == LIST_DOCUMENT.decode()
    assert curated_list.entries.count() == 2


def test_pasted_text_that_is_no_list_shows_the_error_by_the_paste_box(editor_client):
    response = paste(editor_client, text="An article.\n\nNo list here.\n")

    assert b"No list entries found" in response.content
    assert row_counts() == [0, 0, 0, 0]


def test_a_blank_paste_is_no_document(editor_client):
    response = paste(editor_client, text="   \n  ")

    assert NO_DOCUMENT.encode() in response.content


# --- The editor's choice per line ---------------------------------------------------------


def test_preview_offers_a_choice_for_every_line(editor_client):
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    html = upload(editor_client).content.decode()

    assert f"Use {cranes}" in html
    assert 'name="choice-1"' in html and 'name="choice-2"' in html
    assert 'name="film-1"' in html  # the autocomplete for another film
    assert "Skip this line" in html


def test_a_matched_line_can_be_pointed_at_another_film(editor_client):
    FilmFactory(title="The Cranes Are Flying", release_year=1957)
    other = FilmFactory(title="Letter Never Sent", release_year=1959)
    preview = upload(editor_client)

    confirm(editor_client, preview, {"choice-1": "other", "film-1": other.pk})

    assert CuratedListEntry.objects.get(position=1).film == other
    assert Film.objects.count() == 3  # Solaris is new; no film for the Cranes line


def test_a_matched_line_can_be_forced_to_a_new_film(editor_client):
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)
    preview = upload(editor_client)

    confirm(editor_client, preview, {"choice-1": "new"})

    entry = CuratedListEntry.objects.get(position=1)
    assert entry.film != cranes
    assert entry.film.title == "The Cranes Are Flying"
    assert entry.film.verification == "unverified"


def test_a_skipped_line_makes_no_entry_and_leaves_no_gap(editor_client):
    preview = upload(editor_client)

    response = confirm(editor_client, preview, {"choice-1": "skip"}, credits=[])

    entries = list(CuratedListEntry.objects.values_list("position", "film__title"))
    assert entries == [(1, "Solaris")]
    assert Film.objects.count() == 1
    message = editor_client.get(response["Location"]).content.decode()
    assert "1 line skipped" in message


def test_another_film_without_a_film_picked_asks_for_one_and_writes_nothing(editor_client):
    preview = upload(editor_client)

    response = confirm(editor_client, preview, {"choice-2": "other"})

    assert response.status_code == 200
    assert str(PICK_A_FILM) in response.content.decode()
    assert 'id="confirm-import"' in response.content.decode()
    assert row_counts() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    "choices",
    [{"choice-1": "burn"}, {"choice-1": "film:abc"}, {"film-1": "99999999999999999999"}],
    ids=["unknown choice", "bad film id", "huge film id"],
)
def test_forged_choices_are_refused_with_a_message(editor_client, choices):
    preview = upload(editor_client)

    response = confirm(editor_client, preview, choices)

    assert response.status_code == 200
    assert b"correct the choices marked below" in response.content
    assert row_counts() == [0, 0, 0, 0]


def test_a_chosen_film_that_no_longer_exists_is_a_clear_error(editor_client):
    preview = upload(editor_client)

    response = confirm(editor_client, preview, {"choice-1": "film:424242"})

    assert response.status_code == 200
    assert "is no longer in the catalogue" in response.content.decode()
    assert row_counts() == [0, 0, 0, 0]


def test_choosing_the_same_film_for_two_lines_is_a_clear_error(editor_client):
    other = FilmFactory(title="Letter Never Sent", release_year=1959)
    preview = upload(editor_client)

    response = confirm(
        editor_client,
        preview,
        {"choice-1": "other", "film-1": other.pk, "choice-2": "other", "film-2": other.pk},
    )

    assert response.status_code == 200
    assert "a list holds each film once" in response.content.decode()
    assert row_counts() == [1, 0, 0, 0]


# --- Directors named in the prose ---------------------------------------------------------

PROSE = """Tarkovsky at his best

Stalker (1979)

Andrei Tarkovsky's Stalker follows three men into the Zone.

Mirror [Zerkalo] (1975)

A film directed by Andrei Tarkovsky about his own childhood; Vadim Yusov's Mirror is not a thing.
"""


@pytest.fixture
def tarkovsky():
    return PersonFactory(name="Andrei Tarkovsky")


def test_preview_proposes_the_director_the_prose_names(editor_client, tarkovsky):
    html = paste(editor_client, text=PROSE).content.decode()

    assert html.count("Director: Andrei Tarkovsky") == 2
    assert "will be credited as director (unverified)" in html
    assert html.count('name="credits"') == 2


def test_confirm_credits_the_ticked_directors_unverified(editor_client, tarkovsky):
    preview = paste(editor_client, text=PROSE)

    response = confirm(editor_client, preview)

    credits = Credit.objects.filter(person=tarkovsky, role=CreditRole.DIRECTOR)
    assert sorted(credits.values_list("film__title", flat=True)) == ["Mirror", "Stalker"]
    assert {credit.verification for credit in credits} == {"unverified"}
    assert "2 directors credited" in editor_client.get(response["Location"]).content.decode()


def test_an_unticked_director_is_not_credited(editor_client, tarkovsky):
    preview = paste(editor_client, text=PROSE)

    confirm(editor_client, preview, credits=["1:0"])

    assert list(Credit.objects.values_list("film__title", flat=True)) == ["Stalker"]


def test_a_director_already_credited_on_a_matched_film_is_not_proposed_again(
    editor_client, tarkovsky
):
    stalker = FilmFactory(title="Stalker", release_year=1979)
    CreditFactory(film=stalker, person=tarkovsky, role=CreditRole.DIRECTOR, character="")

    preview = paste(editor_client, text=PROSE)

    assert "already credited as director" in preview.content.decode()
    assert ticked_credits(preview) == ["2:0"]


def test_a_name_not_in_the_catalogue_is_shown_but_not_proposed(editor_client):
    html = paste(editor_client, text=PROSE).content.decode()

    assert "not in the catalogue: add the person to credit them" in html
    assert 'name="credits"' not in html


@pytest.mark.parametrize("film_count", [2, 20])
def test_preview_with_directors_named_makes_two_queries_more_whatever_their_number(
    editor_client, django_assert_num_queries, film_count
):
    director = PersonFactory(name="Andrei Tarkovsky")
    for number in range(film_count):
        film = FilmFactory(title=f"Film {number}", release_year=1970)
        CreditFactory(film=film, person=director, role=CreditRole.DIRECTOR, character="")
    document = "".join(
        f"Film {n} (1970)\n\nAndrei Tarkovsky's Film {n} is a film.\n\n" for n in range(film_count)
    )

    # As above, plus: the people named (one query for every name), and which of the
    # matched films already credit them.
    with django_assert_num_queries(11):
        response = paste(editor_client, text=document)

    assert response.content.decode().count("already credited as director") == film_count
