"""The catalogue's filter vocabulary, shared by the public browse page and the REST API.

`FilmFilter` works as a plain Django form (``FilmFilter(request.GET, queryset, request=...)``:
``.form`` shows field-named errors, ``.qs`` is the filtered queryset) and as the FilterSet of
the API, where an invalid value answers 400 with the same field-named messages.

A filter naming a row (genre, country, studio, place, organisation, person, list) takes its
slug, its name (in English or Russian, whatever the page's language) or its code, in any case,
or a known alias (`NamedRowField`: the one matching
rule). The API matches the name inside the films' query (no query of its own, so its budgets
hold) and a name matching nothing gives no films; the browse page (`BrowseFilmFilter`) looks
the row up first, to show its name, and says so when nothing has that name. Choices (decade,
outcome, verification) take their value or their label, in any case.
"""

import copy
from functools import cache, partial

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.db.models import Case, Q, Value, When
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from catalogue.models import (
    FIRST_FILM_YEAR,
    LAST_FILM_YEAR,
    Award,
    AwardOutcome,
    Country,
    CreditRole,
    Film,
    Genre,
    LocationKind,
    Organisation,
    Person,
    Place,
)
from core.models import Verification
from core.translations import name_columns, translated_columns
from discovery.visibility import visible_films, visible_lists, visible_people
from lists.models import CuratedList
from lists.querysets import films_in_list

DECADE_CHOICES = [
    (decade, format_lazy(_("{decade}s"), decade=decade))
    # Every decade a film's year may fall in: a film announced for 2031 is browsed by its decade.
    for decade in range(FIRST_FILM_YEAR, LAST_FILM_YEAR + 1, 10)
]

# Errors a user can see, written once so tests can assert on them.
UNKNOWN_NAME = _("Nothing in the catalogue is called “%(value)s”: pick a %(noun)s from the list.")
UNKNOWN_CHOICE = _("“%(value)s” is not one of the choices: pick one from the list.")

# Other names people use for a country, by its ISO code (names and codes match already).
COUNTRY_ALIASES = {
    "ussr": "SU",
    "sssr": "SU",
    "ссср": "SU",
    "soviet": "SU",
    "russian federation": "RU",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "america": "US",
    "gdr": "DD",
    "west germany": "DE",
    "czechoslovakia": "CZ",
}


def parameters_read_by(filterset_class, query, also=("page",)):
    """`query` (a QueryDict) narrowed to the parameters `filterset_class` filters by and
    `also`: a page that copies its query into links and redirects from this copy, never
    from the whole of `request.GET`, is not a new render for each `?utm_source=`."""
    narrowed = QueryDict(mutable=True)
    for name in (*filterset_class.base_filters, *also):
        values = query.getlist(name)
        if values:
            narrowed.setlist(name, values)
    return narrowed


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


# What a person, place or studio may be named by in a filter value.
NAME_OR_NATIVE_NAME = ("slug", "name", "native_name")
NO_NUL = "^[^\\x00]*$"  # Django refuses NUL characters in text: the schema says so too


class NamedRowField(forms.CharField):
    """A row of `rows` named by any of its `names` fields in any case (a slug match first), or
    by an alias: `aliases` is (field, {lower-case alias: that field's value}).

    For the API a value is a slug (or a code, or a one-word name) and cleans to a queryset of
    that row: a subquery of the films' query, empty if nothing has the name. When `browsing`
    (the browse page) it may be any name, and cleans to the row itself, looked up now, or to
    an error a person can read if there is none."""

    def __init__(self, *, rows, names, aliases=None, noun, browsing=False, finds=True, **kwargs):
        kwargs.setdefault("max_length", 200)
        if not browsing:
            kwargs["validators"] = [validate_slug]
        super().__init__(**kwargs)
        self.rows_given, self.names, self.noun = rows, names, noun
        self.alias_field, self.aliases = aliases or (None, {})
        self.browsing, self.finds = browsing, finds

    @cached_property
    def rows(self):
        """The rows a value may name: `rows` as given, or what the function given makes of the
        request, built only when a value is given (a reader's people are a costly queryset,
        and most forms name nobody)."""
        return self.rows_given() if callable(self.rows_given) else self.rows_given

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if not self.finds:  # the film index finds the row (discovery/film_index.py)
            return " ".join(value.split())
        rows = self.match(value)
        if not self.browsing:
            return rows
        row = rows.first()
        if row is None:
            raise forms.ValidationError(
                UNKNOWN_NAME, code="unknown", params={"value": value, "noun": self.noun}
            )
        return row

    def match(self, value):
        """The row called `value`, as a queryset: the one matching rule of every named filter."""
        value = " ".join(value.split())
        named = Q()
        # SQLite folds the case of ASCII letters only: a Cyrillic name is also looked up as
        # it is usually written ("москва", "МОСКВА" → "Москва"; "чёрная комедия").
        spellings = {value, value.lower(), value.capitalize(), value.title(), value.upper()}
        for field in name_columns(self.rows.model, self.names):
            named |= Q(**{f"{field}__iexact": value})
            if not value.isascii():
                named |= Q(**{f"{field}__in": sorted(spellings)})
        alias = self.aliases.get(value.casefold())
        if alias:
            named |= Q(**{self.alias_field: alias})
        slug_first = Case(When(slug__iexact=value, then=Value(0)), default=Value(1))
        return self.rows.filter(named).order_by(slug_first, "pk")[:1]


class SharedDefinition:
    """A filter copied for each FilterSet (django-filter deep-copies them all) sharing what it
    is defined with, which nothing changes: deep copies of its rows' queryset and of its
    choices' lazy labels were most of the cost of making a FilterSet. What a FilterSet sets on
    its copy (its parent, the field built for its request) stays its own."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.extra = dict(self.extra)
        copied.__dict__.pop("_field", None)
        copied.method = self.method  # its FilterMethod, bound to the copy (and its parent)
        return copied


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": "^[-a-zA-Z0-9_]*$"})
class NamedRowFilter(SharedDefinition, django_filters.CharFilter):
    """A filter on a row named by its slug (any case) or another name: see NamedRowField.
    `rows` is a queryset, or a function of the request giving one (lists the reader may see).
    """

    field_class = NamedRowField

    def __init__(self, *args, rows, names=("slug", "name"), aliases=None, noun, **kwargs):
        self.rows = rows
        kwargs.update(names=names, aliases=aliases, noun=noun)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(self.parent, "request", None)
            rows = partial(self.rows, request) if callable(self.rows) else self.rows
            self.extra.update(
                rows=rows,
                browsing=getattr(self.parent, "browsing", False),
                finds=getattr(self.parent, "finds_rows", True),
            )
        return super().field


def text_contains(field, value):
    """A translated text holding `value`, in any of its languages."""
    contains = Q()
    for column in translated_columns(field):
        contains |= Q(**{f"{column}__icontains": value})
    return contains


def label_spellings(label):
    """A choice's label as typed by a reader of either language (`Won`, `Победа`)."""
    with translation.override(settings.LANGUAGE_CODE):
        english = str(label)
    return {str(label).casefold(), english.casefold()}


class LabelledChoiceField(forms.TypedChoiceField):
    """A choice given by its value or its label, in any case (`Won`, `WON`, `1970s`)."""

    default_error_messages = {"invalid_choice": UNKNOWN_CHOICE}

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str):
            return value
        return choices_by_spelling(tuple(self.choices), translation.get_language()).get(
            value.strip().casefold(), value
        )


@cache
def choices_by_spelling(choices, language):
    """{value or label as a reader of `language` or English may type it: the choice}, the
    first choice winning (worked out once per language, not for every form)."""
    spellings = {}
    for choice, label in choices:
        for spelling in (str(choice).casefold(), *label_spellings(label)):
            spellings.setdefault(spelling, str(choice))
    return spellings


class LabelledChoiceFilter(SharedDefinition, django_filters.ChoiceFilter):
    """A ChoiceFilter (the schema lists its values) that also takes labels, in any case."""

    field_class = LabelledChoiceField


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
    """Ordering with the primary key as the last tie-breaker, so pages never overlap. An
    unknown key says so in the filters' own words (the browse page shows it by the sort)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_CHOICE})
        super().__init__(*args, **kwargs)

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

    award_organisation = NamedRowFilter(
        rows=Organisation.objects.all(),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "award organisation"),
        method="filter_together",
        label="Award organisation: slug or name (one award matches all award_*)",
    )
    award_outcome = LabelledChoiceFilter(
        choices=AwardOutcome.choices, method="filter_together", label="Award outcome"
    )
    award_year = YearFilter(method="filter_together", label="Award ceremony year")

    # True on the browse page: named filters take any name, and one matching nothing is an
    # error; the API takes slugs (any case) and answers no rows for one matching nothing.
    browsing = False

    def filter_queryset(self, queryset):
        return self.narrow(queryset, self.form.cleaned_data)

    def narrow(self, queryset, data):
        """`queryset` narrowed by the cleaned filter values `data` (all of them, or some)."""
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        # Named rows may be querysets: compared with None, never asked for their truth (a query).
        other, role = data.get(self.credited_with), data.get("role")
        if other is not None or role:
            if other is None:
                other = self.films_seen()
            queryset = queryset.credited(**{self.credited_with: other}, role=role or None)
        award = {
            "organisation": data.get("award_organisation"),
            "outcome": data.get("award_outcome") or None,
            "year": data.get("award_year"),
        }
        if not any(value is not None for value in award.values()):
            return queryset
        return queryset.awarded(**award, films=self.films_seen())

    def films_seen(self):
        """The films whose credits and awards may select a row: None (any) when the rows are
        films the reader sees already; people are matched only through films they may see,
        else a filter would tell who is credited on a film not yet published."""
        return None

    def reader(self):
        return getattr(self.request, "user", None)

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
    decade = LabelledChoiceFilter(
        choices=DECADE_CHOICES, coerce=int, method="filter_decade", label="Decade (e.g. 1970)"
    )
    country = NamedRowFilter(
        rows=Country.objects.all(),
        names=("slug", "code", "name"),
        aliases=("code", COUNTRY_ALIASES),
        noun=pgettext_lazy("pick a … from the list", "country"),
        method="filter_country",
        label="Production country: ISO code, slug or name",
    )
    genre = NamedRowFilter(
        rows=Genre.objects.all(),
        noun=pgettext_lazy("pick a … from the list", "genre"),
        method="filter_genre",
        label="Genre: slug or name",
    )
    studio = NamedRowFilter(
        rows=Organisation.objects.all(),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "studio"),
        method="filter_studio",
        label="Studio: slug or name",
    )
    person = NamedRowFilter(
        rows=lambda request: visible_people(getattr(request, "user", None)),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "person"),
        method="filter_together",
        label="Person, any role (combine with role=): slug or name",
    )
    role = LabelledChoiceFilter(
        choices=CreditRole.choices,
        method="filter_together",
        label="Credit role; with person= the same credit must have both",
    )
    director = NamedRowFilter(
        rows=lambda request: visible_people(getattr(request, "user", None)),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "director"),
        method="filter_director",
        label="Director: person slug or name",
    )
    actor = NamedRowFilter(
        rows=lambda request: visible_people(getattr(request, "user", None)),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "actor"),
        method="filter_actor",
        label="Actor: person slug or name",
    )
    list = NamedRowFilter(
        rows=lambda request: visible_lists(getattr(request, "user", None)),
        names=("slug", "title"),
        noun=pgettext_lazy("pick a … from the list", "list"),
        method="filter_list",
        label="Curated list: slug or title (enables ordering=position)",
    )
    setting = NamedRowFilter(
        rows=Place.objects.all(),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "place"),
        method="filter_setting",
        label="Narrative setting: place slug or name",
    )
    filming_location = NamedRowFilter(
        rows=Place.objects.all(),
        names=NAME_OR_NATIVE_NAME,
        noun=pgettext_lazy("pick a … from the list", "place"),
        method="filter_filming_location",
        label="Filming place: slug or name",
    )
    verification = LabelledChoiceFilter(
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

    def filter_decade(self, queryset, name, value: int):
        return queryset.in_decade(value)

    def filter_country(self, queryset, name, value):
        return queryset.from_country(value)

    def filter_genre(self, queryset, name, value):
        return queryset.in_genre(value)

    def filter_studio(self, queryset, name, value):
        return queryset.by_studio(value)

    def filter_director(self, queryset, name, value):
        return queryset.credited(person=value, role=CreditRole.DIRECTOR)

    def filter_actor(self, queryset, name, value):
        return queryset.credited(person=value, role=CreditRole.ACTOR)

    def filter_list(self, queryset, name, value):
        return films_in_list(queryset, value)

    def filter_setting(self, queryset, name, value):
        return queryset.located(value, LocationKind.SETTING)

    def filter_filming_location(self, queryset, name, value):
        return queryset.located(value, LocationKind.FILMING)


class PersonFilter(CreditAndAwardFilterSet):
    """Ways to narrow the people of the catalogue."""

    credited_with = "film"

    q = TextFilter(method="filter_q", label="Name search")
    role = LabelledChoiceFilter(
        choices=CreditRole.choices,
        method="filter_together",
        label="Credited in this role; with film= on that film",
    )
    film = NamedRowFilter(
        rows=lambda request: visible_films(getattr(request, "user", None)),
        names=("slug",),
        noun=pgettext_lazy("pick a … from the list", "film"),
        method="filter_together",
        label="Credited on this film (slug, any case), any role",
    )
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

    def films_seen(self):
        return visible_films(self.reader())


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
    category = TextFilter(method="filter_contains", label="Category contains (English or Russian)")
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    ordering = StableOrderingFilter(
        fields=(("ceremony_year", "year"), ("category", "category")),
        label="Order by year or category; prefix - to reverse",
    )

    class Meta:
        model = Award
        fields = []

    def filter_contains(self, queryset, name, value):
        return queryset.filter(text_contains(name, value))


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    country = SlugFilter(field_name="country__code", lookup_expr="iexact", label="ISO code")
    name = TextFilter(method="filter_contains", label="Name contains (English or Russian)")

    class Meta:
        model = Organisation
        fields = []

    def filter_contains(self, queryset, name, value):
        return queryset.filter(text_contains(name, value))


class CuratedListFilter(django_filters.FilterSet):
    q = TextFilter(method="filter_q", label="Title search")
    film = SlugFilter(method="filter_film", label="Lists containing this film (slug)")
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

    def filter_film(self, queryset, name, value: str):
        # Only films the reader may see: a list holding an import's stub must not tell so.
        films = visible_films(getattr(self.request, "user", None)).filter(slug__iexact=value)
        return queryset.filter(entries__film__in=films)

    def filter_featured(self, queryset, name, value: str):
        return queryset.filter(featured=value == "true")


class BrowseFilmFilter(FilmFilter):
    """The browse page's FilmFilter: a name that matches nothing is an error a person reads
    (not a silent "0 films"), and a chosen list shows in its own order unless another sort
    is chosen."""

    browsing = True

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("list", "").strip() and not data.get("ordering"):
            data = data.copy()
            data["ordering"] = "position"
        super().__init__(data, *args, **kwargs)
