"""The catalogue's filter vocabulary, shared by the public browse page and the REST API.

`FilmFilter` works as a plain Django form (``FilmFilter(request.GET, queryset, request=...)``:
``.form`` renders and shows field-named errors, ``.qs`` is the filtered queryset) and as the
FilterSet of the API, where an invalid value answers 400 with the same field-named messages.
Slugs and codes that match nothing give an empty result, not an error.
"""

from datetime import date

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from catalogue.models import (
    FIRST_FILM_YEAR,
    LAST_FILM_YEAR,
    Award,
    AwardOutcome,
    CreditRole,
    Film,
    LocationKind,
    Organisation,
    Person,
)
from core.models import Verification
from discovery.visibility import visible_lists
from lists.models import CuratedList
from lists.querysets import films_in_list

# Errors a user can see, written once so tests can assert on them.
DECADE_CHOICES = [
    (decade, f"{decade}s") for decade in range(FIRST_FILM_YEAR, date.today().year + 1, 10)
]


@extend_schema_field({"type": "integer", "minimum": FIRST_FILM_YEAR, "maximum": LAST_FILM_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A whole year within the cinema era; anything else is a field error, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_FILM_YEAR)
        kwargs.setdefault("max_value", LAST_FILM_YEAR)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class ExternalIdFilter(django_filters.NumberFilter):
    """A numeric external ID (TMDB, Kinopoisk): a positive whole number."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]*$"})
class SlugFilter(django_filters.CharFilter):
    """A slug (letters, digits, hyphens, underscores); other text is a field error.

    Empty means "any", as for every filter: a browse form submits its empty fields.
    """

    field_class = forms.SlugField


NO_NUL = "^[^\\x00]*$"  # Django refuses NUL characters in text: the schema says so too


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": NO_NUL})
class TextFilter(django_filters.CharFilter):
    """Free text up to 200 characters (a search, a name)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "maxLength": 16, "pattern": NO_NUL})
class IdentifierFilter(django_filters.CharFilter):
    """An external text identifier (IMDb tt…/nm…, Wikidata Q…), matched exactly."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering with the primary key as the last tie-breaker, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class FilmOrderingFilter(StableOrderingFilter):
    """Position exists only among a list's films (list=); elsewhere it is left out."""

    def filter(self, qs, value):
        if value and "list_position" not in qs.query.annotations:
            value = [key for key in value if key.lstrip("-") != "position"]
        return super().filter(qs, value)


class CreditAndAwardFilterSet(django_filters.FilterSet):
    """The filters films and people share. Those that must hold for one and the same credit
    (`role` with the other side's slug, named by `credited_with`) or one and the same award
    (award_*) are no-ops one by one; `filter_queryset` applies each group together."""

    credited_with = None  # the credit's other side: "person" for films, "film" for people

    award_organisation = SlugFilter(
        method="filter_together", label="Award organisation slug (one award matches all award_*)"
    )
    award_outcome = django_filters.ChoiceFilter(
        choices=AwardOutcome.choices, method="filter_together", label="Award outcome"
    )
    award_year = YearFilter(method="filter_together", label="Award ceremony year")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        other, role = data.get(self.credited_with), data.get("role")
        if other or role:
            queryset = queryset.credited(**{self.credited_with: other}, role=role)
        award = {
            "organisation": data.get("award_organisation"),
            "outcome": data.get("award_outcome"),
            "year": data.get("award_year"),
        }
        return queryset.awarded(**award) if any(award.values()) else queryset

    def filter_together(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_q(self, queryset, name, value: str):
        return queryset.search(value)


class FilmFilter(CreditAndAwardFilterSet):
    """Every way to narrow the film catalogue; combined filters all apply (AND)."""

    credited_with = "person"

    q = TextFilter(method="filter_q", label="Title search (any title, any script)")
    year = YearFilter(field_name="release_year", label="Release year")
    year_min = YearFilter(
        field_name="release_year", lookup_expr="gte", label="Released in or after"
    )
    year_max = YearFilter(
        field_name="release_year", lookup_expr="lte", label="Released in or before"
    )
    decade = django_filters.TypedChoiceFilter(
        choices=DECADE_CHOICES, coerce=int, method="filter_decade", label="Decade (e.g. 1970)"
    )
    country = SlugFilter(method="filter_country", label="Production country: ISO code or slug")
    genre = SlugFilter(method="filter_genre", label="Genre slug")
    studio = SlugFilter(method="filter_studio", label="Studio slug")
    person = SlugFilter(
        method="filter_together", label="Person slug, any role (combine with role=)"
    )
    role = django_filters.ChoiceFilter(
        choices=CreditRole.choices,
        method="filter_together",
        label="Credit role; with person= the same credit must have both",
    )
    director = SlugFilter(method="filter_director", label="Director (person slug)")
    actor = SlugFilter(method="filter_actor", label="Actor (person slug)")
    list = SlugFilter(method="filter_list", label="Curated list slug (enables ordering=position)")
    setting = SlugFilter(method="filter_setting", label="Narrative setting: place slug")
    filming_location = SlugFilter(method="filter_filming_location", label="Filming place slug")
    verification = django_filters.ChoiceFilter(
        choices=Verification.choices, label="Editorial verification of the film"
    )
    imdb_id = IdentifierFilter(label="IMDb title ID, e.g. tt0079579")
    tmdb_id = ExternalIdFilter(label="TMDB ID")
    wikidata_id = IdentifierFilter(label="Wikidata ID, e.g. Q12345")
    kinopoisk_id = ExternalIdFilter(label="Kinopoisk ID")
    ordering = FilmOrderingFilter(
        fields=(
            ("release_year", "year"),
            ("title", "title"),
            ("runtime_minutes", "runtime"),
            ("list_position", "position"),
        ),
        label=(
            "Order by year, title, runtime or position; prefix - to reverse. Position is the "
            "order of the list given by list=; without list= it falls back to year, title."
        ),
    )

    class Meta:
        model = Film
        fields = []

    def visible_lists(self):
        return visible_lists(getattr(self.request, "user", None))

    def filter_decade(self, queryset, name, value: int):
        return queryset.in_decade(value)

    def filter_country(self, queryset, name, value: str):
        return queryset.from_country(value)

    def filter_genre(self, queryset, name, value: str):
        return queryset.in_genre(value)

    def filter_studio(self, queryset, name, value: str):
        return queryset.by_studio(value)

    def filter_director(self, queryset, name, value: str):
        return queryset.credited(person=value, role=CreditRole.DIRECTOR)

    def filter_actor(self, queryset, name, value: str):
        return queryset.credited(person=value, role=CreditRole.ACTOR)

    def filter_list(self, queryset, name, value: str):
        return films_in_list(queryset, value, self.visible_lists())

    def filter_setting(self, queryset, name, value: str):
        return queryset.located(value, LocationKind.SETTING)

    def filter_filming_location(self, queryset, name, value: str):
        return queryset.located(value, LocationKind.FILMING)


class PersonFilter(CreditAndAwardFilterSet):
    """Ways to narrow the people of the catalogue."""

    credited_with = "film"

    q = TextFilter(method="filter_q", label="Name search")
    role = django_filters.ChoiceFilter(
        choices=CreditRole.choices,
        method="filter_together",
        label="Credited in this role; with film= on that film",
    )
    film = SlugFilter(method="filter_together", label="Credited on this film (slug), any role")
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    imdb_id = IdentifierFilter(label="IMDb person ID, e.g. nm0580081")
    wikidata_id = IdentifierFilter(label="Wikidata ID, e.g. Q12345")
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("birth_year", "birth_year")),
        label="Order by name or birth_year; prefix - to reverse",
    )

    class Meta:
        model = Person
        fields = []


class AwardFilter(django_filters.FilterSet):
    """Ways to narrow wins and nominations."""

    organisation = SlugFilter(field_name="organisation__slug", label="Organisation slug")
    year = YearFilter(field_name="ceremony_year", label="Ceremony year")
    year_min = YearFilter(
        field_name="ceremony_year", lookup_expr="gte", label="Ceremony in or after"
    )
    year_max = YearFilter(
        field_name="ceremony_year", lookup_expr="lte", label="Ceremony in or before"
    )
    outcome = django_filters.ChoiceFilter(choices=AwardOutcome.choices)
    film = SlugFilter(field_name="film__slug", label="Film slug")
    person = SlugFilter(field_name="person__slug", label="Person slug")
    category = TextFilter(lookup_expr="icontains", label="Category contains")
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    ordering = StableOrderingFilter(
        fields=(("ceremony_year", "year"), ("category", "category")),
        label="Order by year or category; prefix - to reverse",
    )

    class Meta:
        model = Award
        fields = []


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    country = SlugFilter(field_name="country__code", lookup_expr="iexact", label="ISO code")
    name = TextFilter(lookup_expr="icontains", label="Name contains")

    class Meta:
        model = Organisation
        fields = []


class CuratedListFilter(django_filters.FilterSet):
    q = TextFilter(method="filter_q", label="Title search")
    film = SlugFilter(field_name="entries__film__slug", label="Lists containing this film (slug)")
    featured = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_featured",
        label="Featured on the home page",
    )

    class Meta:
        model = CuratedList
        fields = []

    def filter_q(self, queryset, name, value: str):
        return queryset.search(value)

    def filter_featured(self, queryset, name, value: str):
        return queryset.filter(featured=value == "true")
