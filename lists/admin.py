"""The editors' workspace for curated lists: ordering entries by drag and drop, publishing,
previewing, and restoring an earlier version of a list with its entries."""

from collections import Counter

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline

from catalogue.admin import ClaimKind, FilmAdmin, register_claim_kind
from catalogue.models import Film
from core.admin import (
    FastInlineMixin,
    HistoryAdmin,
    PreloadedFormSetMixin,
    TranslatedAdmin,
    VerificationFilter,
    search_with_service,
    timestamp_column,
)
from core.history import history_reason
from lists.admin_import import ImportListAdminMixin  # the list importer's upload page
from lists.history import (
    describe_entry_changes,
    describe_list_version,
    snapshot_entries,
    snapshot_latest_version,
)
from lists.models import CuratedList, CuratedListEntry
from lists.services import (
    ListError,
    MergeError,
    UnpublishedFilmsError,
    merge_films,
    plan_merge,
    publish_list,
    record_list_version,
    restore_list_entries,
    save_entries,
    unpublish_list,
)

DUPLICATE_POSITION_MESSAGE = _(
    "Two entries have position {position}: each place in a list holds one film."
)
DUPLICATE_FILM_MESSAGE = _("{film} is in the list twice: remove one of its entries.")
EXCLUDE_LIST_PARAMETER = "exclude_list"
ALREADY_IN_LIST_MESSAGE = _("Already in this list: choose another film or remove this row.")
PUBLISHED_LIST_DELETE_MESSAGE = _(
    "Published lists cannot be deleted by editors: unpublish it first."
)
MERGE_TWO_FILMS_MESSAGE = _("Select exactly two films to merge: the duplicate and the one to keep.")
MERGE_NO_SUCH_FILMS_MESSAGE = _("Those films do not exist (any more): select two films again.")


def preview_url(curated_list):
    """The public page of the list (drafts show there to editors only), if the site has it."""
    try:
        return curated_list.get_absolute_url()
    except NoReverseMatch:
        return None


class EntryForm(forms.ModelForm):
    """One entry of the list form. Its position is checked among the submitted entries (the
    formset) rather than against the stored rows, which the save is about to renumber."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"position"}


class EntryFormSet(PreloadedFormSetMixin, CustomInlineFormSet):
    """The list's entries: one film per place, one place per film, explained in words."""

    def clean(self):
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not self._should_delete_form(form)
        ]
        problems = []
        positions = Counter(form.cleaned_data.get("position") for form in kept)
        for position, count in sorted(positions.items(), key=lambda item: item[0] or 0):
            if position is not None and count > 1:
                problems.append(DUPLICATE_POSITION_MESSAGE.format(position=position))
        films = Counter(form.cleaned_data.get("film") for form in kept)
        for film, count in films.items():
            if film is not None and count > 1:
                problems.append(DUPLICATE_FILM_MESSAGE.format(film=film))
                # The row to fix is the one that brought the film in a second time.
                repeats = [form for form in kept if form.cleaned_data.get("film") == film]
                for form in repeats[1:] if repeats[0].instance.pk else repeats[:-1]:
                    form.add_error("film", ALREADY_IN_LIST_MESSAGE)
        if problems:
            raise ValidationError(problems)
        super().clean()


class CuratedListEntryInline(SortableInlineAdminMixin, FastInlineMixin, TranslationTabularInline):
    model = CuratedListEntry
    form = EntryForm
    formset = EntryFormSet
    # The package's Django 6.0 tabular inline (6.1's is unchanged), with ▲▼ by one place.
    template = "admin/lists/curatedlist/entries_inline.html"
    ordering = ["position"]
    fields = ["film", "blurb", "fact", "verification"]
    autocomplete_fields = ["film"]
    inline_select_related = ["film"]
    show_change_link = False
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "cols": 30})},
    }

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk:
            # The film autocomplete leaves out the films this list already holds.
            widget = formset.form.base_fields["film"].widget
            getattr(widget, "widget", widget).url_parameters = {EXCLUDE_LIST_PARAMETER: obj.pk}
        return formset


class SortableListAdminBase(SortableAdminBase):
    """SortableAdminBase, minus its patched actions.js (it has none for Django 6.1)."""

    @property
    def media(self):
        media = super().media
        js = [
            "admin/js/actions.js"
            # Django 6.1 lists Script objects; their path is ._path.
            if str(getattr(script, "_path", script)).startswith("adminsortable2/js/actions-")
            else script
            for script in media._js
        ]
        return forms.Media(css=media._css, js=js)


@admin.register(CuratedList)
class CuratedListAdmin(ImportListAdminMixin, SortableListAdminBase, TranslatedAdmin, HistoryAdmin):
    list_display = ["title", "status", "published", "featured", "entry_count"]
    list_filter = ["status", "featured"]
    search_fields = ["title"]
    search_help_text = _("Words of the title or introduction, in Cyrillic or Latin letters.")
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "published", "preview", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "introduction", "featured", "source"]}),
        (_("Publication"), {"fields": [("status", "published"), "preview"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]
    autocomplete_fields = ["source"]
    inlines = [CuratedListEntryInline]
    actions = ["publish_selected", "unpublish_selected"]
    # The save buttons come first in the form, so Enter in a field saves instead of pressing
    # the first ▲ of the entries.
    save_on_top = True
    view_on_site = False  # the preview link below copes with a site that lacks the page
    object_history_form_template = "admin/lists/curatedlist/object_history_form.html"
    published = timestamp_column("published_at", _("published"))
    created = timestamp_column("created_at", _("created"))
    updated = timestamp_column("updated_at", _("last changed"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("films"), ordering="entry_count")
    def entry_count(self, curated_list):
        return curated_list.entry_count

    def get_search_results(self, request, queryset, search_term):
        return search_with_service(self, request, queryset, search_term)

    @admin.display(description=_("preview"))
    def preview(self, curated_list):
        url = preview_url(curated_list) if curated_list.pk else None
        if url is None:
            return (
                _("Save the list first.")
                if not curated_list.pk
                else _("The public page is not built yet.")
            )
        label = (
            _("View as visitors see it") if curated_list.is_published else _("Preview the draft")
        )
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = preview_url(obj) if obj is not None and obj.pk else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Deleting: drafts yes, published lists only by a superuser (visitors may link to them).
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        curated_list = self.get_object(request, object_id)
        if curated_list is not None and not self.has_delete_permission(request, curated_list):
            if self.has_change_permission(request, curated_list):
                self.message_user(request, PUBLISHED_LIST_DELETE_MESSAGE, messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:lists_curatedlist_change", args=[curated_list.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    # Saving: the entries' positions are written by the service, never row by row.
    def save_model(self, request, obj, form, change):
        version = getattr(request, "reverting_to", None)
        if version is None:
            return super().save_model(request, obj, form, change)
        # A revert restores content; publication stays as it is now. The version it writes
        # is written once the entries are back, by restore_list_entries.
        current = CuratedList.objects.get(pk=obj.pk)
        obj.status, obj.published_at = current.status, current.published_at
        obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            del obj.skip_history_when_saving
        try:
            restore_list_entries(obj, version, by=request.user, reason=request.revert_reason)
        except ListError as error:
            self.message_user(request, str(error), messages.WARNING)
            record_list_version(obj, by=request.user, reason=request.revert_reason)
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The version save_model wrote holds the entries as they were before the inline
        # saved them: it now takes them as they are.
        snapshot_latest_version(form.instance)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CuratedListEntry:
            return super().save_formset(request, form, formset, change)
        moving = parse_move(request.POST.get(MOVE_BUTTON), formset)
        changed = formset.save(commit=False)
        deleted = list(formset.deleted_objects)
        kept = [
            (index, entry_form.instance)
            for index, entry_form in enumerate(formset.forms)
            if not formset._should_delete_form(entry_form)
            and (entry_form.instance.pk or entry_form.has_changed())
        ]
        ordered = [entry for _, entry in sorted(kept, key=_entry_order)]
        if moving is not None:
            ordered = moved_by_one(ordered, *moving)
        save_entries(form.instance, ordered, changed=changed, deleted=deleted, by=request.user)

    # Publishing: the "Save and publish" / "Save and unpublish" buttons and the actions.
    # A list holding unpublished films (an import's stubs) is published only after a page
    # that names them, because publishing the list publishes them too.
    def response_change(self, request, obj):
        if MOVE_BUTTON in request.POST:
            # ▲▼ save the form like "Save and continue editing" and come back to it.
            self.message_user(
                request,
                _("“{list}” saved with the entry moved.").format(list=obj),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path + "#entries-group")
        for flag, service, done in [
            ("_publish", publish_list, _("“{list}” is published.")),
            ("_unpublish", unpublish_list, _("“{list}” is unpublished: only editors see it now.")),
        ]:
            if flag in request.POST:
                try:
                    service(obj, by=request.user)
                except UnpublishedFilmsError:
                    return HttpResponseRedirect(
                        reverse("admin:lists_curatedlist_publish", args=[obj.pk])
                    )
                except ListError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(request, done.format(list=obj), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        return [
            path("<int:object_id>/publish/", publish, name="lists_curatedlist_publish"),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        """The warning before a list with unpublished films is published: it names them;
        confirming publishes the list and them."""
        curated_list = self.get_object(request, str(object_id))
        if curated_list is None:
            raise Http404(_("No such list."))
        if not self.has_change_permission(request, curated_list):
            raise PermissionDenied
        change_url = reverse("admin:lists_curatedlist_change", args=[curated_list.pk])
        if request.method == "POST":
            try:
                publish_list(curated_list, by=request.user, publish_films_too=True)
            except ListError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“{list}” is published, with its films.").format(list=curated_list),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        return self._publish_confirmation(request, [curated_list], cancel_url=change_url)

    def _publish_confirmation(self, request, lists, *, cancel_url, action_ids=None):
        entries = CuratedListEntry.objects.filter(curated_list__in=lists).of_unpublished_films()
        held = {}
        for entry in entries:
            held.setdefault(entry.curated_list, []).append(entry)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish lists with unpublished films?"),
            "lists_with_stubs": list(held.items()),
            "list_count": len(lists),
            "action_ids": action_ids,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(
            request, "admin/lists/curatedlist/publish_confirmation.html", context
        )

    @admin.action(description=_("Publish selected lists"), permissions=["change"])
    def publish_selected(self, request, queryset):
        confirmed = request.POST.get("confirm_publish") == "yes"
        if not confirmed:
            lists = list(queryset)
            if CuratedListEntry.objects.filter(curated_list__in=lists).of_unpublished_films():
                return self._publish_confirmation(
                    request,
                    lists,
                    cancel_url=reverse("admin:lists_curatedlist_changelist"),
                    action_ids=[curated_list.pk for curated_list in lists],
                )

        def publish(curated_list, by):
            return publish_list(curated_list, by=by, publish_films_too=confirmed)

        self._run_on_each(request, queryset, publish, count_published)

    @admin.action(description=_("Unpublish selected lists (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._run_on_each(request, queryset, unpublish_list, count_unpublished)

    def _run_on_each(self, request, queryset, service, done):
        count = 0
        for curated_list in queryset:
            try:
                service(curated_list, by=request.user)
            except ListError as error:
                self.message_user(request, f"“{curated_list}”: {error}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done(count), messages.SUCCESS)

    # History: every version holds the list's entries; reverting puts them back exactly.
    def describe_version(self, record, previous):
        return describe_list_version(record, previous)

    def describe_revert(self, request, obj, version):
        return [
            *super().describe_revert(request, obj, version),
            *describe_entry_changes(snapshot_entries(obj), version.entries_snapshot),
        ]


def count_published(count):
    return ngettext("%(count)d list published.", "%(count)d lists published.", count) % {
        "count": count
    }


def count_unpublished(count):
    return ngettext("%(count)d list unpublished.", "%(count)d lists unpublished.", count) % {
        "count": count
    }


MOVE_BUTTON = "_move"
MOVE_STEPS = {"up": -1, "down": 1}


def parse_move(value, formset):
    """(entry, step) from a ▲▼ button's "<form index>:up|down", or None if it is not one."""
    index, _, direction = (value or "").partition(":")
    if not index.isdigit() or direction not in MOVE_STEPS:
        return None
    forms_ = formset.forms
    if int(index) >= len(forms_) or forms_[int(index)].instance.pk is None:
        return None
    return forms_[int(index)].instance, MOVE_STEPS[direction]


def moved_by_one(ordered, entry, step):
    """The entries with `entry` swapped with its neighbour above (-1) or below (+1)."""
    ordered = list(ordered)
    if entry not in ordered:
        return ordered
    here = ordered.index(entry)
    there = here + step
    if 0 <= there < len(ordered):
        ordered[here], ordered[there] = ordered[there], ordered[here]
    return ordered


def _entry_order(indexed_entry):
    """New entries without a position go last, in the order they were added."""
    index, entry = indexed_entry
    return (entry.position is None, entry.position or 0, index)


@admin.register(CuratedListEntry)
class CuratedListEntryAdmin(TranslatedAdmin, HistoryAdmin):
    """Single entries, for the verification queue and their history; order them in the list."""

    list_display = ["curated_list", "position", "film", "verification"]
    list_filter = [VerificationFilter, ("curated_list", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["curated_list", "film"]
    search_fields = ["curated_list__title", "film__title", "film__original_title", "blurb"]
    fields = [
        "curated_list",
        "position",
        "film",
        "blurb",
        "fact",
        "verification",
        "verification_note",
    ]
    readonly_fields = ["curated_list", "position", "film"]

    def has_add_permission(self, request):
        return False  # entries are added in their list, where their place is chosen

    # An entry changed here is a change of its list: the list writes a version too.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reason = getattr(request, "revert_reason", None) or f"Edited the entry {obj}"
        record_list_version(obj.curated_list, by=request.user, reason=reason)

    # Removing entries here closes the gap they leave in their list's positions.
    def delete_model(self, request, obj):
        self._delete_entry(request, obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset.select_related("curated_list", "film"):
            self._delete_entry(request, entry)

    def _delete_entry(self, request, entry):
        reason = f"Removed {entry.film}"
        with history_reason(reason):
            save_entries(entry.curated_list, [], deleted=[entry], by=request.user)
            record_list_version(entry.curated_list, by=request.user, reason=reason)


def count_entries(count):
    return ngettext("%(count)d list entry", "%(count)d list entries", count) % {"count": count}


register_claim_kind(
    ClaimKind(
        "entries",
        _("List entries"),
        CuratedListEntry,
        ("curated_list", "film"),
        details=("blurb", "fact"),
        context="curated_list",
        counted=count_entries,
    )
)


# --- Films, with the lists that hold them ---
# The catalogue's film admin knows nothing of lists; this app adds what it knows of a film.
admin.site.unregister(Film)


@admin.register(Film)
class FilmInListsAdmin(FilmAdmin):
    """The catalogue's film admin, plus how many lists hold each film, a filter by list, and
    the merge of a duplicate film (which moves list entries too)."""

    list_display = [*FilmAdmin.list_display, "list_count"]
    list_filter = [
        *FilmAdmin.list_filter,
        ("list_entries__curated_list", admin.RelatedOnlyFieldListFilter),
    ]
    actions = [*FilmAdmin.actions, "merge_selected"]

    @admin.action(description=_("Merge the two selected films…"), permissions=["change"])
    def merge_selected(self, request, queryset):
        films = list(queryset.order_by("pk")[:3])
        if len(films) != 2:
            self.message_user(request, MERGE_TWO_FILMS_MESSAGE, messages.ERROR)
            return None
        # The film visitors already see is the better guess for the one to keep.
        survivor, duplicate = sorted(films, key=lambda film: (not film.is_published, film.pk))
        return HttpResponseRedirect(self._merge_url(duplicate, survivor))

    def _merge_url(self, duplicate, survivor):
        url = reverse("admin:catalogue_film_merge")
        return f"{url}?duplicate={duplicate.pk}&survivor={survivor.pk}"

    def get_urls(self):
        merge = self.admin_site.admin_view(self.merge_view)
        return [path("merge/", merge, name="catalogue_film_merge"), *super().get_urls()]

    def merge_view(self, request):
        """The confirmation page of a merge: both films, what moves, what is kept once; the
        editor may swap which film survives. Posting it merges."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:catalogue_film_changelist")
        data = request.POST if request.method == "POST" else request.GET
        duplicate, survivor = _films_to_merge(data)
        try:
            if duplicate is None or survivor is None:
                raise MergeError(MERGE_NO_SUCH_FILMS_MESSAGE)
            if request.method == "POST":
                merge_films(duplicate, survivor, by=request.user)
            else:
                plan = plan_merge(duplicate, survivor)
        except MergeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(changelist)
        if request.method == "POST":
            self.message_user(
                request,
                _("Merged “{duplicate}” into “{survivor}”; {old_address} now leads to it.").format(
                    duplicate=duplicate, survivor=survivor, old_address=f"/films/{duplicate.slug}/"
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:catalogue_film_change", args=[survivor.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Merge duplicate films"),
            "plan": plan,
            "swap_url": self._merge_url(survivor, duplicate),
            "cancel_url": changelist,
        }
        return TemplateResponse(request, "admin/catalogue/film/merge.html", context)

    def get_queryset(self, request):
        # One aggregate column: entries are the only multi-valued join, so no distinct.
        return super().get_queryset(request).annotate(list_count=Count("list_entries"))

    def get_search_results(self, request, queryset, search_term):
        # A list's entry autocomplete sends the list: films already in it are not offered.
        exclude = request.GET.get(EXCLUDE_LIST_PARAMETER, "")
        if exclude.isdigit() and len(exclude) < 19:
            queryset = queryset.exclude(list_entries__curated_list_id=int(exclude))
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("lists"), ordering="list_count")
    def list_count(self, film):
        return film.list_count


def _films_to_merge(data):
    """The (duplicate, survivor) films named by ids in `data`; None for a missing or bad id."""
    ids = [data.get("duplicate", ""), data.get("survivor", "")]
    if not all(pk.isascii() and pk.isdigit() and len(pk) < 19 for pk in ids):
        return None, None
    films = Film.objects.in_bulk([int(pk) for pk in ids])
    return films.get(int(ids[0])), films.get(int(ids[1]))
