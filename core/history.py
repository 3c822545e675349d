"""History that can be read and trusted (django-simple-history underneath).

- Every historical record has a reason: the one its writer gave (`instance._change_reason`),
  else the one of the `history_reason()` block it was written in (an admin page, an import),
  else what happened ("Created", "Changed", "Deleted"). Never an empty "None".
- `record_missing_history()` gives rows written without history (fixtures load raw) the
  baseline version a revert can go back to.
- `describe_changes()` says what a version changed, field by field, in words.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import receiver
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record
from simple_history.template_utils import HistoricalRecordContextHelper

DEFAULT_REASONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
EMPTY_VALUE = "—"

_current_reason = ContextVar("history_reason", default="")


@contextmanager
def history_reason(reason):
    """Every historical record written inside the block without a reason of its own gets
    `reason` ("Imported from love.md", "Edited in the admin")."""
    token = _current_reason.set(reason)
    try:
        yield
    finally:
        _current_reason.reset(token)


@receiver(pre_create_historical_record)
def give_the_record_a_reason(sender, history_instance, **kwargs):
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = _current_reason.get() or DEFAULT_REASONS.get(
            history_instance.history_type, "Changed"
        )


def history_manager(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


def record_missing_history(model, reason, *, attrs_for=None, batch_size=500):
    """A baseline ("created") version for each row of `model` that has no history yet.

    `attrs_for(rows)` may return extra values per row for the historical model (a list's
    entries). Idempotent: rows with any version are left alone. Returns the count written.
    """
    history = history_manager(model)
    pk_name = model._meta.pk.attname
    rows = list(
        model._default_manager.exclude(**{f"{pk_name}__in": history.values(pk_name)}).order_by("pk")
    )
    if not rows:
        return 0
    if attrs_for is None:
        history.bulk_history_create(rows, batch_size=batch_size, default_change_reason=reason)
        return len(rows)
    extra = attrs_for(rows)
    for row in rows:
        history.bulk_history_create(
            [row], default_change_reason=reason, custom_historical_attrs=extra[row.pk]
        )
    return len(rows)


def describe_field_changes(new_record, old_record):
    """Lines like "title: Old → New" for each tracked field `new_record` changed since
    `old_record` (two historical records of one row; related rows should be loaded)."""
    model = new_record.instance_type
    delta = new_record.diff_against(old_record, foreign_keys_are_objs=True)
    helper = HistoricalRecordContextHelper(model, new_record)
    lines = []
    for change in delta.changes:
        formatted = helper.format_delta_change(change)
        name = model._meta.get_field(change.field).verbose_name
        lines.append(
            format_html(
                "{}: {} → {}", name, formatted.old or EMPTY_VALUE, formatted.new or EMPTY_VALUE
            )
        )
    return lines


def describe_changes(new_record, old_record):
    """What the version `new_record` did, in lines an editor reads; `old_record` is the
    version before it (None for the first)."""
    if new_record.history_type == "-":
        return [_("deleted")]
    if old_record is None:
        return [_("created")]
    return describe_field_changes(new_record, old_record)


def unsaved_record_of(instance):
    """A historical record of `instance` as it is now, unsaved: to compare the current state
    with a version using the same words as between versions."""
    history = history_manager(type(instance))
    fields = {
        field.attname: getattr(instance, field.attname) for field in history.model.tracked_fields
    }
    return history.model(history_type="~", **fields)
