"""Write-side operations on curated lists: publishing, ordering entries, restoring a version.

Every function takes the list row lock (`select_for_update`) first, so two editors saving
the same list at once on PostgreSQL are serialized instead of interleaving their writes.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from catalogue.models import Film
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
    curated_list._change_reason = reason
    if by is not None:
        curated_list._history_user = by
    curated_list.save()


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
    _save_list(locked, by=by, reason="Reordered entries")
    _write_positions(locked, [entries[pk] for pk in ordered_ids], by=by)
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


def list_version_entries(historical_list):
    """The list's entries as they stood in `historical_list`'s version.

    A version's entries are the ones written after that list record and before the next
    one: every save of a list (admin form or service) records the list first.
    """
    later = (
        CuratedList.history.filter(
            id=historical_list.id, history_date__gt=historical_list.history_date
        )
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    records = CuratedListEntry.history.filter(curated_list_id=historical_list.id)
    if later is not None:
        records = records.filter(history_date__lt=later)
    latest = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.id] = record
    return sorted(
        (record for record in latest.values() if record.history_type != "-"),
        key=lambda record: record.position,
    )


@transaction.atomic
def restore_list_entries(curated_list, historical_list, by=None):
    """Put back the entries (order, blurbs, facts) the list had in `historical_list`.

    Entries added since are removed; entries removed since come back while their film
    still exists. The list's own fields are restored by the admin's revert form.
    """
    locked = _lock(curated_list)
    version = list_version_entries(historical_list)
    current = {entry.pk: entry for entry in locked.entries.all()}
    film_ids = set(
        Film.objects.filter(pk__in=[record.film_id for record in version]).values_list(
            "pk", flat=True
        )
    )
    restored = []
    for record in version:
        if record.film_id not in film_ids:
            continue
        entry = current.pop(record.id, None) or CuratedListEntry(pk=record.id)
        for field in ("film_id", "blurb", "fact", "verification", "verification_note"):
            setattr(entry, field, getattr(record, field))
        restored.append(entry)
    for entry in current.values():
        if by is not None:
            entry._history_user = by
        entry.delete()
    _write_positions(locked, restored, changed=restored, by=by)
    return locked
