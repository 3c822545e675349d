"""The admin upload page for importing a list: upload, preview the report, confirm.

Nothing is written until the editor confirms. The document travels from the preview to the
confirm step in a signed (tamper-proof, expiring) hidden field and is parsed and matched
again on confirm, so the list written is exactly what the importer makes of that document.
`ImportListAdminMixin` adds the page to the CuratedList admin at .../curatedlist/import/.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views import View

from lists.importing import ListImportError, import_list
from lists.importing.errors import DOCUMENT_TOO_LARGE, MAX_DOCUMENT_BYTES
from lists.importing.matching import MatchOutcome
from lists.importing.parsers import decode_document
from lists.importing.services import MAX_TITLE_LENGTH, ImportStatus

PAYLOAD_SALT = "lists.import-preview"
PAYLOAD_MAX_AGE = 60 * 60  # a preview left open longer than an hour must be uploaded again
PREVIEW_EXPIRED = "The preview expired or was altered; upload the document again."


class ImportListForm(forms.Form):
    """Step one: the document and the options of `manage.py import_list`."""

    document = forms.FileField(
        help_text=(
            "A web listicle or structured list as UTF-8 text, or a Letterboxd list CSV "
            f"(at most {MAX_DOCUMENT_BYTES // 1000:,} kB)."
        )
    )
    title = forms.CharField(
        required=False,
        max_length=MAX_TITLE_LENGTH,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="The list's title; by default the document's heading or file name.",
    )
    replace = forms.BooleanField(
        required=False,
        help_text="If this document was imported before, rebuild that list's entries.",
    )
    create_credits = forms.BooleanField(
        required=False,
        label="Create proposed credits",
        help_text="Add unambiguous “Character (Actor)” credits from the prose to NEW films.",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                DOCUMENT_TOO_LARGE.format(size=upload.size, limit=MAX_DOCUMENT_BYTES)
            )
        return upload

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
    def sign(*, text, filename, options):
        data = {"text": text, "filename": filename, **options}
        return signing.dumps(data, salt=PAYLOAD_SALT, compress=True)

    def clean_payload(self):
        try:
            return signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(PREVIEW_EXPIRED) from None


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
        upload = form.cleaned_data["document"]
        options = form.options()
        try:
            document = upload.read()
            report = import_list(document, filename=upload.name, dry_run=True, **options)
        except ListImportError as error:
            form.add_error("document", error.message)
            return self.render_upload(form, report=error.report)
        text = decode_document(document)  # the same text the dry run parsed
        confirm = ConfirmImportForm(
            initial={
                "payload": ConfirmImportForm.sign(text=text, filename=upload.name, options=options)
            }
        )
        return self.render(self.preview_template, {"report": report, "confirm_form": confirm})

    def confirm(self, form):
        if not form.is_valid():
            return self.render_upload(ImportListForm(), errors=form.errors["payload"])
        payload = dict(form.cleaned_data["payload"])
        text, filename = payload.pop("text"), payload.pop("filename")
        try:
            report = import_list(text, filename=filename, **payload)
        except ListImportError as error:
            return self.render_upload(ImportListForm(), errors=[error.message], report=error.report)
        curated_list = report.curated_list
        if report.status == ImportStatus.ALREADY_IMPORTED:
            messages.warning(
                self.request, f"“{curated_list}” was already imported from this document."
            )
        else:
            messages.success(
                self.request,
                f"Imported “{curated_list}” as a draft: {len(report.matched)} "
                f"film{pluralize(len(report.matched))} matched, {len(report.new)} new "
                f"film{pluralize(len(report.new))} marked unverified.",
            )
        opts = curated_list._meta
        return redirect(
            reverse(
                f"{self.model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[curated_list.pk],
            )
        )

    def render_upload(self, form, *, errors=(), report=None):
        return self.render(self.upload_template, {"form": form, "errors": errors, "report": report})

    def render(self, template, context):
        opts = self.model_admin.model._meta
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": "Import a list from a document",
            "outcomes": MatchOutcome,
            "statuses": ImportStatus,
            **context,
        }
        return TemplateResponse(self.request, template, context)


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
