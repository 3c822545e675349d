"""Write-side operations on curated lists: publishing, ordering entries, restoring a version.

Each operation that changes a list's entries ends by saving the list, which writes the
list's next version with a snapshot of all its entries (`lists/history.py`).

Every function takes the list row lock (`select_for_update`) first, so two editors saving
the same list at once on PostgreSQL are serialized instead of interleaving their writes.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from catalogue.models import Film
from lists.history import ENTRY_FIELDS
from lists.models import CuratedList, CuratedListEntry

EMPTY_LIST_MESSAGE = "A list needs at least one film before it can be published."
ORDER_MISMATCH_MESSAGE = (
    "The list changed while you were editing it: reload the page and order it again."
)


class ListError(Exception):
    """A list operation that cannot be done as asked; the message says what to do instead."""


def _lock(curated_list):
    """The list row, locked until the end of the transaction."""
    return CuratedList.objects.select_for_update().get(pk=curated_list.pk)


def _save_list(curated_list, *, by=None, reason=""):
    """Save the list, which writes its next version (with a snapshot of its entries)."""
    curated_list._change_reason = reason
    if by is not None:
        curated_list._history_user = by
    curated_list.save()


@transaction.atomic
def record_list_version(curated_list, *, by=None, reason=""):
    """Write a version of the list as it stands now, entries included: after its entries
    changed without the list itself being saved (an entry edited or removed on its own)."""
    locked = _lock(curated_list)
    _save_list(locked, by=by, reason=reason)
    return locked


@transaction.atomic
def publish_list(curated_list, by=None):
    """Make a draft list visible to visitors from now on; publishing twice changes nothing."""
    locked = _lock(curated_list)
    if locked.is_published:
        return locked
    if not locked.entries.exists():
        raise ListError(EMPTY_LIST_MESSAGE)
    locked.status = CuratedList.Status.PUBLISHED
    locked.published_at = timezone.now()
    _save_list(locked, by=by, reason="Published")
    return locked


@transaction.atomic
def unpublish_list(curated_list, by=None):
    """Turn a published list back into a draft that only editors see."""
    locked = _lock(curated_list)
    if not locked.is_published:
        return locked
    locked.status = CuratedList.Status.DRAFT
    locked.published_at = None
    _save_list(locked, by=by, reason="Unpublished")
    return locked


@transaction.atomic
def reorder_entries(curated_list, entry_ids, by=None):
    """Give the list's entries positions 1..n in the order of `entry_ids` (all of them)."""
    locked = _lock(curated_list)
    entries = {entry.pk: entry for entry in locked.entries.select_related("film")}
    try:
        ordered_ids = [int(pk) for pk in entry_ids]
    except (TypeError, ValueError) as error:
        raise ListError(ORDER_MISMATCH_MESSAGE) from error
    if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(entries):
        raise ListError(ORDER_MISMATCH_MESSAGE)
    _write_positions(locked, [entries[pk] for pk in ordered_ids], by=by)
    # The list's version is written last: it snapshots the entries in their new order.
    _save_list(locked, by=by, reason="Reordered entries")
    return locked


@transaction.atomic
def save_entries(curated_list, ordered_entries, *, changed=(), deleted=(), by=None):
    """Save an edited list's entries (the admin inline): delete, add, change and renumber.

    `ordered_entries` are the kept entries, new ones included, in their new order; entries
    another editor added meanwhile keep their relative order after them. Positions end up
    unique and contiguous whatever positions the entries carried in.
    """
    _lock(curated_list)
    for entry in deleted:
        if entry.pk:
            entry.delete()
    listed = {entry.pk for entry in ordered_entries if entry.pk}
    deleted_ids = {entry.pk for entry in deleted}
    latecomers = list(
        curated_list.entries.exclude(pk__in=listed | deleted_ids).order_by("position")
    )
    _write_positions(curated_list, list(ordered_entries) + latecomers, changed=changed, by=by)


def _write_positions(curated_list, ordered_entries, *, changed=(), by=None):
    """Store `ordered_entries` at positions 1..n without ever breaking (list, position).

    The unique constraint is checked row by row (it is not deferrable), so every stored row
    first moves above any final position, then each row takes its final one.
    """
    stored = curated_list.entries.all()
    highest = stored.aggregate(highest=Max("position"))["highest"] or 0
    offset = max(highest, len(ordered_entries)) + 1
    stored_positions = dict(stored.values_list("pk", "position"))
    # By identity: new entries have no primary key yet, so they cannot go in a set.
    changed_ids = {id(entry) for entry in changed}
    stored.update(position=F("position") + offset)

    untouched = []
    for position, entry in enumerate(ordered_entries, start=1):
        is_new = entry.pk is None or entry.pk not in stored_positions
        moved = not is_new and stored_positions[entry.pk] != position
        if is_new or moved or id(entry) in changed_ids:
            entry.curated_list = curated_list
            entry.position = position
            if by is not None:
                entry._history_user = by
            entry.save()
        else:
            untouched.append(entry.pk)
    # Rows whose place did not change go back without a history record of their own.
    CuratedListEntry.objects.filter(pk__in=untouched).update(position=F("position") - offset)


VERSION_WITHOUT_ENTRIES_MESSAGE = (
    "This version was written before versions kept their entries: only the list's own "
    "fields can be restored from it."
)


@transaction.atomic
def restore_list_entries(curated_list, version, *, by=None, reason="Reverted"):
    """Put back exactly the entries the list had in `version` (a historical list record):
    the same films in the same order with the same blurbs, facts and verification.

    Entries added since are removed; entries removed since come back (under their old id
    when it is free) while their film still exists. Writes the list's next version.
    The list's own fields are the caller's (the admin's revert form saves them).
    """
    locked = _lock(curated_list)
    if version.entries_snapshot is None:
        raise ListError(VERSION_WITHOUT_ENTRIES_MESSAGE)
    wanted = sorted(version.entries_snapshot, key=lambda row: row["position"])
    current = list(locked.entries.all())
    by_id = {entry.pk: entry for entry in current}
    by_film = {entry.film_id: entry for entry in current}
    existing_films = set(
        Film.objects.filter(pk__in=[row["film"] for row in wanted]).values_list("pk", flat=True)
    )
    taken_ids = set(
        CuratedListEntry.objects.filter(pk__in=[row["id"] for row in wanted])
        .exclude(curated_list=locked)
        .values_list("pk", flat=True)
    )
    restored, changed = [], []
    for row in wanted:
        if row["film"] not in existing_films:
            continue
        entry = by_id.get(row["id"])
        if entry is None or entry.film_id != row["film"]:
            entry = by_film.get(row["film"]) or CuratedListEntry(
                pk=None if row["id"] in taken_ids or row["id"] in by_id else row["id"]
            )
        values = {"film_id": row["film"], **{name: row[name] for name in ENTRY_FIELDS}}
        if (
            entry.pk is None
            or entry.pk not in by_id
            or any(getattr(entry, name) != value for name, value in values.items())
        ):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
        restored.append(entry)
    kept = {id(entry) for entry in restored}
    for entry in current:
        if id(entry) not in kept:
            if by is not None:
                entry._history_user = by
            entry.delete()
    _write_positions(locked, restored, changed=changed, by=by)
    _save_list(locked, by=by, reason=reason)
    return locked
