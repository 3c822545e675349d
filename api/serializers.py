"""Serializers of the catalogue API: one per use (compact rows, full detail, writes)."""

from collections.abc import Mapping

from django.db.models import Manager
from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from rest_framework.utils import html

from api.picture_serializers import GallerySerializer
from catalogue.models import (
    AdaptedWork,
    Award,
    AwardOutcome,
    Country,
    Credit,
    Fact,
    Film,
    FilmLocation,
    FilmTitle,
    Genre,
    LocationKind,
    Organisation,
    Person,
    Place,
    Source,
    Verification,
)
from core.addresses import PLAIN_SLUG, STAND_IN, with_slug
from core.languages import names_in_reading_order
from core.response_cache import note_loaded, object_tag
from core.serializers import FieldsOnceModelSerializer, ModelCleanMixin
from pictures.models import FilmPicture, PersonPicture

SMALLINT_MAX = 32767
INT_MAX = 2**31 - 1

# Errors a client can see, written once so tests can assert on them.
UNKNOWN_FIELD = "Unknown field: there is no field of this name to write."
READ_ONLY_FIELD = "Read-only field: it is set by the server and cannot be written."
BLANK_FORM_VALUE = (
    "This field may not be blank: leave it out, or send JSON to set it to null where null "
    "is allowed."
)
REPEATED_FORM_VALUE = "This field takes one value, and was given more than once."

# Sent by the browsable API's HTML forms along with the fields; never a field itself.
FORM_CONTROL_KEYS = frozenset({"csrfmiddlewaretoken"})
MANY_VALUED_FIELDS = (serializers.ManyRelatedField, serializers.ListField)

# --- Building blocks ------------------------------------------------------------------------


class StrictInputMixin:
    """A write says exactly what its schema allows; anything else is a 400 naming the field.

    DRF would silently drop an unknown field, so a misspelt one (`relase_year`) would look
    like a successful write. In a form body DRF also reads a blank value as "not given" (or
    null) and a repeated one as its last value: the schema, which describes JSON, allows
    neither, so neither is guessed at. The request schema says so too (`StrictInputSchema`).
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {
                name: [READ_ONLY_FIELD if name in self.fields else UNKNOWN_FIELD]
                for name in data
                if name not in FORM_CONTROL_KEYS
                and (name not in self.fields or self.fields[name].read_only)
            }
            if not errors and html.is_html_input(data):
                errors = self.form_value_errors(data)
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def form_value_errors(self, data):
        errors = {}
        for name in data:
            field = self.fields.get(name)
            if field is None or isinstance(field, MANY_VALUED_FIELDS):
                continue
            values = data.getlist(name)
            if len(values) > 1:
                errors[name] = [REPEATED_FORM_VALUE]
            elif values == [""] and not getattr(field, "allow_blank", False):
                errors[name] = [BLANK_FORM_VALUE]
        return errors


class StrictInputSchema(OpenApiSerializerExtension):
    """The request body of a `StrictInputMixin` serializer allows no other property."""

    target_class = StrictInputMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class RowsSerializer(serializers.ListSerializer):
    """Rows folded into a JSON column by the queryset (None when there are none), or
    prefetched objects: either way the same shape, sorted."""

    def get_attribute(self, instance):
        return super().get_attribute(instance) or []

    def to_representation(self, data):
        if isinstance(data, Manager):
            data = data.all()
        order = getattr(self.child, "row_order", ())
        rows = sorted(data, key=lambda row: tuple(str(row_value(row, key)) for key in order))
        return super().to_representation(rows)


def row_value(row, key):
    value = row.get(key) if isinstance(row, Mapping) else getattr(row, key, None)
    return value or ""


class IdentifierField(serializers.CharField):
    """An external text ID (IMDb, Wikidata): null when unknown, like the numeric ones."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class IdentifierInputField(IdentifierField):
    """An external text ID as a write takes it: what a read gives (null when unknown) or
    "", both stored as "" (the column is blank, never NULL). The model's pattern still
    applies to any other value, and the schema keeps it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = False
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        is_empty, value = super().validate_empty_values(data)
        if is_empty and data is None:
            return True, ""
        return is_empty, value


# --- The reader's language ------------------------------------------------------------------
# `language=ru|en` (or Accept-Language) chooses which title or name leads, as TMDB does: `title`
# and `name` are the reader's (core.languages.names_in_reading_order decides), `original_title`
# and `native_name` stay as they are. The shapes are the same in both languages.

LEADING_TITLE_HELP = (
    "The title a reader of the response's language (Content-Language) reads first: the "
    "English title in English, the original title in Russian when the film has one."
)
LEADING_NAME_HELP = (
    "The name a reader of the response's language (Content-Language) reads first: the "
    "English name in English, the native name in Russian when known."
)


@extend_schema_field({"type": "string", "readOnly": True})
class LeadingNameField(serializers.Field):
    """A film's or a person's leading name for the reader (`names_in`), read-only."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, row):
        return row.names_in(translation.get_language())[0].text


def leading_title():
    return LeadingNameField(help_text=LEADING_TITLE_HELP)


def leading_name():
    return LeadingNameField(help_text=LEADING_NAME_HELP)


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class SelfLinkField(serializers.Field):
    """The API address of a row, from its slug, whether the row is an object or a dict (a
    JSON column's row): the same `url` wherever the row appears."""

    def __init__(self, view_name, lookup_field="slug", **kwargs):
        self.view_name = view_name
        self.lookup_field = lookup_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, row):
        value = row_value(row, self.lookup_field)
        return address_once(self.context, self.view_name, value, self.address)

    def address(self, value):
        return reverse(
            self.view_name,
            kwargs={self.lookup_field: value},
            request=self.context.get("request"),
        )


class IdentityLinkField(serializers.HyperlinkedIdentityField):
    """DRF's link of an object to itself, its view's address reversed once per response."""

    def get_url(self, obj, view_name, request, format):
        if format or getattr(obj, "pk", None) in (None, ""):
            return super().get_url(obj, view_name, request, format)
        return address_once(
            self.context,
            view_name,
            getattr(obj, self.lookup_field),
            lambda value: self.reverse(
                view_name, kwargs={self.lookup_url_kwarg: value}, request=request
            ),
        )


def address_once(context, view_name, value, address):
    """`address(value)`. A page of 20 films links each film, director and country: for a
    plain slug the view's address is reversed once per response (the root serializer's
    context) and the slug put in its place (core.addresses)."""
    if not PLAIN_SLUG.fullmatch(str(value or "")):
        return address(value)
    addresses = context.setdefault("addresses", {})
    known = addresses.get(view_name)
    if known is None:
        known = addresses[view_name] = address(STAND_IN)
    return with_slug(known, value)


class CountrySerializer(serializers.Serializer):
    row_order = ("name",)
    code = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = SelfLinkField("api:country-detail")

    class Meta:
        list_serializer_class = RowsSerializer


class GenreSerializer(serializers.Serializer):
    row_order = ("name",)
    slug = serializers.CharField()
    url = SelfLinkField("api:genre-detail")
    name = serializers.CharField()

    class Meta:
        list_serializer_class = RowsSerializer


class OrganisationSummarySerializer(FieldsOnceModelSerializer):
    url = SelfLinkField("api:organisation-detail")

    class Meta:
        model = Organisation
        fields = ["id", "slug", "url", "name", "native_name", "kind"]


class StudioRowSerializer(serializers.Serializer):
    row_order = ("name",)
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = SelfLinkField("api:organisation-detail")
    name = serializers.CharField()
    native_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)

    class Meta:
        list_serializer_class = RowsSerializer


class PersonSummarySerializer(FieldsOnceModelSerializer):
    url = IdentityLinkField(view_name="api:person-detail", lookup_field="slug")
    name = leading_name()

    class Meta:
        model = Person
        fields = ["id", "slug", "url", "name", "native_name"]


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(help_text=LEADING_NAME_HELP)


class FilmSummarySerializer(FieldsOnceModelSerializer):
    """A film as one line: enough to show it and to follow its `url`."""

    url = IdentityLinkField(view_name="api:film-detail", lookup_field="slug")
    title = leading_title()

    class Meta:
        model = Film
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "original_title",
            "release_year",
            "verification",
            "verification_note",
        ]


class SourceRowSerializer(serializers.Serializer):
    row_order = ("title",)
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    document_url = serializers.CharField(source="url", help_text="The document's own address.")
    publisher = serializers.CharField()

    class Meta:
        list_serializer_class = RowsSerializer


class PlaceSerializer(FieldsOnceModelSerializer):
    url = SelfLinkField("api:place-detail")
    country = serializers.CharField(source="country.code", allow_null=True, default=None)

    class Meta:
        model = Place
        fields = ["id", "slug", "url", "name", "native_name", "country"]


# --- Films ----------------------------------------------------------------------------------


class FilmListSerializer(FieldsOnceModelSerializer):
    """A film row of /films/: its names, year, directors, countries and genres."""

    url = IdentityLinkField(view_name="api:film-detail", lookup_field="slug")
    title = leading_title()
    directors = serializers.SerializerMethodField()
    countries = CountrySerializer(many=True)
    genres = GenreSerializer(many=True)
    imdb_id = IdentifierField()
    list_position = serializers.SerializerMethodField()

    class Meta:
        model = Film
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "original_title",
            "release_year",
            "runtime_minutes",
            "verification",
            "verification_note",
            "directors",
            "countries",
            "genres",
            "imdb_id",
            "list_position",
        ]

    @extend_schema_field(PersonSummarySerializer(many=True))
    def get_directors(self, film):
        credits = film.director_credits
        return PersonSummarySerializer(
            [credit.person for credit in credits], many=True, context=self.context
        ).data

    @extend_schema_field({"type": "integer", "nullable": True, "minimum": 1})
    def get_list_position(self, film):
        """The film's position in the list given by the `list` filter, else null."""
        return getattr(film, "list_position", None)


class FilmTitleRowSerializer(serializers.Serializer):
    row_order = ("kind", "title")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=FilmTitle.Kind.choices)
    language = serializers.CharField()
    note = serializers.CharField()
    verification = serializers.ChoiceField(choices=Verification.choices)
    verification_note = serializers.CharField()

    class Meta:
        list_serializer_class = RowsSerializer


class CreditSerializer(FieldsOnceModelSerializer):
    person = PersonSummarySerializer()

    class Meta:
        model = Credit
        fields = [
            "id",
            "role",
            "character",
            "billing_order",
            "person",
            "verification",
            "verification_note",
        ]


# What every award row says (who gave what, when), and what it says of the nominee.
AWARD_FIELDS = [
    "id",
    "url",
    "organisation",
    "category",
    "ceremony_year",
    "ceremony_name",
    "outcome",
]
AWARD_NOMINEE_FIELDS = [
    "person",
    "nominee_country",
    "nominee_note",
    "verification",
    "verification_note",
]


class FilmAwardSerializer(FieldsOnceModelSerializer):
    url = SelfLinkField("api:award-detail", lookup_field="pk")
    organisation = OrganisationSummarySerializer()
    person = PersonSummarySerializer(allow_null=True)
    nominee_country = CountrySerializer(allow_null=True)  # the shape `countries` rows have

    class Meta:
        model = Award
        fields = AWARD_FIELDS + AWARD_NOMINEE_FIELDS


class FilmLocationSerializer(FieldsOnceModelSerializer):
    place = PlaceSerializer()

    class Meta:
        model = FilmLocation
        fields = [
            "place",
            "period",
            "period_start_year",
            "period_end_year",
            "note",
            "verification",
            "verification_note",
        ]


class AdaptedWorkRowSerializer(serializers.Serializer):
    row_order = ("title",)
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=AdaptedWork.Kind.choices)
    author = serializers.SerializerMethodField()
    published_year = serializers.IntegerField(allow_null=True)
    verification = serializers.ChoiceField(choices=Verification.choices)
    verification_note = serializers.CharField()

    class Meta:
        list_serializer_class = RowsSerializer

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_author(self, row):
        if row.get("author_id") is None:
            return None
        # Read from a JSON column, not loaded as a row: say the page shows this person.
        note_loaded({object_tag(Person, row["author_id"])})
        names = names_in_reading_order(
            row["author_name"], row.get("author_native_name") or "", "", translation.get_language()
        )
        return {"id": row["author_id"], "slug": row["author_slug"], "name": names[0].text}


class FactSerializer(FieldsOnceModelSerializer):
    sources = SourceRowSerializer(many=True, source="source_rows")

    class Meta:
        model = Fact
        fields = ["key", "kind", "text", "verification", "verification_note", "sources"]


class ListMembershipSerializer(serializers.Serializer):
    """A visible list the film is in, and its position there."""

    id = serializers.IntegerField(source="curated_list.id")
    slug = serializers.CharField(source="curated_list.slug")
    title = serializers.CharField(source="curated_list.title")
    url = serializers.HyperlinkedRelatedField(
        source="curated_list", view_name="api:list-detail", lookup_field="slug", read_only=True
    )
    position = serializers.IntegerField()


class FilmDetailSerializer(FieldsOnceModelSerializer):
    """Everything the catalogue holds about a film, each claim with its verification."""

    url = IdentityLinkField(view_name="api:film-detail", lookup_field="slug")
    title = leading_title()
    countries = CountrySerializer(many=True, source="country_rows")
    genres = GenreSerializer(many=True, source="genre_rows")
    studios = StudioRowSerializer(many=True, source="studio_rows")
    titles = FilmTitleRowSerializer(many=True, source="title_rows")
    credits = CreditSerializer(many=True)
    awards = FilmAwardSerializer(many=True)
    settings = serializers.SerializerMethodField()
    filming_locations = serializers.SerializerMethodField()
    adapted_works = AdaptedWorkRowSerializer(many=True, source="adapted_work_rows")
    facts = FactSerializer(many=True)
    lists = ListMembershipSerializer(many=True, source="api_list_entries")
    pictures = GallerySerializer(FilmPicture)
    directors = serializers.SerializerMethodField()
    list_position = serializers.SerializerMethodField()
    imdb_id = IdentifierField()
    wikidata_id = IdentifierField()
    letterboxd_id = IdentifierField()

    class Meta:
        model = Film
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "original_title",
            "original_language",
            "romanized_title",
            "release_year",
            "release_date",
            "runtime_minutes",
            "directors",
            "list_position",
            "synopsis",
            "plot",
            "admissions",
            "box_office_note",
            "verification",
            "verification_note",
            "is_published",
            "imdb_id",
            "tmdb_id",
            "wikidata_id",
            "kinopoisk_id",
            "letterboxd_id",
            "countries",
            "genres",
            "studios",
            "titles",
            "credits",
            "awards",
            "settings",
            "filming_locations",
            "adapted_works",
            "facts",
            "lists",
            "pictures",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(PersonSummarySerializer(many=True))
    def get_directors(self, film):
        people = [credit.person for credit in film.credits.all() if credit.role == "director"]
        return PersonSummarySerializer(people, many=True, context=self.context).data

    @extend_schema_field({"type": "integer", "nullable": True, "minimum": 1})
    def get_list_position(self, film):
        """Null here: a detail is read outside any list (its lists and positions: `lists`)."""
        return None

    def locations(self, film, kind):
        rows = [location for location in film.locations.all() if location.kind == kind]
        return FilmLocationSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(FilmLocationSerializer(many=True))
    def get_settings(self, film):
        """Where the story takes place (narrative locations, with their period)."""
        return self.locations(film, LocationKind.SETTING)

    @extend_schema_field(FilmLocationSerializer(many=True))
    def get_filming_locations(self, film):
        return self.locations(film, LocationKind.FILMING)


# The text IDs a read gives as null when unknown: a write takes them back as they came.
FILM_TEXT_IDENTIFIERS = ("imdb_id", "wikidata_id", "letterboxd_id")


class FilmWriteSerializer(StrictInputMixin, ModelCleanMixin, FieldsOnceModelSerializer):
    """Creating or changing a film's own fields (editors); credits etc. live in admin.
    The answer is the film as a GET gives it (FilmDetailSerializer: api/writes.py)."""

    slug = serializers.SlugField(max_length=120, required=False)
    url = IdentityLinkField(view_name="api:film-detail", lookup_field="slug")
    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.all(), required=False
    )
    genres = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Genre.objects.all(), required=False
    )

    class Meta:
        model = Film
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "original_title",
            "original_language",
            "romanized_title",
            "release_year",
            "release_date",
            "runtime_minutes",
            "synopsis",
            "plot",
            "verification",
            "verification_note",
            "is_published",
            "imdb_id",
            "tmdb_id",
            "wikidata_id",
            "kinopoisk_id",
            "letterboxd_id",
            "countries",
            "genres",
        ]
        # Uniqueness is checked by full_clean (ModelCleanMixin), conditions included.
        validators = []
        # Column ranges stated for every database (SQLite would not enforce them).
        extra_kwargs = {
            "slug": {"validators": []},
            "runtime_minutes": {"min_value": 1, "max_value": SMALLINT_MAX},
            "tmdb_id": {"validators": [], "min_value": 1, "max_value": INT_MAX},
            "kinopoisk_id": {"validators": [], "min_value": 1, "max_value": INT_MAX},
        }

    def build_standard_field(self, field_name, model_field):
        # The model's own field, pattern and length included, taking null as a read gives it.
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name in FILM_TEXT_IDENTIFIERS:
            return IdentifierInputField, kwargs
        return field_class, kwargs


# --- People -------------------------------------------------------------------------------


class PersonListSerializer(FieldsOnceModelSerializer):
    url = IdentityLinkField(view_name="api:person-detail", lookup_field="slug")
    name = leading_name()
    imdb_id = IdentifierField()
    wikidata_id = IdentifierField()

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "native_name",
            "birth_year",
            "death_year",
            "verification",
            "imdb_id",
            "wikidata_id",
        ]


class PersonCreditSerializer(FieldsOnceModelSerializer):
    film = FilmSummarySerializer()

    class Meta:
        model = Credit
        fields = [
            "id",
            "role",
            "character",
            "billing_order",
            "film",
            "verification",
            "verification_note",
        ]


class PersonAwardSerializer(FieldsOnceModelSerializer):
    url = SelfLinkField("api:award-detail", lookup_field="pk")
    organisation = OrganisationSummarySerializer()
    film = FilmSummarySerializer()

    class Meta:
        model = Award
        fields = AWARD_FIELDS + ["film", "verification", "verification_note"]


class PersonDetailSerializer(PersonListSerializer):
    credits = PersonCreditSerializer(many=True)
    awards = PersonAwardSerializer(many=True)
    pictures = GallerySerializer(PersonPicture)

    class Meta(PersonListSerializer.Meta):
        fields = PersonListSerializer.Meta.fields + [
            "verification_note",
            "credits",
            "awards",
            "pictures",
            "created_at",
            "updated_at",
        ]


# --- Awards and organisations ---------------------------------------------------------------


class AwardSerializer(FilmAwardSerializer):
    film = FilmSummarySerializer()
    outcome = serializers.ChoiceField(choices=AwardOutcome.choices)

    class Meta(FilmAwardSerializer.Meta):
        fields = AWARD_FIELDS + ["film"] + AWARD_NOMINEE_FIELDS


class OrganisationSerializer(FieldsOnceModelSerializer):
    url = SelfLinkField("api:organisation-detail")
    country = serializers.CharField(source="country.code", allow_null=True, default=None)

    class Meta:
        model = Organisation
        fields = ["id", "slug", "url", "name", "native_name", "kind", "country"]


# --- Search ---------------------------------------------------------------------------------


class SearchListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = IdentityLinkField(view_name="api:list-detail", lookup_field="slug")


SCORE_HELP = (
    "Relevance, 0 to 3, higher is better, comparable across kinds: above 2 an exact title "
    "or name, above 1 every word within one title, above 0 words spread over titles, names "
    "and prose. Null for a film that comes because it is the best-matching person's."
)


class ScoredMixin(serializers.Serializer):
    """A search result's relevance score, read from the SearchResults in the context."""

    score = serializers.SerializerMethodField(help_text=SCORE_HELP)

    @extend_schema_field({"type": "number", "format": "float", "nullable": True, "example": 2.9})
    def get_score(self, row):
        return self.context["results"].score_of(row)


class ScoredFilmSerializer(ScoredMixin, FilmSummarySerializer):
    """A film found by a search, with its relevance score."""

    class Meta(FilmSummarySerializer.Meta):
        fields = FilmSummarySerializer.Meta.fields + ["score"]


class ScoredPersonSerializer(ScoredMixin, PersonSummarySerializer):
    """A person found by a search, with their relevance score."""

    class Meta(PersonSummarySerializer.Meta):
        fields = PersonSummarySerializer.Meta.fields + ["score"]


class ScoredListSerializer(ScoredMixin, SearchListSerializer):
    """A list found by a search, with its relevance score."""


class SearchResultsSerializer(serializers.Serializer):
    """A page of the films, people and visible lists matching `q`, each kind best first
    (a page holds up to `page_size` of each kind); `next` and `previous` link the pages."""

    query = serializers.CharField()
    page = serializers.IntegerField(help_text="This page's number, from 1.")
    next = serializers.URLField(
        allow_null=True, help_text="The next page, if any kind has more results."
    )
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    films = ScoredFilmSerializer(many=True)
    people = ScoredPersonSerializer(many=True)
    lists = ScoredListSerializer(many=True)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Titles, names."
    )
