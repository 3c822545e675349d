"""Two editors reordering the same list at the same moment, on two real database
connections: both saves succeed one after the other and the list ends in a valid,
contiguous order, exactly one of the two orders asked for, never a mix.
"""

import threading
import time
from functools import partial

import pytest
from django.db import connection, connections, transaction

from lists.models import CuratedListEntry
from lists.services import reorder_entries
from tests.factories import CuratedListEntryFactory, CuratedListFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers with one database lock, so two editors can never "
        "interleave; the race only exists on PostgreSQL (run with DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

ENTRIES = 8


@pytest.fixture
def curated_list():
    curated_list = CuratedListFactory()
    for position in range(1, ENTRIES + 1):
        CuratedListEntryFactory(curated_list=curated_list, position=position)
    return curated_list


def entry_ids_in_order(curated_list):
    return list(
        CuratedListEntry.objects.filter(curated_list=curated_list)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def positions(curated_list):
    return sorted(
        CuratedListEntry.objects.filter(curated_list=curated_list).values_list(
            "position", flat=True
        )
    )


def reorder_at_once(start, curated_list, order):
    start.wait()  # both editors press "save" together
    reorder_entries(curated_list, order)


def swap_top_two(ids):
    return [ids[1], ids[0], *ids[2:]]


def in_thread(work, errors):
    """Run `work` on its own thread, hence its own database connection."""

    def run():
        try:
            work()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_editors_reordering_at_once_end_with_one_contiguous_order(curated_list):
    original = entry_ids_in_order(curated_list)
    # One editor reverses everything, the other swaps the top two and leaves the rest where
    # it was: a stale read of the positions would put those "unchanged" rows back on top of
    # the other editor's rows.
    orders = {"reversed": original[::-1], "top two swapped": swap_top_two(original)}

    for _ in range(10):
        start = threading.Barrier(2)
        errors = []
        threads = [
            in_thread(partial(reorder_at_once, start, curated_list, order), errors)
            for order in orders.values()
        ]
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        assert positions(curated_list) == list(range(1, ENTRIES + 1))
        assert entry_ids_in_order(curated_list) in orders.values()


def test_the_second_editor_waits_for_the_first_and_then_wins(curated_list):
    original = entry_ids_in_order(curated_list)
    first_order, second_order = original[::-1], swap_top_two(original)
    first_holds_lock, first_committed_at, second_done_at = threading.Event(), [], []
    errors = []

    def first_editor():
        with transaction.atomic():
            reorder_entries(curated_list, first_order)
            first_holds_lock.set()
            time.sleep(0.5)  # a slow save still in progress
        first_committed_at.append(time.monotonic())

    def second_editor():
        first_holds_lock.wait(timeout=10)
        reorder_entries(curated_list, second_order)
        second_done_at.append(time.monotonic())

    threads = [in_thread(first_editor, errors), in_thread(second_editor, errors)]
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert second_done_at[0] >= first_committed_at[0], "the second save did not wait for the lock"
    assert entry_ids_in_order(curated_list) == second_order
    assert positions(curated_list) == list(range(1, ENTRIES + 1))
