"""Admin building blocks every app's admin uses: safe actions and history URLs, autocomplete
widgets and inlines that reuse rows already loaded (a fixed query budget per page), the
verification filter, and search through the text search engine."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from core import response_cache
from core.history import (
    describe_changes,
    describe_field_changes,
    history_manager,
    history_reason,
    unsaved_record_of,
)
from core.models import Verification
from core.translations import translated_columns, translated_fields

NEEDS_REVIEW = "needs-review"

# Messages of Django 6.1 and django-simple-history that their Russian catalogues lack (Django's
# new blank choice; simple-history ships ru_RU, which "ru" never loads): ours translate them.
LIBRARY_MESSAGES = (gettext_noop("- Select an option -"), gettext_noop("Changes"))

REQUIRED_IN_ONE_LANGUAGE = _("Write this in at least one language.")


class TranslatedAdmin(TranslationAdmin):
    """The admin of a model with texts in both languages (side by side). A required text is
    required in one language, whichever the editor writes in: a list imported in Russian
    can be saved before anyone writes its English title, which falls back to the Russian."""

    def get_form(self, request, obj=None, **kwargs):
        return one_language_enough(super().get_form(request, obj, **kwargs), self.model)


class OneLanguageEnoughInlineMixin:
    """An inline of a model with texts in both languages: one language is enough, as in
    TranslatedAdmin (a fact or an award added on its film's page may be written in Russian
    only)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = one_language_enough(formset.form, self.model)
        return formset


class TranslatedStackedInline(OneLanguageEnoughInlineMixin, TranslationStackedInline):
    pass


class TranslatedTabularInline(OneLanguageEnoughInlineMixin, TranslationTabularInline):
    pass


def one_language_enough(form, model):
    """`form` with each required translated text of `model` required in one language only."""
    required = [
        name for name in sorted(translated_fields(model)) if not model._meta.get_field(name).blank
    ]
    return type(form.__name__, (OneLanguageEnoughForm, form), {"texts_required": required})


class OneLanguageEnoughForm:
    texts_required = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.texts_required:
            for column in translated_columns(name):
                if column in self.fields:
                    self.fields[column].required = False

    def clean(self):
        data = super().clean()
        for name in self.texts_required:
            columns = [column for column in translated_columns(name) if column in self.fields]
            if columns and not any(data.get(column) for column in columns):
                self.add_error(columns[0], REQUIRED_IN_ONE_LANGUAGE)
        return data


# The admin is the editors' Kinoteka, not "Django administration".
admin.site.site_header = _("Kinoteka")
admin.site.site_title = _("Kinoteka admin")
admin.site.index_title = _("Catalogue and lists")


def human_time(value):
    """A timestamp as people read it, "2 Nov 2026, 14:05 (4 weeks ago)"; the exact one on hover."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{} ({})</time>',
        local.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        date_format(local, "j M Y, H:i"),
        naturaltime(value),
    )


def timestamp_column(field, description):
    """An admin column or read-only field showing the model's `field` with human_time."""

    @admin.display(description=description, ordering=field)
    def column(model_admin, obj):
        return human_time(getattr(obj, field))

    return column


class VerificationFilter(admin.SimpleListFilter):
    """Verification status, plus "needs review" (unverified or disputed)."""

    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [(NEEDS_REVIEW, _("Needs review")), *Verification.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NEEDS_REVIEW:
            return queryset.exclude(verification=Verification.CONFIRMED)
        if value in Verification.values:
            return queryset.filter(verification=value)
        return queryset


class ValidatedActionsMixin:
    """Checks the row ids an admin action was posted with before Django filters on them.

    Django passes `_selected_action` straight to `pk__in`: a forged id ("abc", or beyond
    64 bits on SQLite) would be a 500 instead of a message.
    """

    def response_action(self, request, queryset, **kwargs):
        pk_field = self.model._meta.pk
        try:
            for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                pk_field.clean(value, None)
        except ValidationError:
            self.message_user(
                request, _("Some selected rows do not exist; nothing was done."), messages.ERROR
            )
            return redirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)


class BaseModelAdmin(ValidatedActionsMixin, admin.ModelAdmin):
    """The base for admins without history."""


REVERT_NOT_CONFIRMED_MESSAGE = _(
    "Nothing was reverted: tick the box that confirms you want this version back."
)
REVERT_CONFIRM_FIELD = "confirm_revert"


class HistoryAdmin(ValidatedActionsMixin, SimpleHistoryAdmin):
    """django-simple-history's admin, made whole: every version says why it was written and
    what it changed, and a revert shows what it will change and asks to be confirmed.
    Safe against odd URLs (a non-number is a 404)."""

    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"

    # Why: each record written by an admin page carries the page's reason.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Reasons are stored as written, in English: a record every editor reads the same.
        reason = "Edited in the admin" if object_id else "Added in the admin"
        with history_reason(reason):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with history_reason("Deleted in the admin"):
            return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        with history_reason("Deleted in the admin"):
            super().delete_queryset(request, queryset)

    # What: the Changes column, one line per change, for every row of the page.
    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404(_("No such object."))
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, page_obj, foreign_keys_are_objs=True):
        records = list(page_obj.object_list)
        if not records:
            return
        # The oldest row of a page is compared with the newest of the next page.
        older = None
        if page_obj.has_next():
            older = page_obj.paginator.object_list[page_obj.end_index()]
        for record, previous in zip(records, [*records[1:], older], strict=True):
            record.change_summary = self.describe_version(record, previous)

    def describe_version(self, record, previous):
        """Lines saying what the version `record` changed since `previous` (None: first)."""
        return describe_changes(record, previous)

    def describe_revert(self, request, obj, version):
        """Lines saying what reverting `obj` to `version` would change."""
        return describe_field_changes(version, unsaved_record_of(obj))

    # Revert: show what will change, write only once confirmed.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history URLs accept any text; a non-number must be a 404, not a crash.
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404(_("No such version."))
        history = history_manager(self.model)
        version = get_object_or_404(
            history.select_related("history_user"), id=object_id, history_id=version_id
        )
        obj = self.get_object(request, object_id)
        # simple-history checks only the right to view on a POST; a revert is a change.
        if request.method == "POST" and self.revert_disabled(request, obj):
            raise PermissionDenied
        if request.method == "POST" and not request.POST.get(REVERT_CONFIRM_FIELD):
            self.message_user(request, REVERT_NOT_CONFIRMED_MESSAGE, messages.ERROR)
            return redirect(request.get_full_path())
        extra_context = {
            **(extra_context or {}),
            "version": version,
            "revert_changes": self.describe_revert(request, obj, version) if obj else [],
            "confirm_field": REVERT_CONFIRM_FIELD,
        }
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # Read by save_model: an admin whose rows hold more than their fields (a list's
        # entries) restores that too, in the same transaction.
        request.reverting_to = version
        request.revert_reason = f"Reverted to the version of {localize_date(version.history_date)}"
        with transaction.atomic(), history_reason(request.revert_reason):
            if obj is not None:
                # The revert saves the version's own copy of the row, whose parents and
                # visibility are the version's: the rows it belongs to now (a fact's film),
                # and the pages it appears on or leaves (a film published again), must hear.
                response_cache.invalidate(tags=response_cache.revert_tags(obj, version.instance))
            return super().history_form_view(request, object_id, version_id, extra_context)


def localize_date(moment):
    """A version's date as editors read it in the admin."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its value with the row's loaded object, not a query.

    `url_parameters` go with each search it sends (e.g. which rows to leave out).
    """

    preloaded = None
    url_parameters = None

    def get_url(self):
        url = super().get_url()
        return f"{url}?{urlencode(self.url_parameters)}" if self.url_parameters else url

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        obj = self.preloaded
        if obj is None or selected != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, set(selected), len(options)))
        return [(None, options, 0)]


class PreloadedFormSetMixin:
    """Hands each inline form's autocomplete widgets the related objects its row carries."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk is None:
            return form
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect):
                widget.preloaded = getattr(form.instance, name, None)
        return form


class PreloadedFormSet(PreloadedFormSetMixin, BaseInlineFormSet):
    pass


class FastInlineMixin:
    """Inline rows load their related objects in the same query as the rows."""

    formset = PreloadedFormSet
    inline_select_related = ()
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.inline_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def search_with_service(model_admin, request, queryset, search_term):
    """Admin search through the text search engine (titles, names, any script)."""
    if not search_term.strip():
        return queryset, False
    matches = model_admin.model.objects.search(search_term)
    return queryset.filter(pk__in=matches.values("pk")), False
