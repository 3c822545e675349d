"""A list's versions hold all its entries: each historical list record carries a snapshot of
the entries as they stood when it was written, and its changes are told in words ("moved
The Cranes Are Flying from 3 to 1", "added Stalker")."""

from django.dispatch import receiver
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from simple_history.signals import pre_create_historical_record

from catalogue.models import Film
from core.history import describe_changes, record_missing_history
from core.languages import text_language
from core.models import Verification
from core.translations import translated_columns
from lists.models import CuratedList, CuratedListEntry

# An entry's texts are kept in each language's column (blurb_en, blurb_ru...).
ENTRY_TEXTS = ("blurb", "fact")
# The entry fields a snapshot keeps, besides its id, position and film.
ENTRY_FIELDS = (
    *(column for text in ENTRY_TEXTS for column in translated_columns(text)),
    "verification",
    "verification_note",
)


def snapshot_values(row):
    """The ENTRY_FIELDS of a snapshot row. Rows written before texts had a column per
    language hold one "blurb" and "fact": each goes to the column of its own language,
    as the migration that added the columns moved the live text."""
    values = {name: row.get(name) for name in ENTRY_FIELDS}
    for text in ENTRY_TEXTS:
        if row.get(text) and not any(row.get(column) for column in translated_columns(text)):
            values[f"{text}_{text_language(row[text])}"] = row[text]
    return values


def snapshot_rows(entries):
    """The snapshot of entries (dicts from `CuratedListEntry.objects.values(...)`)."""
    return [
        {
            "id": entry["id"],
            "position": entry["position"],
            "film": entry["film_id"],
            "film_title": entry["film__title"],
            "film_year": entry["film__release_year"],
            **{name: entry[name] for name in ENTRY_FIELDS},
        }
        for entry in entries
    ]


def _entry_values(queryset):
    return queryset.order_by("curated_list_id", "position").values(
        "id",
        "curated_list_id",
        "position",
        "film_id",
        "film__title",
        "film__release_year",
        *ENTRY_FIELDS,
    )


def snapshot_entries(curated_list):
    """The list's entries as they stand now, in order, as a version stores them."""
    return snapshot_rows(_entry_values(CuratedListEntry.objects.filter(curated_list=curated_list)))


@receiver(pre_create_historical_record, sender=CuratedList.history.model)
def store_the_entries(sender, instance, history_instance, **kwargs):
    """Each version of a list keeps its entries, read when the version is written."""
    if history_instance.entries_snapshot is not None:
        return
    if history_instance.history_type == "-":
        # The entries went first (cascade): the deleted list keeps those of its last version.
        last = sender.objects.filter(id=instance.pk).order_by("-history_date", "-history_id")
        history_instance.entries_snapshot = last.values_list("entries_snapshot", flat=True).first()
        return
    history_instance.entries_snapshot = snapshot_entries(instance)


def snapshot_latest_version(curated_list):
    """The list's newest version takes its entries as they are now: for writers that save
    the list before its entries in one transaction (the admin's form, the importer), so
    that the version they wrote holds the entries they wrote."""
    version = curated_list.history.order_by("-history_date", "-history_id").first()
    if version is not None:
        version.entries_snapshot = snapshot_entries(curated_list)
        version.save(update_fields=["entries_snapshot"])
    return version


def record_baseline_history(reason):
    """A first version for every catalogue and list row without one (fixtures load raw);
    a list's carries its entries. Returns the number of versions written."""
    written = 0
    for model in history_tracked_models():
        attrs_for = _list_snapshots if model is CuratedList else None
        written += record_missing_history(model, reason, attrs_for=attrs_for)
    return written


def history_tracked_models():
    """The models of the catalogue and lists that keep history, lists last."""
    from_catalogue = [
        model
        for model in Film._meta.apps.get_app_config("catalogue").get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]
    return [*from_catalogue, CuratedListEntry, CuratedList]


def _list_snapshots(curated_lists):
    """{list pk: {"entries_snapshot": [...]}} for `curated_lists`, in one query."""
    by_list = {curated_list.pk: [] for curated_list in curated_lists}
    for entry in _entry_values(CuratedListEntry.objects.filter(curated_list__in=by_list)):
        by_list[entry["curated_list_id"]].append(entry)
    return {pk: {"entries_snapshot": snapshot_rows(rows)} for pk, rows in by_list.items()}


# --- Changes in words ------------------------------------------------------------------


def describe_list_version(new_record, old_record):
    """What a list version changed: its fields, then its entries."""
    if new_record.history_type == "-" or old_record is None:
        lines = describe_changes(new_record, old_record)
        if old_record is None and new_record.entries_snapshot:
            count = len(new_record.entries_snapshot)
            lines = [
                ngettext("created with %(count)d film", "created with %(count)d films", count)
                % {"count": count}
            ]
        return lines
    return [
        *describe_changes(new_record, old_record),
        *describe_entry_changes(old_record.entries_snapshot, new_record.entries_snapshot),
    ]


def describe_entry_changes(old_entries, new_entries):
    """Lines saying how the entries went from `old_entries` to `new_entries` (snapshots):
    added, removed, moved (only the films that moved, not the ones they pushed aside),
    and changed blurbs, facts and verification."""
    if old_entries is None or new_entries is None:
        return []
    old = {entry["film"]: entry for entry in old_entries}
    new = {entry["film"]: entry for entry in new_entries}
    lines = [
        format_html(gettext("removed {film}"), film=entry["film_title"])
        for entry in old_entries
        if entry["film"] not in new
    ]
    lines += [
        format_html(
            gettext("added {film} at {position}"),
            film=entry["film_title"],
            position=entry["position"],
        )
        for entry in new_entries
        if entry["film"] not in old
    ]
    kept = [entry for entry in new_entries if entry["film"] in old]
    stayed = _longest_increasing([old[entry["film"]]["position"] for entry in kept])
    for index, entry in enumerate(kept):
        before = old[entry["film"]]["position"]
        if index not in stayed and before != entry["position"]:
            lines.append(
                format_html(
                    gettext("moved {film} from {before} to {after}"),
                    film=entry["film_title"],
                    before=before,
                    after=entry["position"],
                )
            )
    for entry in kept:
        lines += _entry_field_changes(old[entry["film"]], entry)
    return lines


def _entry_field_changes(old, new):
    title = new["film_title"]
    lines = [
        format_html(
            gettext("changed the {field} of {film}"),
            field=CuratedListEntry._meta.get_field(name).verbose_name,
            film=title,
        )
        for name in (*ENTRY_TEXTS, "verification_note")
        if _text_of(old, name) != _text_of(new, name)
    ]
    if old.get("verification") != new.get("verification"):
        lines.append(
            format_html(
                gettext("verification of {film}: {before} → {after}"),
                film=title,
                before=_verification_label(old.get("verification")),
                after=_verification_label(new.get("verification")),
            )
        )
    return lines


def _text_of(row, name):
    """A snapshot row's text `name` in every language, comparable across snapshot formats."""
    if name not in ENTRY_TEXTS:
        return row.get(name)
    values = snapshot_values(row)
    return tuple(values[column] or "" for column in translated_columns(name))


def _verification_label(value):
    return dict(Verification.choices).get(value, value or "—").lower()


def _longest_increasing(values):
    """Indexes of one longest strictly increasing subsequence of `values`: the entries that
    kept their relative order, so that the others are the ones that moved."""
    tails, tail_index, previous = [], [], [None] * len(values)
    for index, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < value:
                low = middle + 1
            else:
                high = middle
        previous[index] = tail_index[low - 1] if low else None
        if low == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[low], tail_index[low] = value, index
    chain, index = set(), tail_index[-1] if tail_index else None
    while index is not None:
        chain.add(index)
        index = previous[index]
    return chain
