"""Write-side operations on curated lists: publishing (a list and the unpublished films it
holds), ordering entries, restoring a version, merging duplicate films.

Each operation that changes a list's entries ends by saving the list, which writes the
list's next version with a snapshot of all its entries (`lists/history.py`).

Every list function takes the list row lock (`select_for_update`) first, so two editors saving
the same list at once on PostgreSQL are serialized instead of interleaving their writes.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import (
    AdaptedWork,
    Award,
    Credit,
    Fact,
    Film,
    FilmLocation,
    FilmRedirect,
    FilmTitle,
)
from catalogue.services import publish_films
from core import response_cache
from lists.history import snapshot_values
from lists.models import CuratedList, CuratedListEntry

EMPTY_LIST_MESSAGE = _("A list needs at least one film before it can be published.")
UNPUBLISHED_FILMS_MESSAGE = _(
    "This list holds {count} film(s) not yet published ({titles}); publishing the list "
    "publishes them too. Check them, then confirm."
)
ORDER_MISMATCH_MESSAGE = _(
    "The list changed while you were editing it: reload the page and order it again."
)


class ListError(Exception):
    """A list operation that cannot be done as asked; the message says what to do instead."""


class UnpublishedFilmsError(ListError):
    """Publishing a list would publish its unpublished `films` too: the caller must show
    them and confirm."""

    def __init__(self, films):
        self.films = films
        titles = ", ".join(str(film) for film in films)
        super().__init__(UNPUBLISHED_FILMS_MESSAGE.format(count=len(films), titles=titles))


def _lock(curated_list):
    """The list row, locked until the end of the transaction."""
    return CuratedList.objects.select_for_update().get(pk=curated_list.pk)


def _save_list(curated_list, *, by=None, reason=""):
    """Save the list, which writes its next version (with a snapshot of its entries)."""
    curated_list._change_reason = reason
    if by is not None:
        curated_list._history_user = by
    curated_list.save()


def unpublished_films(curated_list):
    """The films of the list that visitors cannot see yet (stubs a list import created), in
    the list's order: publishing the list publishes them."""
    entries = curated_list.entries.of_unpublished_films()
    return [entry.film for entry in entries]


@transaction.atomic
def record_list_version(curated_list, *, by=None, reason=""):
    """Write a version of the list as it stands now, entries included: after its entries
    changed without the list itself being saved (an entry edited or removed on its own)."""
    locked = _lock(curated_list)
    _save_list(locked, by=by, reason=reason)
    return locked


@transaction.atomic
def publish_list(curated_list, by=None, *, publish_films_too=False):
    """Make a draft list visible to visitors from now on; publishing twice changes nothing.

    The list's unpublished films go public with it, but only when the caller confirms it
    (`publish_films_too`) after showing them: otherwise UnpublishedFilmsError names them.
    """
    locked = _lock(curated_list)
    if locked.is_published:
        return locked
    if not locked.entries.exists():
        raise ListError(EMPTY_LIST_MESSAGE)
    stubs = unpublished_films(locked)
    if stubs and not publish_films_too:
        raise UnpublishedFilmsError(stubs)
    publish_films(stubs, by=by, reason=f"Published with the list “{locked.title}”")
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


VERSION_WITHOUT_ENTRIES_MESSAGE = _(
    "This version was written before versions kept their entries: only the list's own "
    "fields can be restored from it."
)


@transaction.atomic
def restore_list_entries(curated_list, version, *, by=None, reason="Reverted"):
    """Put back exactly the entries the list had in `version` (a historical list record):
    the same films in the same order with the same blurbs, facts and verification.

    Entries added since are removed; entries removed since come back (under their old id
    when it is free) while their film still exists, or the film it was merged into. Writes
    the list's next version.
    The list's own fields are the caller's (the admin's revert form saves them).
    """
    locked = _lock(curated_list)
    if version.entries_snapshot is None:
        raise ListError(VERSION_WITHOUT_ENTRIES_MESSAGE)
    wanted = _follow_merges(sorted(version.entries_snapshot, key=lambda row: row["position"]))
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
        values = {"film_id": row["film"], **snapshot_values(row)}
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


def _follow_merges(rows):
    """Snapshot rows, those naming a film merged since naming the film kept instead; a list
    that held both films keeps the higher-placed row, as the merge did."""
    films = {row["film"] for row in rows}
    gone = films - set(Film.objects.filter(pk__in=films).values_list("pk", flat=True))
    merged_into = dict(
        FilmRedirect.objects.filter(old_film_id__in=gone).values_list("old_film_id", "film_id")
    )
    followed, seen = [], set()
    for row in rows:
        film = merged_into.get(row["film"], row["film"])
        if film not in seen:
            seen.add(film)
            followed.append({**row, "film": film})
    return followed


# --- Merging duplicate films ---
# This sits on the lists floor because a merge moves list entries as well as the catalogue's
# claims; the catalogue cannot see lists.

MERGE_SAME_FILM_MESSAGE = _("A film cannot be merged into itself: choose two different films.")
MERGE_FAILED_MESSAGE = _("The films could not be merged ({error}); nothing was changed.")
MERGE_GONE_MESSAGE = _("One of the films no longer exists (merged or deleted meanwhile).")


class MergeError(Exception):
    """Two films that cannot be merged as asked; the message says why."""


# The claims a film holds, with the fields (besides the film) that make one unique: a claim
# the survivor already has is kept once, with the duplicate's sources added to it.
MERGED_CLAIMS = [
    ("credits", Credit, ("person_id", "role", "character")),
    ("awards", Award, ("organisation_id", "category", "ceremony_year", "person_id")),
    ("titles", FilmTitle, ("title", "kind")),
    ("locations", FilmLocation, ("place_id", "kind", "period")),
    ("adapted_works", AdaptedWork, ("title",)),
]
# The survivor's own fields that the duplicate fills when the survivor leaves them blank.
FILLED_FIELDS = [
    "original_title",
    "original_language",
    "romanized_title",
    "release_date",
    "runtime_minutes",
    "synopsis",
    "plot",
    "admissions",
    "box_office_note",
    "imdb_id",
    "tmdb_id",
    "wikidata_id",
    "kinopoisk_id",
]
HANDLED_RELATIONS = {name for name, _model, _key in MERGED_CLAIMS} | {
    "facts",
    "list_entries",
    "redirects",
}


@dataclass
class MergePlan:
    """What merging `duplicate` into `survivor` will do, for the confirmation page: by kind of
    row, how many move and how many the survivor already has (kept once, with both rows'
    sources); the lists holding both films; the survivor's blank fields the duplicate fills."""

    duplicate: Film
    survivor: Film
    rows: list = field(default_factory=list)  # [(kind, moving, already_there)]
    lists_holding_both: list = field(default_factory=list)
    filled_fields: list = field(default_factory=list)


def plan_merge(duplicate, survivor):
    """What `merge_films(duplicate, survivor)` would move, without writing anything."""
    if duplicate.pk == survivor.pk:
        raise MergeError(MERGE_SAME_FILM_MESSAGE)
    plan = MergePlan(duplicate=duplicate, survivor=survivor)
    for _name, model, key in MERGED_CLAIMS:
        # No ordering: the models' default one would join the film table for nothing.
        kept = set(model.objects.filter(film=survivor).order_by().values_list(*key))
        rows = list(model.objects.filter(film=duplicate).order_by().values_list(*key))
        moving = sum(1 for row in rows if row not in kept)
        plan.rows.append((model._meta.verbose_name_plural, moving, len(rows) - moving))
    plan.rows.append((Fact._meta.verbose_name_plural, duplicate.facts.count(), 0))
    plan.rows.append(
        (CuratedListEntry._meta.verbose_name_plural, duplicate.list_entries.count(), 0)
    )
    plan.lists_holding_both = list(
        CuratedList.objects.filter(entries__film=duplicate)
        .filter(entries__film=survivor)
        .order_by("title")
    )
    plan.filled_fields = [
        Film._meta.get_field(name).verbose_name
        for name in FILLED_FIELDS
        if _blank(getattr(survivor, name)) and not _blank(getattr(duplicate, name))
    ]
    return plan


def _blank(value):
    return value is None or value == ""


def _mark(row, by, reason):
    """Attribute the history record the next save writes (models without history ignore it)."""
    row._change_reason = reason
    if by is not None:
        row._history_user = by


@transaction.atomic
def merge_films(duplicate, survivor, by=None):
    """Merge `duplicate` into `survivor` and delete it: its credits, awards, titles, places,
    adapted works, facts, list entries and sources move to the survivor (a claim the survivor
    already has is kept once, with both claims' sources), blank fields of the survivor take
    the duplicate's values, its title becomes a variant title, and its slug a permanent
    redirect to the survivor. Either film being public makes the survivor public. The moved
    rows' history stays; the duplicate's deletion is recorded in its history."""
    if duplicate.pk == survivor.pk:
        raise MergeError(MERGE_SAME_FILM_MESSAGE)
    films = Film.objects.select_for_update().filter(pk__in=[duplicate.pk, survivor.pk])
    locked = {film.pk: film for film in films.order_by("pk")}  # one lock order: no deadlock
    if len(locked) != 2:
        raise MergeError(MERGE_GONE_MESSAGE)
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    reason = f"Merged from the duplicate “{duplicate}” ({duplicate.slug})"
    try:
        with transaction.atomic():
            _merge_rows(duplicate, survivor, by, reason)
    except IntegrityError as error:
        raise MergeError(MERGE_FAILED_MESSAGE.format(error=error)) from error
    # The survivor may have become public, and pages that showed the duplicate name it.
    response_cache.invalidate()
    return survivor


def _merge_rows(duplicate, survivor, by, reason):
    for _name, model, key in MERGED_CLAIMS:
        _move_claims(model, key, duplicate, survivor, by, reason)
    _move_facts(duplicate, survivor, by, reason)
    _move_list_entries(duplicate, survivor, by)
    _move_other_relations(duplicate, survivor)
    for relation in ("countries", "genres", "studios", "sources"):
        getattr(survivor, relation).add(*getattr(duplicate, relation).all())
    FilmRedirect.objects.filter(film=duplicate).update(film=survivor)

    known_titles = {survivor.title, *survivor.titles.values_list("title", flat=True)}
    old_slug, old_pk = duplicate.slug, duplicate.pk
    filled = {
        name: getattr(duplicate, name)
        for name in FILLED_FIELDS
        if _blank(getattr(survivor, name)) and not _blank(getattr(duplicate, name))
    }
    if duplicate.release_year != survivor.release_year:
        filled.pop("release_date", None)  # a date must fall in the kept film's year
    survivor.is_published = survivor.is_published or duplicate.is_published
    _mark(duplicate, by, f"Merged into “{survivor}” ({survivor.slug})")
    # The duplicate goes first: its unique identifiers (IMDb…) may move to the survivor.
    duplicate.delete()
    FilmRedirect.objects.create(old_slug=old_slug, old_film_id=old_pk, film=survivor)
    if duplicate.title not in known_titles:
        FilmTitle.objects.create(
            film=survivor,
            title=duplicate.title,
            kind=FilmTitle.Kind.VARIANT,
            note=f"Title of the merged duplicate {old_slug}",
        )
    for name, value in filled.items():
        setattr(survivor, name, value)
    _mark(survivor, by, reason)
    survivor.save()


def _move_claims(model, key, duplicate, survivor, by, reason):
    kept = {
        tuple(getattr(row, name) for name in key): row
        for row in model.objects.filter(film=survivor).prefetch_related("sources")
    }
    for row in model.objects.filter(film=duplicate).prefetch_related("sources"):
        _mark(row, by, reason)
        twin = kept.get(tuple(getattr(row, name) for name in key))
        if twin is not None:
            twin.sources.add(*row.sources.all())
            row.delete()
        else:
            row.film = survivor
            row.save()


def _move_facts(duplicate, survivor, by, reason):
    """Facts move; one whose key the survivor uses keeps its text under a free key, unless the
    survivor states the same text (then it is kept once, with both facts' sources)."""
    kept = {fact.key: fact for fact in Fact.objects.filter(film=survivor)}
    for fact in Fact.objects.filter(film=duplicate).prefetch_related("sources"):
        _mark(fact, by, reason)
        twin = kept.get(fact.key)
        if twin is not None and twin.text == fact.text:
            twin.sources.add(*fact.sources.all())
            fact.delete()
            continue
        if twin is not None:
            number = 2
            while f"{fact.key}-{number}"[:80] in kept:
                number += 1
            fact.key = f"{fact.key}-{number}"[:80]
        fact.film = survivor
        fact.save()
        kept[fact.key] = fact


def _move_list_entries(duplicate, survivor, by):
    """Each list entry of the duplicate now names the survivor. A list holding both films
    keeps the higher-placed entry (with the other's blurb and fact if it had none) and closes
    the gap the other leaves."""
    for entry in list(duplicate.list_entries.select_related("curated_list")):
        _move_list_entry(entry, survivor, by)
        # The list's next version snapshots its entries as the merge left them.
        record_list_version(
            entry.curated_list, by=by, reason=f"Merged the duplicate film {duplicate.slug}"
        )


def _move_list_entry(entry, survivor, by):
    other = survivor.list_entries.filter(curated_list=entry.curated_list).first()
    if other is None:
        _mark(entry, by, "")
        entry.film = survivor
        entry.save()
    else:
        _keep_higher_entry(entry, other, survivor, by)


def _keep_higher_entry(entry, other, survivor, by):
    """A list holding both films keeps the higher-placed of their two entries."""
    kept, dropped = (other, entry) if other.position < entry.position else (entry, other)
    texts = {text: getattr(kept, text) or getattr(dropped, text) for text in ("blurb", "fact")}
    # Removing the other entry renumbers the list: the kept one is read again after it.
    save_entries(entry.curated_list, [], deleted=[dropped], by=by)
    kept.refresh_from_db()
    for text, value in texts.items():
        setattr(kept, text, value)
    kept.film = survivor
    _mark(kept, by, "")
    kept.save()


def _move_other_relations(duplicate, survivor):
    """Rows of other apps that point at films (one-to-many) follow the survivor: a relation
    the merge does not know is moved rather than deleted with the duplicate."""
    for relation in Film._meta.related_objects:
        name = relation.get_accessor_name()
        if relation.hidden or name in HANDLED_RELATIONS or not relation.one_to_many:
            continue
        relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: survivor}
        )
