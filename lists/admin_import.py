"""The admin upload page for importing a list: upload or paste, preview the report, confirm.

Nothing is written until the editor confirms. The document travels from the preview to the
confirm step in a signed (tamper-proof, expiring) hidden field and is parsed and matched
again on confirm, so the list written is exactly what the importer makes of that document,
with the editor's choices from the preview on top: another film, a new film or no entry for
any line, and which directors named in the prose to credit.
`ImportListAdminMixin` adds the page to the CuratedList admin at .../curatedlist/import/.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View

from catalogue.models import Film
from lists.importing import ListImportError, import_list
from lists.importing.errors import DOCUMENT_TOO_LARGE, MAX_DOCUMENT_BYTES
from lists.importing.matching import MatchOutcome
from lists.importing.parsers import decode_document
from lists.importing.services import MAX_TITLE_LENGTH, NEW_FILM, SKIP, ImportStatus, ProposalState
from lists.models import CuratedListEntry

PAYLOAD_SALT = "lists.import-preview"
PAYLOAD_MAX_AGE = 60 * 60  # a preview left open longer than an hour must be uploaded again
PREVIEW_EXPIRED = _("The preview expired or was altered; upload the document again.")
NO_DOCUMENT = _("Upload a document or paste its text.")
FILE_AND_TEXT = _("Upload a file or paste text, not both.")
PICK_A_FILM = _("Pick the film in the box below, or choose another option.")
BAD_CHOICE = _("Choose one of the options.")
FIX_THE_CHOICES = _("Nothing was imported: correct the choices marked below.")

# The per-line choice: keep what the matcher found, or override it.
KEEP, OTHER = "match", "other"
CANDIDATE_RE = re.compile(r"^film:(\d{1,18})$")


class ImportListForm(forms.Form):
    """Step one: the document and the options of `manage.py import_list`."""

    document = forms.FileField(
        required=False,
        label=_("Upload a file"),
        help_text=format_lazy(
            _(
                "A web listicle or structured list as UTF-8 text, or a Letterboxd list CSV "
                "(at most {limit} kB)."
            ),
            limit=MAX_DOCUMENT_BYTES // 1000,
        ),
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label=_("Or paste the text"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField import-paste"}),
        help_text=_("Copy the article or list from the browser and paste it here."),
    )
    title = forms.CharField(
        required=False,
        max_length=MAX_TITLE_LENGTH,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        label=_("Title"),
        help_text=_("The list's title; by default the document's heading or file name."),
    )
    replace = forms.BooleanField(
        required=False,
        label=_("Replace"),
        help_text=_("If this document was imported before, rebuild that list's entries."),
    )
    create_credits = forms.BooleanField(
        required=False,
        label=_("Create proposed credits"),
        help_text=_(
            "Add unambiguous “Character (Actor)” credits from the prose to NEW films. "
            "Directors the prose names are offered in the preview either way."
        ),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                DOCUMENT_TOO_LARGE.format(size=upload.size, limit=MAX_DOCUMENT_BYTES)
            )
        return upload

    def clean_text(self):
        text = self.cleaned_data["text"]
        size = len(text.encode("utf-8"))
        if size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                DOCUMENT_TOO_LARGE.format(size=size, limit=MAX_DOCUMENT_BYTES)
            )
        return text if text.strip() else ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("document") and cleaned.get("text"):
            raise forms.ValidationError(FILE_AND_TEXT)
        if not cleaned.get("document") and not cleaned.get("text"):
            raise forms.ValidationError(NO_DOCUMENT)
        return cleaned

    def document_data(self):
        """(bytes or text, file name) of the uploaded file or the pasted text."""
        upload = self.cleaned_data["document"]
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"], ""

    def options(self):
        return {
            "title": self.cleaned_data["title"] or None,
            "replace": self.cleaned_data["replace"],
            "create_credits": self.cleaned_data["create_credits"],
        }


class ConfirmImportForm(forms.Form):
    """Step two: the signed document and options, as previewed."""

    payload = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def sign(*, text, filename, options, report):
        data = {
            "text": text,
            "filename": filename,
            **options,
            "positions": [entry.position for entry in report.entries],
            "credit_keys": report.credit_keys,
        }
        return signing.dumps(data, salt=PAYLOAD_SALT, compress=True)

    def clean_payload(self):
        try:
            return signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(PREVIEW_EXPIRED) from None


class FilmChoiceField(forms.ModelChoiceField):
    """Refuses an id the primary key cannot hold before querying (SQLite overflows)."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                Film._meta.pk.clean(value, None)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


class FilmAutocomplete(AutocompleteSelect):
    """The admin's film autocomplete (the same search as a list entry's film box)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = _("Search another film…")
        return attrs


def film_autocomplete(admin_site):
    return FilmAutocomplete(CuratedListEntry._meta.get_field("film"), admin_site)


class ImportChoicesForm(forms.Form):
    """The editor's choice for each line of the preview, and the directors to credit.

    Built from the report in the preview (to show each line's options) and from the signed
    positions on confirm (to read them back); the service checks the films chosen exist.
    """

    def __init__(self, *args, positions, credit_keys, admin_site, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        entries = {entry.position: entry for entry in report.entries} if report else {}
        for position in self.positions:
            self.fields[f"choice-{position}"] = forms.CharField(
                required=False,
                label=format_lazy(_("Entry {position}"), position=position),
                widget=forms.Select(choices=choice_options(entries.get(position))),
            )
            self.fields[f"film-{position}"] = FilmChoiceField(
                queryset=Film.objects.all(),
                required=False,
                label=format_lazy(_("Another film for entry {position}"), position=position),
                widget=film_autocomplete(admin_site),
            )
        self.fields["credits"] = forms.MultipleChoiceField(
            choices=[(key, key) for key in credit_keys],
            required=False,
            initial=list(credit_keys),
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned = super().clean()
        self.overrides = {}
        for position in self.positions:
            choice = cleaned.get(f"choice-{position}") or KEEP
            film = cleaned.get(f"film-{position}")
            if film is not None and choice in (KEEP, OTHER):
                self.overrides[position] = film.pk
            elif choice == OTHER:
                self.add_error(f"film-{position}", PICK_A_FILM)
            elif choice in (NEW_FILM, SKIP):
                self.overrides[position] = choice
            elif CANDIDATE_RE.match(choice):
                self.overrides[position] = int(CANDIDATE_RE.match(choice)[1])
            elif choice != KEEP:
                self.add_error(f"choice-{position}", BAD_CHOICE)
        return cleaned

    def rows(self, report):
        """(entry, choice field, film field, its director proposals' checked state) per line."""
        ticked = set(self["credits"].value() or [])
        return [
            {
                "entry": entry,
                "choice": self[f"choice-{entry.position}"],
                "film": self[f"film-{entry.position}"],
                "ticked": ticked,
            }
            for entry in report.entries
            if f"choice-{entry.position}" in self.fields
        ]


def choice_options(entry):
    """The options of one line's choice, worded for what the matcher found."""
    if entry is None:
        return []
    if entry.outcome == MatchOutcome.MATCHED:
        options = [(KEEP, _("Use {film}").format(film=entry.matched_film))]
    elif entry.outcome == MatchOutcome.AMBIGUOUS:
        options = [(KEEP, _("— choose a film —"))]
        options += [(f"film:{film.pk}", f"{film} [{film.slug}]") for film in entry.match.candidates]
    else:
        options = [(KEEP, _("Create a new film"))]
    options.append((OTHER, _("Another film (pick below)")))
    if entry.outcome != MatchOutcome.NEW:
        options.append((NEW_FILM, _("A new film")))
    options.append((SKIP, _("Skip this line")))
    return options


class ImportListView(View):
    """Upload → preview (a dry run) → confirm (the import), for editors who may add lists."""

    model_admin = None
    upload_template = "admin/lists/import_upload.html"
    preview_template = "admin/lists/import_preview.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_upload(ImportListForm())

    def post(self, request):
        if "payload" in request.POST:
            return self.confirm(ConfirmImportForm(request.POST))
        return self.preview(ImportListForm(request.POST, request.FILES))

    def preview(self, form):
        if not form.is_valid():
            return self.render_upload(form)
        data, filename = form.document_data()
        options = form.options()
        error_field = "document" if filename else "text"
        try:
            report = import_list(data, filename=filename, dry_run=True, **options)
        except ListImportError as error:
            form.add_error(error_field, error.message)
            return self.render_upload(form, report=error.report)
        text = decode_document(data)  # the same text the dry run parsed
        payload = ConfirmImportForm.sign(
            text=text, filename=filename, options=options, report=report
        )
        return self.render_preview(report, payload)

    def confirm(self, form):
        if not form.is_valid():
            return self.render_upload(ImportListForm(), errors=form.errors["payload"])
        signed = form.cleaned_data["payload"]
        payload = dict(signed)
        text, filename = payload.pop("text"), payload.pop("filename")
        positions, credit_keys = payload.pop("positions", []), payload.pop("credit_keys", [])
        choices = ImportChoicesForm(
            self.request.POST,
            positions=positions,
            credit_keys=credit_keys,
            admin_site=self.model_admin.admin_site,
        )
        if not choices.is_valid():
            return self.preview_again(text, filename, payload, choices, FIX_THE_CHOICES)
        try:
            report = import_list(
                text,
                filename=filename,
                overrides=choices.overrides,
                director_credits=set(choices.cleaned_data["credits"]),
                **payload,
            )
        except ListImportError as error:
            return self.preview_again(text, filename, payload, choices, error.message)
        curated_list = report.curated_list
        if report.status == ImportStatus.ALREADY_IMPORTED:
            messages.warning(
                self.request,
                _("“{list}” was already imported from this document.").format(list=curated_list),
            )
        else:
            messages.success(self.request, success_message(report))
        opts = curated_list._meta
        return redirect(
            reverse(
                f"{self.model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[curated_list.pk],
            )
        )

    def preview_again(self, text, filename, options, choices, message):
        """The preview with the editor's choices kept and what stopped the import."""
        try:
            report = import_list(text, filename=filename, dry_run=True, **options)
        except ListImportError as error:
            return self.render_upload(ImportListForm(), errors=[message], report=error.report)
        payload = ConfirmImportForm.sign(
            text=text, filename=filename, options=options, report=report
        )
        return self.render_preview(report, payload, choices=choices, errors=[message])

    def render_preview(self, report, payload, *, choices=None, errors=()):
        if choices is None:
            choices = ImportChoicesForm(
                positions=[entry.position for entry in report.entries],
                credit_keys=report.credit_keys,
                admin_site=self.model_admin.admin_site,
                report=report,
            )
        else:  # rebuilt with the report, so each line shows its own options again
            bound, data = choices, choices.data.copy()
            for name in bound.errors:
                data.pop(name, None)  # a forged film id must not reach the widget's lookup
            choices = ImportChoicesForm(
                data,
                positions=bound.positions,
                credit_keys=report.credit_keys,
                admin_site=self.model_admin.admin_site,
                report=report,
            )
        confirm = ConfirmImportForm(initial={"payload": payload})
        return self.render(
            self.preview_template,
            {
                "report": report,
                "confirm_form": confirm,
                "choices": choices,
                "rows": choices.rows(report),
                "choosing": True,
                "errors": errors,
                "media": choices.media,
            },
        )

    def render_upload(self, form, *, errors=(), report=None):
        rows = [{"entry": entry} for entry in report.entries] if report else []
        context = {"form": form, "errors": errors, "report": report, "rows": rows}
        return self.render(self.upload_template, context)

    def render(self, template, context):
        opts = self.model_admin.model._meta
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": _("Import a list from a document"),
            "outcomes": MatchOutcome,
            "statuses": ImportStatus,
            **context,
        }
        return TemplateResponse(self.request, template, context)


def success_message(report):
    """The confirmation: how many films matched, were made new, skipped or credited."""
    matched, new, left_out = len(report.matched), len(report.new), len(report.left_out)
    parts = [
        ngettext("%(count)d film matched", "%(count)d films matched", matched) % {"count": matched},
        ngettext(
            "%(count)d new film marked unverified", "%(count)d new films marked unverified", new
        )
        % {"count": new},
    ]
    if left_out:
        parts.append(
            ngettext("%(count)d line skipped", "%(count)d lines skipped", left_out)
            % {"count": left_out}
        )
    credited = sum(
        1 for _, proposal in report.director_proposals if proposal.state == ProposalState.CREDITED
    )
    if credited:
        parts.append(
            ngettext("%(count)d director credited", "%(count)d directors credited", credited)
            % {"count": credited}
        )
    return _("Imported “{list}” as a draft: {parts}.").format(
        list=report.curated_list, parts=", ".join(parts)
    )


class ImportListAdminMixin:
    """Adds the import page to a ModelAdmin (list it first among the admin's bases)."""

    def get_urls(self):
        view = ImportListView.as_view(model_admin=self)
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]
