"""Write-side list operations: publishing, ordering entries, restoring a version."""

import threading

import pytest
from django.db import connection

from lists.models import CuratedList, CuratedListEntry
from lists.services import (
    EMPTY_LIST_MESSAGE,
    ORDER_MISMATCH_MESSAGE,
    ListError,
    publish_list,
    reorder_entries,
    restore_list_entries,
    save_entries,
    unpublish_list,
)
from tests.factories import (
    CuratedListEntryFactory,
    DraftListFactory,
    FilmFactory,
)

pytestmark = pytest.mark.django_db


def make_list(size, **kwargs):
    curated_list = DraftListFactory(**kwargs)
    for position in range(1, size + 1):
        CuratedListEntryFactory(curated_list=curated_list, position=position)
    return curated_list


def order_of(curated_list):
    return list(curated_list.entries.order_by("position").values_list("film__title", "position"))


def titles(curated_list):
    return [title for title, _ in order_of(curated_list)]


def test_publishing_a_draft_makes_it_visible_and_dates_it():
    curated_list = make_list(1)
    assert not CuratedList.objects.published().filter(pk=curated_list.pk).exists()

    published = publish_list(curated_list)

    curated_list.refresh_from_db()
    assert curated_list.status == CuratedList.Status.PUBLISHED
    assert curated_list.published_at is not None
    assert published.published_at == curated_list.published_at
    assert CuratedList.objects.published().filter(pk=curated_list.pk).exists()


def test_publishing_twice_keeps_the_first_publication_date():
    curated_list = make_list(1)
    first = publish_list(curated_list).published_at
    assert publish_list(curated_list).published_at == first


def test_an_empty_list_cannot_be_published():
    curated_list = DraftListFactory()
    with pytest.raises(ListError, match=str(EMPTY_LIST_MESSAGE)):
        publish_list(curated_list)
    curated_list.refresh_from_db()
    assert curated_list.status == CuratedList.Status.DRAFT


def test_unpublishing_hides_the_list_and_clears_its_date():
    curated_list = publish_list(make_list(1))
    unpublish_list(curated_list)
    curated_list.refresh_from_db()
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.published_at is None
    assert not CuratedList.objects.published().filter(pk=curated_list.pk).exists()


def test_publishing_records_who_did_it_in_the_history(editor):
    curated_list = make_list(1)
    publish_list(curated_list, by=editor)
    latest = curated_list.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Published"


def test_reordering_gives_contiguous_positions_in_the_new_order():
    curated_list = make_list(4)
    entries = list(curated_list.entries.order_by("position"))
    new_order = [entries[2], entries[0], entries[3], entries[1]]

    reorder_entries(curated_list, [entry.pk for entry in new_order])

    assert order_of(curated_list) == [(entry.film.title, i) for i, entry in enumerate(new_order, 1)]


def test_reordering_closes_gaps_in_positions():
    curated_list = DraftListFactory()
    first = CuratedListEntryFactory(curated_list=curated_list, position=3)
    second = CuratedListEntryFactory(curated_list=curated_list, position=10)
    reorder_entries(curated_list, [second.pk, first.pk])
    assert order_of(curated_list) == [(second.film.title, 1), (first.film.title, 2)]


def test_reordering_with_a_missing_or_foreign_entry_changes_nothing():
    curated_list = make_list(3)
    other = CuratedListEntryFactory()
    before = order_of(curated_list)
    ids = list(curated_list.entries.values_list("pk", flat=True))
    for wrong in (ids[:2], ids[:2] + [other.pk], ids + ids[:1], ["x", *ids]):
        with pytest.raises(ListError, match=str(ORDER_MISMATCH_MESSAGE)):
            reorder_entries(curated_list, wrong)
    assert order_of(curated_list) == before


def test_reordering_records_only_the_entries_that_moved():
    curated_list = make_list(3)
    a, b, c = curated_list.entries.order_by("position")
    history_before = CuratedListEntry.history.count()
    reorder_entries(curated_list, [b.pk, a.pk, c.pk])
    # a and b swapped places; c stayed third, so it gets no new history record.
    assert CuratedListEntry.history.count() == history_before + 2


def test_saving_entries_adds_deletes_and_renumbers():
    curated_list = make_list(3)
    a, b, c = curated_list.entries.order_by("position")
    new = CuratedListEntry(curated_list=curated_list, film=FilmFactory(), position=None)
    save_entries(curated_list, [c, new, a], changed=[new], deleted=[b])
    assert order_of(curated_list) == [(c.film.title, 1), (new.film.title, 2), (a.film.title, 3)]


def test_saving_entries_keeps_entries_another_editor_added_meanwhile():
    curated_list = make_list(2)
    a, b = curated_list.entries.order_by("position")
    latecomer = CuratedListEntryFactory(curated_list=curated_list, position=3)
    save_entries(curated_list, [b, a])
    assert titles(curated_list) == [b.film.title, a.film.title, latecomer.film.title]


def test_restoring_a_version_puts_back_its_order_and_entries():
    curated_list = make_list(3)
    a, b, c = curated_list.entries.order_by("position")
    reorder_entries(curated_list, [a.pk, b.pk, c.pk])  # records the list version to go back to
    version = curated_list.history.latest()
    reorder_entries(curated_list, [c.pk, a.pk, b.pk])
    added = CuratedListEntry(curated_list=curated_list, film=FilmFactory())
    save_entries(curated_list, [c, a, added], changed=[added], deleted=[b])

    restore_list_entries(curated_list, version)

    assert titles(curated_list) == [a.film.title, b.film.title, c.film.title]
    assert not CuratedListEntry.objects.filter(film=added.film).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_reordering_at_once_leave_a_consistent_order():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serializes all writes")
    curated_list = make_list(6)
    ids = list(curated_list.entries.order_by("position").values_list("pk", flat=True))
    orders = [list(reversed(ids)), ids[1:] + ids[:1]]
    errors = []
    barrier = threading.Barrier(len(orders))

    def editor(order):
        try:
            barrier.wait()
            for _ in range(5):
                reorder_entries(curated_list, order)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    final = list(curated_list.entries.order_by("position").values_list("pk", flat=True))
    assert final in orders
    positions = list(curated_list.entries.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 7))
