"""The editors' workspace for the catalogue: films, people, awards, places and sources.

Every changelist and change form has a fixed query budget whatever the number of rows
(tests/catalogue/test_admin_queries.py): related rows come with `list_select_related` or
the inline's queryset, counts are annotated, and autocomplete widgets in inlines show the
row's already-loaded object instead of looking it up again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.forms import (
    AwardAdminForm,
    FilmAdminForm,
    VerificationForm,
    uncredited_award_warning,
)
from catalogue.models import (
    FIRST_FILM_YEAR,
    LAST_FILM_YEAR,
    AdaptedWork,
    Award,
    Country,
    Credit,
    Fact,
    Film,
    FilmLocation,
    FilmTitle,
    Genre,
    Organisation,
    Person,
    Place,
    Source,
    Verification,
)
from catalogue.services import publish_films
from core.admin import (
    NEEDS_REVIEW,
    BaseModelAdmin,
    FastInlineMixin,
    HistoryAdmin,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
    VerificationFilter,
    search_with_service,
    timestamp_column,
)


class DecadeFilter(admin.SimpleListFilter):
    """Films by the decade of their release: the 1970s are 1970–1979."""

    title = _("decade")
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        decades = (
            Film.objects.annotate(decade_start=F("release_year") / 10 * 10)
            .order_by("decade_start")
            .values_list("decade_start", flat=True)
            .distinct()
        )
        return [(str(decade), _("{decade}s").format(decade=decade)) for decade in decades]

    def queryset(self, request, queryset):
        try:
            decade = int(self.value()) if self.value() else None
        except ValueError:
            return queryset.none()
        if decade is None:
            return queryset
        if not FIRST_FILM_YEAR - 10 < decade <= LAST_FILM_YEAR:
            return queryset.none()
        return queryset.in_decade(decade)


# --- Films ----------------------------------------------------------------------------


class CreditInline(FastInlineMixin, admin.TabularInline):
    model = Credit
    fields = ["person", "role", "character", "billing_order", "verification"]
    autocomplete_fields = ["person"]
    inline_select_related = ["person", "film"]


class FilmTitleInline(FastInlineMixin, admin.TabularInline):
    model = FilmTitle
    verbose_name = _("alternative title")
    fields = ["title", "kind", "language", "note", "verification"]
    inline_select_related = ["film"]


class FilmAwardInline(FastInlineMixin, TranslatedTabularInline):
    model = Award
    fields = [
        "organisation",
        "ceremony_year",
        "category",
        "person",
        "nominee_country",
        "nominee_note",
        "outcome",
        "verification",
    ]
    autocomplete_fields = ["organisation", "person", "nominee_country"]
    inline_select_related = ["organisation", "film", "person", "nominee_country"]
    form = AwardAdminForm


class FilmLocationInline(FastInlineMixin, admin.TabularInline):
    model = FilmLocation
    verbose_name = _("location (set in / filmed in)")
    verbose_name_plural = _("locations: where it is set and where it was filmed")
    fields = ["kind", "place", "period", "period_start_year", "period_end_year", "verification"]
    autocomplete_fields = ["place"]
    inline_select_related = ["place"]


class AdaptedWorkInline(FastInlineMixin, admin.TabularInline):
    model = AdaptedWork
    fields = ["title", "kind", "author", "published_year", "verification"]
    autocomplete_fields = ["author"]
    inline_select_related = ["author"]


class FactInline(FastInlineMixin, TranslatedStackedInline):
    model = Fact
    fields = [("key", "kind", "verification"), "text", "verification_note"]
    inline_select_related = ["film"]


@admin.register(Film)
class FilmAdmin(TranslatedAdmin, HistoryAdmin):
    form = FilmAdminForm
    list_display = [
        "title",
        "release_year",
        "original_title",
        "verification",
        "is_published",
    ]
    list_filter = [
        "is_published",
        DecadeFilter,
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("genres", admin.RelatedOnlyFieldListFilter),
        ("studios", admin.RelatedOnlyFieldListFilter),
        VerificationFilter,
    ]
    # Needed by autocomplete checks; the search itself goes through get_search_results.
    search_fields = ["title", "original_title", "romanized_title"]
    search_help_text = _("Any title or credited name, in Cyrillic or Latin letters.")
    autocomplete_fields = ["countries", "genres", "studios", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    created = timestamp_column("created_at", _("created"))
    updated = timestamp_column("updated_at", _("last changed"))
    fieldsets = [
        (None, {"fields": ["title", "original_title", "romanized_title", "slug"]}),
        (
            _("Release"),
            {"fields": [("release_year", "release_date"), "original_language", "runtime_minutes"]},
        ),
        (_("Classification"), {"fields": ["countries", "genres", "studios"]}),
        (_("Story"), {"fields": ["synopsis", "plot"]}),
        (_("Box office"), {"classes": ["collapse"], "fields": ["admissions", "box_office_note"]}),
        (
            _("Identifiers"),
            {
                "classes": ["collapse"],
                "fields": [("imdb_id", "tmdb_id"), ("wikidata_id", "kinopoisk_id")],
            },
        ),
        (_("Verification"), {"fields": ["verification", "verification_note", "sources"]}),
        (_("Publication"), {"fields": ["is_published"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]
    actions = ["publish_selected"]
    inlines = [
        CreditInline,
        FilmTitleInline,
        FilmLocationInline,
        FilmAwardInline,
        AdaptedWorkInline,
        FactInline,
    ]
    save_on_top = True

    def get_search_results(self, request, queryset, search_term):
        return search_with_service(self, request, queryset, search_term)

    @admin.action(description=_("Publish selected films"), permissions=["change"])
    def publish_selected(self, request, queryset):
        count = publish_films(queryset, by=request.user)
        if count:
            message = ngettext("Published %(count)d film.", "Published %(count)d films.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        else:
            self.message_user(request, _("The selected films were already published."))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Award:
            for award in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                warn_if_uncredited(request, award)

    def get_urls(self):
        queue = self.admin_site.admin_view(verification_queue_view)
        return [
            path("verification/", queue, name="catalogue_verification_queue"),
            *super().get_urls(),
        ]


def warn_if_uncredited(request, award):
    warning = uncredited_award_warning(award)
    if warning:
        messages.warning(request, warning)


# --- People ---------------------------------------------------------------------------


class PersonCreditInline(FastInlineMixin, admin.TabularInline):
    model = Credit
    fields = ["film", "role", "character", "billing_order", "verification"]
    autocomplete_fields = ["film"]
    inline_select_related = ["film", "person"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = [
        "name",
        "native_name",
        "birth_year",
        "death_year",
        "credit_count",
        "verification",
    ]
    list_filter = [VerificationFilter]
    search_fields = ["name", "native_name"]
    search_help_text = _("A name in Cyrillic or Latin letters.")
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "native_name",
        "slug",
        ("birth_year", "death_year"),
        ("imdb_id", "wikidata_id"),
        "verification",
        "verification_note",
        "sources",
    ]
    autocomplete_fields = ["sources"]
    inlines = [PersonCreditInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_count=Count("credits"))

    @admin.display(description=_("credits"), ordering="credit_count")
    def credit_count(self, person):
        return person.credit_count

    def get_search_results(self, request, queryset, search_term):
        return search_with_service(self, request, queryset, search_term)


# --- Claims with their own pages (history, the verification queue links here) ---------


@admin.register(Award)
class AwardAdmin(TranslatedAdmin, HistoryAdmin):
    form = AwardAdminForm
    list_display = [
        "ceremony_year",
        "organisation",
        "category",
        "film",
        "person",
        "outcome",
        "verification",
    ]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "ceremony_year",
        "outcome",
        VerificationFilter,
    ]
    list_select_related = ["organisation", "film", "person"]
    search_fields = [
        "category",
        "ceremony_name",
        "organisation__name",
        "film__title",
        "film__original_title",
        "person__name",
        "person__native_name",
    ]
    autocomplete_fields = ["organisation", "film", "person", "nominee_country", "sources"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_if_uncredited(request, obj)


@admin.register(Credit)
class CreditAdmin(HistoryAdmin):
    list_display = ["film", "person", "role", "character", "verification"]
    list_filter = ["role", VerificationFilter]
    list_select_related = ["film", "person"]
    search_fields = ["film__title", "film__original_title", "person__name", "person__native_name"]
    autocomplete_fields = ["film", "person", "sources"]


@admin.register(Fact)
class FactAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ["film", "key", "kind", "verification"]
    list_filter = ["kind", VerificationFilter]
    list_select_related = ["film"]
    search_fields = ["key", "text_en", "text_ru", "film__title", "film__original_title"]
    autocomplete_fields = ["film", "sources"]


# --- Reference data -------------------------------------------------------------------


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin, BaseModelAdmin):
    list_display = ["name", "native_name", "kind", "country"]
    list_filter = ["kind"]
    list_select_related = ["country"]
    search_fields = ["name", "native_name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(TranslatedAdmin, BaseModelAdmin):
    list_display = ["name", "native_name", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "native_name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(TranslatedAdmin, BaseModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Genre)
class GenreAdmin(TranslatedAdmin, BaseModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(BaseModelAdmin):
    list_display = ["title", "kind", "publisher", "added"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "url", "filename"]
    readonly_fields = ["sha256", "added"]
    added = timestamp_column("added_at", _("added"))
    prepopulated_fields = {"slug": ["title"]}


# --- The verification queue -----------------------------------------------------------


@dataclass(frozen=True)
class ClaimKind:
    """One kind of claim the queue reviews: its model, what its rows need loaded, the text
    shown in full (`details`), and the row it belongs to (`context`: a film, a list)."""

    key: str
    label: str
    model: type
    select_related: tuple = ()
    details: tuple = ()
    context: str = ""
    counted: Callable[[int], str] = str  # `count` rows in words: "1 film", "3 films"

    def permission(self, action):
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def needing_review(self, status):
        rows = self.model._default_manager.all()
        if self.select_related:
            rows = rows.select_related(*self.select_related)
        if status in (Verification.UNVERIFIED, Verification.DISPUTED):
            return rows.filter(verification=status)
        return rows.exclude(verification=Verification.CONFIRMED)

    def describe(self, row):
        """What the queue shows of a row: its full texts, what it belongs to, its public page."""
        owner = getattr(row, self.context) if self.context else row
        try:
            public_url = owner.get_absolute_url()
        except (AttributeError, NoReverseMatch):
            public_url = None
        texts = [
            (row._meta.get_field(name).verbose_name, getattr(row, name))
            for name in self.details
            if getattr(row, name)
        ]
        return {
            "texts": texts,
            "owner": owner if self.context else None,
            "owner_label": owner._meta.verbose_name if self.context else "",
            "public_url": public_url,
        }


CLAIM_KINDS = {}


# The queue's counts in words, with each language's plural forms ("3 фильма", "5 фильмов").
def count_films(count):
    return ngettext("%(count)d film", "%(count)d films", count) % {"count": count}


def count_credits(count):
    return ngettext("%(count)d credit", "%(count)d credits", count) % {"count": count}


def count_awards(count):
    return ngettext("%(count)d award", "%(count)d awards", count) % {"count": count}


def count_facts(count):
    return ngettext("%(count)d fact", "%(count)d facts", count) % {"count": count}


def register_claim_kind(kind):
    """Add a kind of claim to the queue (the lists app adds its entries)."""
    CLAIM_KINDS[kind.key] = kind


for _kind in [
    ClaimKind("films", _("Films"), Film, counted=count_films),
    ClaimKind(
        "credits",
        _("Credits"),
        Credit,
        ("film", "person"),
        context="film",
        counted=count_credits,
    ),
    ClaimKind(
        "awards",
        _("Awards"),
        Award,
        ("organisation", "film", "person"),
        context="film",
        counted=count_awards,
    ),
    ClaimKind(
        "facts",
        _("Facts"),
        Fact,
        ("film",),
        details=("text",),
        context="film",
        counted=count_facts,
    ),
]:
    register_claim_kind(_kind)

QUEUE_PAGE_SIZE = 50
QUEUE_STATUSES = [
    (NEEDS_REVIEW, _("Unverified or disputed")),
    (Verification.UNVERIFIED, Verification.UNVERIFIED.label),
    (Verification.DISPUTED, Verification.DISPUTED.label),
]


def verification_queue_view(request):
    """One page to review claims of every kind: pick rows, confirm or dispute with a note.

    Served through FilmAdmin.get_urls, so the admin's staff login and CSRF checks apply.
    """
    kinds = [k for k in CLAIM_KINDS.values() if request.user.has_perm(k.permission("view"))]
    if not kinds:
        raise PermissionDenied
    kind = next((k for k in kinds if k.key == request.GET.get("kind")), kinds[0])
    status = request.GET.get("status")
    if status not in dict(QUEUE_STATUSES):
        status = NEEDS_REVIEW
    rows = kind.needing_review(status)
    can_change = request.user.has_perm(kind.permission("change"))

    form = VerificationForm(request.POST or None, queryset=rows)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            count = form.save(by=request.user)
            verdict = Verification(form.cleaned_data["verdict"]).label.lower()
            messages.success(
                request,
                _("Marked {rows} {verdict}.").format(rows=kind.counted(count), verdict=verdict),
            )
            return redirect(request.get_full_path())
    # After an error the rows stay ticked as they were sent.
    ticked = set(request.POST.getlist("selected")) if request.method == "POST" else set()

    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
    opts = kind.model._meta
    change_url = f"admin:{opts.app_label}_{opts.model_name}_change"
    context = {
        **admin.site.each_context(request),
        "title": _("Verification queue"),
        "kinds": [
            {"key": k.key, "label": k.label, "count": k.needing_review(status).count()}
            for k in kinds
        ],
        "kind": kind,
        "status": status,
        "statuses": QUEUE_STATUSES,
        "page": page,
        "rows": [
            {
                "row": row,
                "url": reverse(change_url, args=[row.pk]),
                "ticked": str(row.pk) in ticked,
                **kind.describe(row),
            }
            for row in page.object_list
        ],
        "form": form,
        "can_change": can_change,
    }
    return TemplateResponse(request, "admin/catalogue/verification_queue.html", context)
