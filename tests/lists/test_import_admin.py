"""The admin upload page: preview first, write only on confirm, editors who may add lists only."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Film, Source
from lists.admin_import import PREVIEW_EXPIRED
from lists.models import CuratedList, CuratedListEntry
from tests.factories import FilmFactory, FilmTitleFactory

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


@pytest.fixture
def editor_client(client, superuser):
    client.force_login(superuser)
    return client


def row_counts():
    return [m.objects.count() for m in (Film, Source, CuratedList, CuratedListEntry)]


def upload(client, data=LIST_DOCUMENT, name="starters.txt", **fields):
    document = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(reverse(IMPORT_URL), {"document": document, **fields})


def payload_of(response):
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode())[1]


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
    assert "<td>Solyaris</td>" in html
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


def test_ambiguous_entries_are_shown_and_cannot_be_confirmed(editor_client):
    FilmFactory(title="Solaris", release_year=1972)
    FilmFactory(title="Solaris", slug="solaris-1971", release_year=1971)

    response = upload(editor_client)

    html = response.content.decode()
    assert "<strong>Ambiguous</strong>" in html
    assert "solaris-1971" in html
    assert 'id="confirm-import"' not in html


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


def test_upload_without_a_file_asks_for_one(editor_client):
    response = editor_client.post(reverse(IMPORT_URL), {"title": "No file"})

    assert response.status_code == 200
    assert b"This field is required." in response.content


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

    # session, user; savepoint (import_list is atomic); the Source with this digest;
    # films of 1969-1971; their alternative titles; release savepoint.
    with django_assert_num_queries(7):
        response = upload(editor_client, data=document.encode())

    assert f"{film_count} matched, 1 new" in response.content.decode()
