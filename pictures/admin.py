"""Pictures in the admin: an inline on the film, person and list pages (upload with a
preview of what was stored), and a page of all pictures of each kind.

The film, person and list admins live on lower floors and cannot import this app, so the
inlines are attached here, to the admins already registered (app order in INSTALLED_APPS
puts this module after catalogue's and lists')."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue.models import Film, Person
from core.admin import HistoryAdmin
from lists.models import CuratedList
from pictures.display import rendition_urls
from pictures.models import FilmPicture, ListCover, PersonPicture
from pictures.services import ORIGINAL_GONE, original_is_stored, store_picture
from pictures.validation import (
    ACCEPTED_FORMATS,
    PictureRejected,
    check_minimum_size,
    clean_upload,
)

ACCEPT = ",".join(f"image/{fmt.lower()}" for fmt in ACCEPTED_FORMATS)


class PictureForm(forms.ModelForm):
    """Checks an upload as the API does (pictures.validation) and stores it through the
    service, which strips metadata and makes the renditions."""

    file = forms.FileField(
        label=_("Picture"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "picture-upload"}),
        help_text=_("JPEG, PNG or WebP. Metadata is removed; the orientation is applied."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                (kind.value, kind.label) for kind in self._meta.model.kinds
            ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.clean_picture = None
        if isinstance(upload, UploadedFile):
            try:
                self.clean_picture = clean_upload(upload)
            except PictureRejected as error:
                raise ValidationError(str(error), code="invalid_picture") from error
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or getattr(self.instance, "kind", "")
        # A new upload is measured; without one, the stored file, when it is to be shown as
        # another kind, must be large enough for that kind too.
        if not kind:
            return data  # the kind field says what is missing
        if getattr(self, "clean_picture", None) is not None:
            measured, field = self.clean_picture, "file"
        elif self.instance.pk and "kind" in self.changed_data:
            measured, field = self.instance, "kind"
        else:
            return data
        try:
            check_minimum_size(measured, kind)
        except PictureRejected as error:
            self.add_error(field, ValidationError(str(error), code="invalid_picture"))
            self.clean_picture = None
        return data

    def save(self, commit=True):
        picture = super().save(commit=False)
        if commit:
            store_picture(picture, clean=getattr(self, "clean_picture", None))
        return picture


def preview(picture):
    """The smallest stored rendition, as the pages will show it."""
    if not picture.pk or not picture.renditions:
        return _("Shown here once saved.")
    smallest = rendition_urls(picture)[0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-preview">',
        smallest["url"],
        min(smallest["width"], 160),
        round(smallest["height"] * min(smallest["width"], 160) / smallest["width"]),
        picture.alt_text,
    )


class PreviewMedia:
    js = ["pictures/admin-preview.js"]


class PictureInline(admin.StackedInline):
    form = PictureForm
    Media = PreviewMedia
    extra = 0
    readonly_fields = ["preview"]
    fields = [
        ("preview", "file"),
        "kind",
        "alt_text",
        "caption",
        ("author", "source_url"),
        ("licence", "licence_note"),
        "is_primary",
        ("verification", "verification_note"),
    ]

    @admin.display(description=_("Preview"))
    def preview(self, picture):
        return preview(picture)


class FilmPictureInline(PictureInline):
    model = FilmPicture


class PersonPictureInline(PictureInline):
    model = PersonPicture


class ListCoverInline(PictureInline):
    model = ListCover


class PictureAdmin(HistoryAdmin):
    form = PictureForm
    Media = PreviewMedia
    list_display = ["__str__", "kind", "licence", "is_primary", "verification", "updated_at"]
    list_filter = ["kind", "licence", "verification", "is_primary"]
    readonly_fields = ["preview", "width", "height"]
    search_fields = ["alt_text", "caption", "author"]

    @admin.display(description=_("Preview"))
    def preview(self, picture):
        return preview(picture)

    def save_model(self, request, obj, form, change):
        store_picture(obj, clean=form.clean_picture)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version whose original is no longer stored (replaced before replaced originals
        were kept) would come back as a picture without an image: the revert page says so
        and a confirmed revert writes nothing."""
        if str(object_id).isdigit() and str(version_id).isdigit():
            versions = self.model.history.filter(id=object_id, history_id=version_id)
            name = versions.values_list("file", flat=True).first()
            if name is not None and not original_is_stored(name):
                if request.method == "POST":
                    return redirect(request.get_full_path())
                self.message_user(request, ORIGINAL_GONE, messages.ERROR)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(FilmPicture)
class FilmPictureAdmin(PictureAdmin):
    autocomplete_fields = ["film"]
    list_select_related = ["film"]


@admin.register(PersonPicture)
class PersonPictureAdmin(PictureAdmin):
    autocomplete_fields = ["person"]
    list_select_related = ["person"]


@admin.register(ListCover)
class ListCoverAdmin(PictureAdmin):
    autocomplete_fields = ["curated_list"]
    list_select_related = ["curated_list"]


for _model, _inline in (
    (Film, FilmPictureInline),
    (Person, PersonPictureInline),
    (CuratedList, ListCoverInline),
):
    _model_admin = admin.site.get_model_admin(_model)
    _model_admin.inlines = [*_model_admin.inlines, _inline]
