"""The catalogue's query vocabulary: views, API, admin and search all use these."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import JSONObject

# --- Public site (issue 6): rows of a relation folded into one column --------------------
# A page with many small relations (countries, genres, studios, a fact's sources) would cost one
# query each; folding them into a JSON column of the parent row keeps the page's query budget.


class JSONArrayAgg(models.Aggregate):
    """Aggregate values into one JSON array, decoded to a Python list (SQLite and PostgreSQL)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, group_by, **fields):
    """A subquery: `queryset`'s rows for the outer row as a list of dicts of `fields` (or None).

    Row order is not defined: sort in the template (`dictsort`).
    """
    rows = queryset.order_by().values(group_by).annotate(rows=JSONArrayAgg(JSONObject(**fields)))
    return models.Subquery(rows.values("rows"))


def choice_label(field_name, choices):
    """An SQL expression giving the human label of a `choices` column, for JSON rows."""
    whens = [
        models.When(**{field_name: value}, then=models.Value(label)) for value, label in choices
    ]
    return models.Case(*whens, default=models.F(field_name), output_field=models.CharField())


def choice_position(field_name, choices):
    """An SQL expression ordering rows by the declaration order of `choices` (not alphabet)."""
    whens = [
        models.When(**{field_name: value}, then=models.Value(index))
        for index, value in enumerate(choices.values)
    ]
    return models.Case(*whens, default=models.Value(len(whens)))


# --- end of the public site block ---------------------------------------------------------


def credits_in_billing_order():
    """Prefetch a film's credits with their people: by role (as the choices declare them),
    then billing order and name."""
    from catalogue.models import Credit, CreditRole

    return Prefetch(
        "credits",
        queryset=Credit.objects.select_related("person").order_by(
            choice_position("role", CreditRole), "billing_order", "person__name", "pk"
        ),
    )


def facts_with_sources():
    """Prefetch a film's facts, each with its sources folded into `source_rows`."""
    from catalogue.models import Fact

    return Prefetch(
        "facts",
        queryset=Fact.objects.annotate(
            source_rows=json_rows(
                Fact.sources.through.objects.filter(fact=OuterRef("pk")),
                "fact",
                slug="source__slug",
                title="source__title",
                kind="source__kind",
                url="source__url",
                publisher="source__publisher",
            )
        ).order_by("kind", "key"),
    )


def directors_prefetch(lookup="credits"):
    """Prefetch a film's directors, in billing order, into `film.director_credits`."""
    from catalogue.models import Credit, CreditRole

    return Prefetch(
        lookup,
        queryset=Credit.objects.filter(role=CreditRole.DIRECTOR)
        .select_related("person")
        .order_by("billing_order", "person__name"),
        to_attr="director_credits",
    )


class SlugQuerySet(models.QuerySet):
    """Rows identified by a unique slug, which is also their natural key in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SearchableQuerySet(SlugQuerySet):
    """Rows with a `search_text`; matching and ranking live in catalogue.search."""

    def search(self, query):
        from catalogue.search import filter_queryset

        return filter_queryset(self, query)


class SourceQuerySet(SlugQuerySet):
    pass


class OrganisationQuerySet(SlugQuerySet):
    def with_awards(self):
        """Organisations that gave awards, by name, each with its `award_count`."""
        return (
            self.annotate(award_count=models.Count("awards"))
            .filter(award_count__gt=0)
            .order_by("name", "pk")
        )


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class FilmQuerySet(SearchableQuerySet):
    def in_decade(self, decade):
        """Films released in the decade starting at `decade` (e.g. 1970)."""
        return self.filter(release_year__gte=decade, release_year__lt=decade + 10)

    def with_verification(self, status):
        return self.filter(verification=status)

    def with_directors(self):
        return self.prefetch_related(directors_prefetch())

    def for_cards(self):
        """What a film card shows: titles, year, directors, countries."""
        return self.with_directors().prefetch_related("countries")

    def with_claim_columns(self):
        """Countries, genres, studios and adapted works folded into JSON columns
        (`country_rows`, `genre_rows`, `studio_rows`, `adapted_work_rows`): what the film page
        and the API film detail both show, without a query per relation."""
        from catalogue.models import AdaptedWork

        film = OuterRef("pk")
        return self.annotate(
            country_rows=json_rows(
                self.model.countries.through.objects.filter(film=film),
                "film",
                code="country__code",
                name="country__name",
                slug="country__slug",
            ),
            genre_rows=json_rows(
                self.model.genres.through.objects.filter(film=film),
                "film",
                slug="genre__slug",
                name="genre__name",
            ),
            studio_rows=json_rows(
                self.model.studios.through.objects.filter(film=film),
                "film",
                id="organisation__id",
                slug="organisation__slug",
                name="organisation__name",
                native_name="organisation__native_name",
                kind="organisation__kind",
            ),
            adapted_work_rows=json_rows(
                AdaptedWork.objects.filter(film=film),
                "film",
                title="title",
                kind="kind",
                kind_label=choice_label("kind", AdaptedWork.Kind.choices),
                author_id="author__id",
                author_slug="author__slug",
                author_name="author__name",
                published_year="published_year",
                verification="verification",
                verification_note="verification_note",
            ),
        )

    # --- Public site pages (issue 6) ---

    def for_detail_page(self, visible_lists):
        """Everything the film page shows, in 7 queries whatever the film's size.

        Small relations come folded into JSON columns (`country_rows`, `genre_rows`,
        `studio_rows`, `adapted_work_rows`); the rest is prefetched. `visible_lists` limits
        "appears in" to the lists the visitor may see.
        """
        from catalogue.models import Award, FilmLocation, FilmTitle
        from lists.models import CuratedListEntry

        return self.with_claim_columns().prefetch_related(
            Prefetch("titles", queryset=FilmTitle.objects.order_by("kind", "title")),
            credits_in_billing_order(),
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("organisation", "person").order_by(
                    "-outcome", "-ceremony_year", "organisation__name", "category"
                ),
            ),
            Prefetch(
                "locations",
                queryset=FilmLocation.objects.select_related("place").order_by(
                    "-kind", "period_start_year", "place__name"
                ),
            ),
            facts_with_sources(),
            Prefetch(
                "list_entries",
                queryset=CuratedListEntry.objects.filter(curated_list__in=visible_lists)
                .select_related("curated_list")
                .order_by("curated_list__title"),
                to_attr="visible_list_entries",
            ),
        )

    def for_browse_page(self):
        """Film cards in a stable order, so pages of the browse results never overlap."""
        return self.for_cards().order_by("release_year", "title", "pk")

    # --- end of the public site pages block ---

    # --- Filter vocabulary: the film filters of the browse page and the API (issue 7) ---
    # Multi-valued relations are matched with Exists() so a film never appears twice.

    def credited(self, *, person=None, role=None):
        """Films with one credit matching both `person` (slug) and `role`, when given."""
        from catalogue.models import Credit

        credits = Credit.objects.filter(film=OuterRef("pk"))
        if person:
            credits = credits.filter(person__slug=person)
        if role:
            credits = credits.filter(role=role)
        return self.filter(Exists(credits))

    def awarded(self, *, organisation=None, outcome=None, year=None):
        """Films with one award matching all of organisation (slug), outcome and ceremony year."""
        from catalogue.models import Award

        awards = Award.objects.filter(film=OuterRef("pk"))
        return self.filter(Exists(awards.matching(organisation, outcome, year)))

    def from_country(self, code_or_slug):
        """Films produced in the country with this ISO code (any case) or slug."""
        through = self.model.countries.through
        return self.filter(
            Exists(
                through.objects.filter(film=OuterRef("pk")).filter(
                    Q(country__code__iexact=code_or_slug) | Q(country__slug=code_or_slug)
                )
            )
        )

    def in_genre(self, slug):
        through = self.model.genres.through
        return self.filter(Exists(through.objects.filter(film=OuterRef("pk"), genre__slug=slug)))

    def by_studio(self, slug):
        through = self.model.studios.through
        return self.filter(
            Exists(through.objects.filter(film=OuterRef("pk"), organisation__slug=slug))
        )

    def located(self, place_slug, kind):
        """Films set in (kind=setting) or filmed at (kind=filming) the place with this slug."""
        from catalogue.models import FilmLocation

        return self.filter(
            Exists(
                FilmLocation.objects.filter(film=OuterRef("pk"), kind=kind, place__slug=place_slug)
            )
        )

    def in_list(self, slug, lists):
        """Films in the list `slug` among `lists`, annotated with their `list_position`."""
        from lists.models import CuratedListEntry

        entries = CuratedListEntry.objects.filter(curated_list__in=lists.filter(slug=slug))
        position = entries.filter(film=OuterRef("pk")).order_by().values("position")[:1]
        # Select the films through the list's entries (an index scan of ≤100 rows), then look
        # up each one's position: filtering on the position subquery instead made PostgreSQL
        # run it once per film of the catalogue (issue 9, docs/performance.md).
        return self.filter(pk__in=entries.values("film_id")).annotate(
            list_position=Subquery(position)
        )

    # --- REST API endpoints (issue 7): what each endpoint loads, declared once ---

    def for_api_list(self):
        """Compact film rows: directors, countries and genres prefetched (4 queries a page)."""
        return self.with_directors().prefetch_related("countries", "genres")

    def for_api_export(self):
        """The rows of a CSV export: directors only."""
        return self.with_directors()

    def for_api_detail(self, visible_lists):
        """A film with every claim about it, in 6 queries whatever its size.

        Countries, genres, studios, titles and adapted works come as JSON columns
        (`*_rows`); `visible_lists` limits the lists containing the film.
        """
        from catalogue.models import Award, FilmLocation
        from lists.models import CuratedListEntry

        return (
            self.with_claim_columns()
            .annotate(
                title_rows=json_rows(
                    self.model.titles.rel.related_model.objects.filter(film=OuterRef("pk")),
                    "film",
                    title="title",
                    kind="kind",
                    language="language",
                    note="note",
                    verification="verification",
                    verification_note="verification_note",
                )
            )
            .prefetch_related(
                credits_in_billing_order(),
                Prefetch(
                    "awards",
                    queryset=Award.objects.select_related("organisation", "person").order_by(
                        "-ceremony_year", "organisation__name", "category", "pk"
                    ),
                ),
                Prefetch(
                    "locations",
                    queryset=FilmLocation.objects.select_related("place__country").order_by(
                        "kind", "period_start_year", "place__name", "pk"
                    ),
                ),
                facts_with_sources(),
                Prefetch(
                    "list_entries",
                    queryset=CuratedListEntry.objects.filter(curated_list__in=visible_lists)
                    .select_related("curated_list")
                    .order_by("curated_list__title", "pk"),
                    to_attr="api_list_entries",
                ),
            )
        )

    # --- end of the REST API block ---


class PersonQuerySet(SearchableQuerySet):
    # --- Public site pages (issue 6) ---

    def for_detail_page(self):
        """The person page: credits (with their films) and awards, in 4 queries."""
        from catalogue.models import AdaptedWork, Award, Credit, CreditRole

        return self.prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("film").order_by(
                    choice_position("role", CreditRole), "film__release_year", "film__title"
                ),
            ),
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("organisation", "film").order_by(
                    "-ceremony_year", "organisation__name", "category"
                ),
            ),
            Prefetch(
                "adapted_works",
                queryset=AdaptedWork.objects.select_related("film").order_by("film__release_year"),
            ),
        )

    # --- end of the public site pages block ---

    # --- Filter vocabulary: people filters of the API (issue 7) ---

    def credited(self, *, film=None, role=None):
        """People with one credit matching both `film` (slug) and `role`, when given."""
        from catalogue.models import Credit

        credits = Credit.objects.filter(person=OuterRef("pk"))
        if film:
            credits = credits.filter(film__slug=film)
        if role:
            credits = credits.filter(role=role)
        return self.filter(Exists(credits))

    def awarded(self, *, organisation=None, outcome=None, year=None):
        """People named in one award matching organisation (slug), outcome and ceremony year."""
        from catalogue.models import Award

        awards = Award.objects.filter(person=OuterRef("pk"))
        return self.filter(Exists(awards.matching(organisation, outcome, year)))

    # --- REST API endpoints (issue 7) ---

    def for_api_detail(self):
        """A person with credits (and films) and awards (and organisations, films): 3 queries."""
        from catalogue.models import Award, Credit, CreditRole

        return self.prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("film").order_by(
                    choice_position("role", CreditRole), "film__release_year", "film__title", "pk"
                ),
            ),
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("organisation", "film").order_by(
                    "-ceremony_year", "organisation__name", "category", "pk"
                ),
            ),
        )

    # --- end of the REST API block ---


class CreditQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, person_slug, role, character):
        return self.get(
            film__slug=film_slug, person__slug=person_slug, role=role, character=character
        )

    def directors(self):
        from catalogue.models import CreditRole

        return self.filter(role=CreditRole.DIRECTOR)


class AwardQuerySet(models.QuerySet):
    def get_by_natural_key(
        self, organisation_slug, category, ceremony_year, film_slug, person_slug
    ):
        # An award to the film itself (no person) has None as its last key part.
        person = {"person__slug": person_slug} if person_slug else {"person__isnull": True}
        return self.get(
            organisation__slug=organisation_slug,
            category=category,
            ceremony_year=ceremony_year,
            film__slug=film_slug,
            **person,
        )

    def matching(self, organisation=None, outcome=None, year=None):
        """Awards of an organisation (slug), an outcome and a ceremony year, each when given."""
        conditions = {"organisation__slug": organisation, "outcome": outcome, "ceremony_year": year}
        return self.filter(**{field: value for field, value in conditions.items() if value})

    def won(self):
        from catalogue.models import AwardOutcome

        return self.filter(outcome=AwardOutcome.WON)

    def nominated(self):
        from catalogue.models import AwardOutcome

        return self.filter(outcome=AwardOutcome.NOMINATED)

    # --- REST API endpoints (issue 7) ---

    def for_api_list(self):
        """Awards with their organisation, film and person joined in: one query a page."""
        return self.select_related("organisation", "film", "person")

    # --- end of the REST API block ---

    # --- Public site pages (issue 6) ---

    def for_index_page(self):
        """The awards index: by organisation, newest ceremony first. Films and people come
        in their own queries, by primary key for one page: joining them before the sort made
        PostgreSQL hash the whole film table (docs/performance.md)."""
        return (
            self.select_related("organisation")
            .prefetch_related("film", "person")
            .order_by(
                "organisation__name",
                "organisation__pk",
                "-ceremony_year",
                "outcome",
                "category",
                "pk",
            )
        )

    # --- end of the public site pages block ---


class FilmTitleQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, title, kind):
        return self.get(film__slug=film_slug, title=title, kind=kind)


class FilmLocationQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, place_slug, kind, period):
        return self.get(film__slug=film_slug, place__slug=place_slug, kind=kind, period=period)

    def settings(self):
        from catalogue.models import LocationKind

        return self.filter(kind=LocationKind.SETTING)

    def filming(self):
        from catalogue.models import LocationKind

        return self.filter(kind=LocationKind.FILMING)


class AdaptedWorkQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, title):
        return self.get(film__slug=film_slug, title=title)


class FactQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, key):
        return self.get(film__slug=film_slug, key=key)

    def needing_review(self):
        from catalogue.models import Verification

        return self.exclude(verification=Verification.CONFIRMED)

    # --- Public site pages (issue 6) ---

    def for_home_page(self):
        """Confirmed facts only (a disputed claim is never shown as a bare fact), newest first."""
        from catalogue.models import Verification

        return (
            self.filter(verification=Verification.CONFIRMED)
            .select_related("film")
            .order_by("-updated_at", "pk")
        )

    # --- end of the public site pages block ---
