"""Editors' forms: the admin's film and award forms, and the verification queue's verdict."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalogue.models import YEAR_RANGE_MESSAGE, Verification

EMPTY_TITLE_MESSAGE = _("A film needs a title.")
UNCREDITED_AWARD_WARNING = _(
    "{person} is not credited on {film}: check the award, or add the credit on the film."
)
NOTHING_SELECTED_MESSAGE = _("Select at least one row to review.")
DISPUTE_NEEDS_NOTE_MESSAGE = _("Say why the selected rows are disputed in the note.")


def _year_messages(field):
    """Out-of-range years get one plain message instead of 'Ensure this value…'."""
    field.error_messages["min_value"] = YEAR_RANGE_MESSAGE
    field.error_messages["max_value"] = YEAR_RANGE_MESSAGE


class FilmAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].error_messages["required"] = EMPTY_TITLE_MESSAGE
        if "release_year" in self.fields:
            _year_messages(self.fields["release_year"])


class AwardAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "ceremony_year" in self.fields:
            _year_messages(self.fields["ceremony_year"])


def uncredited_award_warning(award):
    """A warning (not an error) when an award names a person the film does not credit."""
    if award.person_id is None or award.film_id is None:
        return None
    if award.film.credits.filter(person_id=award.person_id).exists():
        return None
    return UNCREDITED_AWARD_WARNING.format(person=award.person, film=award.film)


class RowChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the primary key cannot hold before querying: SQLite overflows past 64 bits."""

    def _check_values(self, value):
        pk_field = self.queryset.model._meta.pk
        for pk in value:
            try:
                pk_field.clean(pk, None)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        return super()._check_values(value)


class VerificationForm(forms.Form):
    """An editor's verdict on several claims of one kind, with a note kept on each."""

    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[
            (Verification.CONFIRMED, _("Mark confirmed")),
            (Verification.DISPUTED, _("Mark disputed")),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Added to each selected row's verification note."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"] = RowChoiceField(
            queryset=queryset,
            error_messages={"required": NOTHING_SELECTED_MESSAGE},
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == Verification.DISPUTED and not cleaned.get("note", "").strip():
            self.add_error("note", DISPUTE_NEEDS_NOTE_MESSAGE)
        return cleaned

    @transaction.atomic
    def save(self, by=None):
        """Record the verdict on every selected row (one history record each); return the count."""
        verdict = self.cleaned_data["verdict"]
        note = self.cleaned_data["note"].strip()
        rows = list(self.cleaned_data["selected"])
        for row in rows:
            row.verification = verdict
            if note:
                row.verification_note = "\n\n".join(filter(None, [row.verification_note, note]))
            if by is not None:
                row._history_user = by
            row.save()
        return len(rows)
