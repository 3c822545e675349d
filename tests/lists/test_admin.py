"""The curated list admin: ordering entries, bad input, publishing, preview, history."""

import pytest
from django.urls import reverse

from lists.admin import (
    DUPLICATE_FILM_MESSAGE,
    DUPLICATE_POSITION_MESSAGE,
    PUBLISHED_LIST_DELETE_MESSAGE,
)
from lists.models import CuratedList
from lists.services import EMPTY_LIST_MESSAGE, reorder_entries
from tests.factories import (
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
)
from tests.helpers import change_form_data, entry_titles, messages_of

pytestmark = pytest.mark.django_db


def make_list(size=3, factory=DraftListFactory, **kwargs):
    curated_list = factory(**kwargs)
    for position in range(1, size + 1):
        CuratedListEntryFactory(
            curated_list=curated_list, position=position, film=FilmFactory(title=f"Film {position}")
        )
    return curated_list


def positions(curated_list):
    return list(curated_list.entries.order_by("position").values_list("position", flat=True))


def change_url(curated_list):
    return reverse("admin:lists_curatedlist_change", args=[curated_list.pk])


def form_index(data, title):
    """The inline form index of the entry showing the film `title`."""
    for key, value in data.items():
        if key.startswith("entries-") and key.endswith("-film"):
            from catalogue.models import Film

            if Film.objects.get(pk=value).title == title:
                return key.split("-")[1]
    raise LookupError(title)


# --- Ordering entries through the change form ------------------------------------------


def post_with_order(client, curated_list, order, **changes):
    """Submit the change form as the drag and drop leaves it: positions in `order`."""
    data = change_form_data(client.get(change_url(curated_list)), **changes)
    for position, title in enumerate(order, start=1):
        data[f"entries-{form_index(data, title)}-position"] = str(position)
    return client.post(change_url(curated_list), data)


def test_saving_a_new_order_stores_it_with_contiguous_positions(editor_client):
    curated_list = make_list(3)
    response = post_with_order(editor_client, curated_list, ["Film 3", "Film 1", "Film 2"])
    assert response.status_code == 302
    assert entry_titles(curated_list) == ["Film 3", "Film 1", "Film 2"]
    assert positions(curated_list) == [1, 2, 3]


def test_deleting_an_entry_closes_the_gap(editor_client):
    curated_list = make_list(3)
    data = change_form_data(editor_client.get(change_url(curated_list)))
    data[f"entries-{form_index(data, 'Film 2')}-DELETE"] = "on"
    editor_client.post(change_url(curated_list), data)
    assert entry_titles(curated_list) == ["Film 1", "Film 3"]
    assert positions(curated_list) == [1, 2]


def test_a_new_entry_goes_to_the_end(editor_client):
    curated_list = make_list(2)
    newcomer = FilmFactory(title="Newcomer")
    data = change_form_data(editor_client.get(change_url(curated_list)))
    data.update(
        {
            "entries-TOTAL_FORMS": "3",
            "entries-2-film": str(newcomer.pk),
            "entries-2-blurb_en": "New blurb.",
            "entries-2-verification": "unverified",
        }
    )
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 302
    assert entry_titles(curated_list) == ["Film 1", "Film 2", "Newcomer"]
    assert positions(curated_list) == [1, 2, 3]


def test_editing_a_blurb_and_a_fact_keeps_the_order(editor_client):
    curated_list = make_list(2)
    data = change_form_data(editor_client.get(change_url(curated_list)))
    index = form_index(data, "Film 2")
    data[f"entries-{index}-blurb_en"] = "A better blurb."
    data[f"entries-{index}-fact_en"] = "A better fact."
    editor_client.post(change_url(curated_list), data)
    entry = curated_list.entries.get(position=2)
    assert (entry.blurb, entry.fact) == ("A better blurb.", "A better fact.")


def test_duplicate_positions_are_refused_and_nothing_is_saved(editor_client):
    curated_list = make_list(3)
    data = change_form_data(editor_client.get(change_url(curated_list)), title_en="Renamed")
    data[f"entries-{form_index(data, 'Film 3')}-position"] = "1"
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 200
    assert DUPLICATE_POSITION_MESSAGE.format(position=1) in response.text
    curated_list.refresh_from_db()
    assert curated_list.title != "Renamed"
    assert entry_titles(curated_list) == ["Film 1", "Film 2", "Film 3"]


def test_a_film_twice_in_one_list_is_refused_and_nothing_is_saved(editor_client):
    curated_list = make_list(2)
    film = curated_list.entries.get(position=1).film
    data = change_form_data(editor_client.get(change_url(curated_list)), title_en="Renamed")
    data[f"entries-{form_index(data, 'Film 2')}-film"] = str(film.pk)
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 200
    assert DUPLICATE_FILM_MESSAGE.format(film=film) in response.text
    curated_list.refresh_from_db()
    assert curated_list.title != "Renamed"
    assert entry_titles(curated_list) == ["Film 1", "Film 2"]


def test_the_change_form_offers_drag_and_drop(editor_client):
    response = editor_client.get(change_url(make_list(2)))
    assert 'class="module sortable' in response.text or "sortable" in response.text
    assert "adminsortable2/js/adminsortable2" in response.text
    assert "_reorder_" in response.text


# --- Publishing and preview ---------------------------------------------------------------


def run_action(client, action, *lists):
    return client.post(
        reverse("admin:lists_curatedlist_changelist"),
        {"action": action, "_selected_action": [curated_list.pk for curated_list in lists]},
        follow=True,
    )


def test_publish_action_publishes_and_dates_the_lists(editor_client):
    first, second = make_list(1), make_list(1)
    run_action(editor_client, "publish_selected", first, second)
    for curated_list in (first, second):
        curated_list.refresh_from_db()
        assert curated_list.is_published
        assert curated_list.published_at is not None


def test_publish_action_reports_an_empty_list_and_publishes_the_rest(editor_client):
    empty, full = DraftListFactory(title="Empty"), make_list(1)
    response = run_action(editor_client, "publish_selected", empty, full)
    assert f"“Empty”: {EMPTY_LIST_MESSAGE}" in messages_of(response)
    empty.refresh_from_db()
    full.refresh_from_db()
    assert (empty.is_published, full.is_published) == (False, True)


def test_unpublish_action_turns_lists_back_into_drafts(editor_client):
    curated_list = make_list(1, factory=CuratedListFactory)
    run_action(editor_client, "unpublish_selected", curated_list)
    curated_list.refresh_from_db()
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.published_at is None


def test_save_and_publish_button_saves_the_form_then_publishes(editor_client):
    curated_list = make_list(2)
    data = change_form_data(editor_client.get(change_url(curated_list)), title_en="Ready")
    data["_publish"] = "Save and publish"
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 302
    curated_list.refresh_from_db()
    assert (curated_list.title, curated_list.is_published) == ("Ready", True)


def test_a_list_titled_only_in_russian_saves_and_publishes_from_its_form(editor_client):
    curated_list = make_list(2, title_en=None, title_ru="Лучшие советские комедии")
    data = change_form_data(editor_client.get(change_url(curated_list)))
    data["_publish"] = "Save and publish"
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 302
    curated_list.refresh_from_db()
    assert not curated_list.title_en
    assert (curated_list.title_ru, curated_list.is_published) == ("Лучшие советские комедии", True)


def test_a_list_with_no_title_in_any_language_is_refused_and_nothing_is_saved(editor_client):
    curated_list = make_list(2, title="Kept")
    data = change_form_data(editor_client.get(change_url(curated_list)), title_en="", title_ru="")
    response = editor_client.post(change_url(curated_list), data)
    assert response.status_code == 200
    assert "Write this in at least one language." in response.text
    curated_list.refresh_from_db()
    assert curated_list.title == "Kept"


def test_status_cannot_be_edited_directly_in_the_form(editor_client):
    curated_list = make_list(1)
    data = change_form_data(editor_client.get(change_url(curated_list)), status="published")
    editor_client.post(change_url(curated_list), data)
    curated_list.refresh_from_db()
    assert curated_list.status == CuratedList.Status.DRAFT


def test_change_form_links_to_the_public_page_for_a_preview(editor_client):
    curated_list = make_list(1)
    response = editor_client.get(change_url(curated_list))
    assert f'href="{curated_list.get_absolute_url()}"' in response.text
    assert "Preview as visitors see it" in response.text


def test_draft_preview_shows_to_editors_but_not_to_visitors(client, editor):
    curated_list = make_list(1)
    assert client.get(curated_list.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert client.get(curated_list.get_absolute_url()).status_code == 200


# --- Deleting ---------------------------------------------------------------------------


def test_editor_cannot_delete_a_published_list(editor_client):
    curated_list = make_list(1, factory=CuratedListFactory)
    url = reverse("admin:lists_curatedlist_delete", args=[curated_list.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert PUBLISHED_LIST_DELETE_MESSAGE in messages_of(response)
    assert CuratedList.objects.filter(pk=curated_list.pk).exists()


def test_editor_cannot_bulk_delete_a_published_list(editor_client):
    published, draft = make_list(1, factory=CuratedListFactory), make_list(1)
    editor_client.post(
        reverse("admin:lists_curatedlist_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"},
    )
    assert CuratedList.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


def test_editor_deletes_a_draft_list(editor_client):
    curated_list = make_list(1)
    url = reverse("admin:lists_curatedlist_delete", args=[curated_list.pk])
    editor_client.post(url, {"post": "yes"})
    assert not CuratedList.objects.filter(pk=curated_list.pk).exists()


def test_superuser_deletes_a_published_list(client, superuser):
    client.force_login(superuser)
    curated_list = make_list(1, factory=CuratedListFactory)
    client.post(reverse("admin:lists_curatedlist_delete", args=[curated_list.pk]), {"post": "yes"})
    assert not CuratedList.objects.filter(pk=curated_list.pk).exists()


# --- History and revert -----------------------------------------------------------------


def test_history_shows_who_changed_the_list(editor_client, editor):
    curated_list = make_list(2)
    post_with_order(editor_client, curated_list, ["Film 2", "Film 1"], title_en="Retitled")
    response = editor_client.get(reverse("admin:lists_curatedlist_history", args=[curated_list.pk]))
    assert response.status_code == 200
    assert "Retitled" in response.text
    assert editor.username in response.text
    assert curated_list.entries.get(position=1).history.latest().history_user == editor


def test_reverting_a_version_restores_its_order_but_not_its_publication(editor_client):
    curated_list = make_list(3, factory=CuratedListFactory, title="Original")
    reorder_entries(
        curated_list, list(curated_list.entries.order_by("position").values_list("pk", flat=True))
    )
    version = curated_list.history.latest()
    post_with_order(editor_client, curated_list, ["Film 3", "Film 2", "Film 1"], title="Changed")
    editor_client.post(
        reverse("admin:lists_curatedlist_changelist"),
        {"action": "unpublish_selected", "_selected_action": [curated_list.pk]},
    )
    assert entry_titles(curated_list) == ["Film 3", "Film 2", "Film 1"]

    url = reverse(
        "admin:lists_curatedlist_simple_history", args=[curated_list.pk, version.history_id]
    )
    page = editor_client.get(url)
    assert "Films in this version, in order" in page.text
    response = editor_client.post(url, change_form_data(page, confirm_revert="yes"))

    assert response.status_code == 302
    curated_list.refresh_from_db()
    assert curated_list.title == "Original"
    assert entry_titles(curated_list) == ["Film 1", "Film 2", "Film 3"]
    assert positions(curated_list) == [1, 2, 3]
    assert curated_list.status == CuratedList.Status.DRAFT  # as it is now, not as it was


# --- Single entries ---------------------------------------------------------------------


def test_single_entry_page_edits_the_blurb_but_not_the_place(editor_client):
    entry = CuratedListEntryFactory(position=1)
    url = reverse("admin:lists_curatedlistentry_change", args=[entry.pk])
    response = editor_client.get(url)
    assert "position" not in response.context["adminform"].form.fields
    editor_client.post(url, change_form_data(response, blurb_en="Fixed."))
    entry.refresh_from_db()
    assert entry.blurb == "Fixed."


def test_deleting_a_single_entry_closes_the_gap(editor_client):
    curated_list = make_list(3)
    entry = curated_list.entries.get(position=2)
    url = reverse("admin:lists_curatedlistentry_delete", args=[entry.pk])
    editor_client.post(url, {"post": "yes"})
    assert entry_titles(curated_list) == ["Film 1", "Film 3"]
    assert positions(curated_list) == [1, 2]


def test_bulk_deleting_entries_closes_the_gaps(editor_client):
    curated_list = make_list(4)
    doomed = curated_list.entries.filter(position__in=[1, 3])
    editor_client.post(
        reverse("admin:lists_curatedlistentry_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in doomed], "post": "yes"},
    )
    assert entry_titles(curated_list) == ["Film 2", "Film 4"]
    assert positions(curated_list) == [1, 2]
