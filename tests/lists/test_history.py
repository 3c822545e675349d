"""A list's history is whole: each version holds all its entries, says what it changed and
why, and reverting to any version, once confirmed, restores exactly that list."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.admin import REVERT_NOT_CONFIRMED_MESSAGE
from lists.history import describe_entry_changes, record_baseline_history, snapshot_entries
from lists.importing import import_list
from lists.models import CuratedList, CuratedListEntry
from lists.services import reorder_entries
from tests.factories import CuratedListEntryFactory, CuratedListFactory, FilmFactory
from tests.helpers import change_form_data, entry_titles, messages_of

pytestmark = pytest.mark.django_db

FILMS = ["The Irony of Fate", "Office Romance", "The Cranes Are Flying", "Stalker"]


def make_list(titles=FILMS, **kwargs):
    """A published list of `titles` with its first version written (as seed and import do)."""
    curated_list = CuratedListFactory(**kwargs)
    for position, title in enumerate(titles, start=1):
        CuratedListEntryFactory(
            curated_list=curated_list,
            position=position,
            film=FilmFactory(title=title),
            blurb=f"Why {title}.",
        )
    # As `seed` leaves it: the list's one version, written after its entries were loaded.
    curated_list.history.all().delete()
    record_baseline_history("Loaded from seed")
    return curated_list


def change_url(curated_list):
    return reverse("admin:lists_curatedlist_change", args=[curated_list.pk])


def history_url(curated_list):
    return reverse("admin:lists_curatedlist_history", args=[curated_list.pk])


def version_url(curated_list, version):
    return reverse(
        "admin:lists_curatedlist_simple_history", args=[curated_list.pk, version.history_id]
    )


def first_version(curated_list):
    return curated_list.history.order_by("history_date", "history_id").first()


def inline_index(data, title):
    for key, value in data.items():
        if key.startswith("entries-") and key.endswith("-film") and value:
            if CuratedListEntry.objects.filter(film_id=value, film__title=title).exists():
                return key.split("-")[1]
    raise LookupError(title)


def save_in_admin(client, curated_list, order=None, *, remove=(), blurbs=None, **changes):
    """Submit the list's change form: entries in `order`, some removed or re-described."""
    data = change_form_data(client.get(change_url(curated_list)), **changes)
    for position, title in enumerate(order or [], start=1):
        data[f"entries-{inline_index(data, title)}-position"] = str(position)
    for title in remove:
        data[f"entries-{inline_index(data, title)}-DELETE"] = "on"
    for title, blurb in (blurbs or {}).items():
        data[f"entries-{inline_index(data, title)}-blurb_en"] = blurb
    response = client.post(change_url(curated_list), data)
    assert response.status_code == 302, response.context["errors"]
    return response


def add_in_admin(client, curated_list, film):
    data = change_form_data(client.get(change_url(curated_list)))
    index = int(data["entries-TOTAL_FORMS"])
    data["entries-TOTAL_FORMS"] = str(index + 1)
    data[f"entries-{index}-film"] = str(film.pk)
    data[f"entries-{index}-verification"] = "unverified"
    response = client.post(change_url(curated_list), data)
    assert response.status_code == 302, response.context["errors"]


def revert(client, curated_list, version, confirm=True):
    page = client.get(version_url(curated_list, version))
    data = change_form_data(page)
    if confirm:
        data["confirm_revert"] = "yes"
    return client.post(version_url(curated_list, version), data)


def blurbs(curated_list):
    return list(curated_list.entries.order_by("position").values_list("blurb", flat=True))


# --- Versions hold all the entries ------------------------------------------------------


def test_a_version_written_by_the_admin_holds_all_entries_in_their_new_order(editor_client):
    curated_list = make_list()
    save_in_admin(editor_client, curated_list, ["The Cranes Are Flying", *FILMS[:2], FILMS[3]])
    latest = curated_list.history.latest()
    assert [entry["film_title"] for entry in latest.entries_snapshot] == [
        "The Cranes Are Flying",
        "The Irony of Fate",
        "Office Romance",
        "Stalker",
    ]
    assert latest.entries_snapshot == snapshot_entries(curated_list)


def test_reordering_writes_a_version_after_the_entries_moved():
    curated_list = make_list(FILMS[:3])
    a, b, c = curated_list.entries.order_by("position")
    reorder_entries(curated_list, [c.pk, a.pk, b.pk])
    snapshot = curated_list.history.latest().entries_snapshot
    assert [(row["film_title"], row["position"]) for row in snapshot] == [
        ("The Cranes Are Flying", 1),
        ("The Irony of Fate", 2),
        ("Office Romance", 3),
    ]


# --- Reverting --------------------------------------------------------------------------


def test_reverting_to_the_first_version_restores_exactly_that_list(editor_client):
    curated_list = make_list(title="Soviet Films About Love")
    original_blurbs = blurbs(curated_list)
    version = first_version(curated_list)
    save_in_admin(editor_client, curated_list, [FILMS[2], FILMS[0], FILMS[1], FILMS[3]])
    save_in_admin(
        editor_client,
        curated_list,
        remove=["Office Romance"],
        blurbs={"Stalker": "Rewritten."},
        title="Love, Soviet style",
    )
    add_in_admin(editor_client, curated_list, FilmFactory(title="Solaris"))
    assert entry_titles(curated_list) == [FILMS[2], FILMS[0], FILMS[3], "Solaris"]

    response = revert(editor_client, curated_list, version)

    assert response.status_code == 302
    curated_list.refresh_from_db()
    assert curated_list.title == "Soviet Films About Love"
    assert entry_titles(curated_list) == FILMS  # removed entry back, added one gone, order
    assert blurbs(curated_list) == original_blurbs
    assert list(curated_list.entries.values_list("position", flat=True).order_by("position")) == [
        1,
        2,
        3,
        4,
    ]
    assert curated_list.is_published  # publication stays as it is now


def language_columns(curated_list):
    curated_list.refresh_from_db()
    entry = curated_list.entries.get(film__title="Stalker")
    # Blank and missing are the same: no text in that language.
    return tuple(
        text or ""
        for text in (
            curated_list.title_en,
            curated_list.title_ru,
            curated_list.introduction_en,
            curated_list.introduction_ru,
            entry.blurb_en,
            entry.blurb_ru,
        )
    )


@pytest.mark.parametrize("editor_language", ["en", "ru"])
def test_reverting_puts_back_each_languages_text_as_it_was(editor_client, editor_language):
    curated_list = make_list(title="Soviet Films About Love", introduction="Love, Soviet.")
    first = first_version(curated_list)
    as_first = language_columns(curated_list)
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = editor_language
    stalker = curated_list.entries.get(film__title="Stalker")
    data = change_form_data(editor_client.get(change_url(curated_list)))
    data.update(
        title_ru="Советские фильмы о любви",
        introduction_ru="Любовь по-советски.",
        **{f"entries-{inline_index(data, 'Stalker')}-blurb_ru": "Зона."},
    )
    assert editor_client.post(change_url(curated_list), data).status_code == 302
    translated = curated_list.history.latest()
    as_translated = language_columns(curated_list)
    assert as_translated[1::2] == ("Советские фильмы о любви", "Любовь по-советски.", "Зона.")

    assert revert(editor_client, curated_list, first).status_code == 302
    assert language_columns(curated_list) == as_first
    assert revert(editor_client, curated_list, translated).status_code == 302
    assert language_columns(curated_list) == as_translated
    assert stalker.pk in curated_list.entries.values_list("pk", flat=True)


def test_reverting_writes_a_version_that_says_so_and_can_itself_be_undone(editor_client, editor):
    curated_list = make_list()
    save_in_admin(editor_client, curated_list, list(reversed(FILMS)))
    before_revert = curated_list.history.latest()
    revert(editor_client, curated_list, first_version(curated_list))
    latest = curated_list.history.latest()
    assert latest.history_change_reason.startswith("Reverted to the version of ")
    assert latest.history_user == editor
    assert [row["film_title"] for row in latest.entries_snapshot] == FILMS

    revert(editor_client, curated_list, before_revert)
    assert entry_titles(curated_list) == list(reversed(FILMS))


def test_an_unconfirmed_revert_writes_nothing_and_says_why(editor_client):
    curated_list = make_list()
    save_in_admin(editor_client, curated_list, list(reversed(FILMS)), title_en="Changed")
    versions = curated_list.history.count()

    response = revert(editor_client, curated_list, first_version(curated_list), confirm=False)

    assert response.status_code == 302
    assert REVERT_NOT_CONFIRMED_MESSAGE in messages_of(response)
    curated_list.refresh_from_db()
    assert curated_list.title == "Changed"
    assert entry_titles(curated_list) == list(reversed(FILMS))
    assert curated_list.history.count() == versions


def test_someone_who_may_only_view_history_cannot_revert(client, staff_user):
    staff_user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_curatedlist", "view_historicalcuratedlist"])
    )
    client.force_login(staff_user)
    curated_list = make_list(title="Original")
    CuratedList.objects.filter(pk=curated_list.pk).update(title="Changed")
    page = client.get(version_url(curated_list, first_version(curated_list)))
    assert page.status_code == 200
    assert 'name="confirm_revert"' not in page.text

    response = revert(client, curated_list, first_version(curated_list))

    assert response.status_code == 403
    curated_list.refresh_from_db()
    assert curated_list.title == "Changed"


def test_the_revert_page_shows_what_will_change_before_anything_is_written(editor_client):
    curated_list = make_list(title="Original")
    save_in_admin(editor_client, curated_list, [FILMS[2], FILMS[0], FILMS[1], FILMS[3]])
    save_in_admin(editor_client, curated_list, remove=["Stalker"], title_en="Changed")
    versions = curated_list.history.count()

    page = editor_client.get(version_url(curated_list, first_version(curated_list)))

    assert page.status_code == 200
    assert "title: Changed → Original" in page.text
    assert "added Stalker at 4" in page.text
    assert "moved The Cranes Are Flying from 1 to 3" in page.text
    assert 'name="confirm_revert"' in page.text
    assert curated_list.history.count() == versions


# --- Changes and reasons in words --------------------------------------------------------


def test_history_says_which_film_moved_not_the_ones_it_pushed_aside(editor_client):
    curated_list = make_list()
    save_in_admin(editor_client, curated_list, [FILMS[2], FILMS[0], FILMS[1], FILMS[3]])
    page = editor_client.get(history_url(curated_list))
    assert "moved The Cranes Are Flying from 3 to 1" in page.text
    assert "moved The Irony of Fate" not in page.text
    assert "created with 4 films" in page.text


def test_history_names_added_removed_and_rewritten_entries_and_changed_fields(editor_client):
    curated_list = make_list(title="Before")
    save_in_admin(
        editor_client,
        curated_list,
        remove=["Office Romance"],
        blurbs={"Stalker": "New words."},
        title_en="After",
    )
    add_in_admin(editor_client, curated_list, FilmFactory(title="Solaris"))
    page = editor_client.get(history_url(curated_list))
    for line in [
        "title: Before → After",
        "removed Office Romance",
        "changed the blurb of Stalker",
        "added Solaris at 4",
    ]:
        assert line in page.text


def test_every_version_has_a_reason(editor_client):
    curated_list = make_list()
    save_in_admin(editor_client, curated_list, list(reversed(FILMS)), remove=["Stalker"])
    editor_client.post(
        reverse("admin:lists_curatedlist_changelist"),
        {"action": "unpublish_selected", "_selected_action": [curated_list.pk]},
    )
    reasons = set(CuratedList.history.values_list("history_change_reason", flat=True))
    reasons |= set(CuratedListEntry.history.values_list("history_change_reason", flat=True))
    assert {"Loaded from seed", "Edited in the admin", "Unpublished"} <= reasons
    assert not reasons & {None, "", "None"}


def test_a_deleted_lists_last_version_keeps_its_entries():
    curated_list = make_list(FILMS[:2])
    pk = curated_list.pk
    curated_list.delete()
    deleted = CuratedList.history.filter(id=pk).latest()
    assert deleted.history_type == "-"
    assert [row["film_title"] for row in deleted.entries_snapshot] == FILMS[:2]


def test_describing_entry_changes_counts_a_swap_as_one_move():
    def rows(*titles):
        return [
            {"id": i, "film": title, "film_title": title, "position": i, "blurb": ""}
            for i, title in enumerate(titles, start=1)
        ]

    assert describe_entry_changes(rows("a", "b", "c"), rows("b", "a", "c")) in (
        ["moved b from 2 to 1"],
        ["moved a from 1 to 2"],
    )
    assert describe_entry_changes(rows("a", "b", "c", "d"), rows("b", "c", "d", "a")) == [
        "moved a from 1 to 4"
    ]
    assert describe_entry_changes(rows("a", "b"), rows("a", "b")) == []


# --- Imported lists ---------------------------------------------------------------------

LIST_DOCUMENT = """Films to start with.

The Cranes Are Flying (1957)
Description: A love story in wartime.
Fact: Palme d'Or, 1958.

Solaris [Solyaris] (1972)
Description: The ocean remembers.
"""


def test_an_imported_list_has_one_version_holding_all_its_entries_and_its_document():
    report = import_list(LIST_DOCUMENT, filename="start.md")
    curated_list = report.curated_list
    (version,) = curated_list.history.all()
    assert version.history_change_reason == "Imported from start.md"
    assert [row["film_title"] for row in version.entries_snapshot] == [
        "The Cranes Are Flying",
        "Solaris",
    ]
    film_reasons = {entry.film.history.get().history_change_reason for entry in report.entries}
    assert film_reasons == {"Imported from start.md"}
