"""The catalogue's query vocabulary: pages, API, admin and search all use these.

Querysets reach the models on the other side of a relation through `related_rows` (the model
knows its relations), so this module never imports catalogue.models, which imports it.
"""

import operator
from functools import reduce

from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from catalogue.choices import AwardOutcome, CreditRole, LocationKind
from core.models import Verification
from core.querysets import (
    SearchableQuerySet,
    SlugQuerySet,
    among,
    choice_label,
    choice_position,
    json_rows,
)
from core.translations import as_written, translated_sql


def related_rows(model, relation):
    """All rows of the model at the other end of `model.relation`, through its default manager."""
    return model._meta.get_field(relation).related_model._default_manager.all()


class SourceQuerySet(SlugQuerySet):
    pass


class OrganisationQuerySet(SlugQuerySet):
    def with_awards(self, films):
        """Organisations that gave awards for `films` (those the reader may see), by name,
        each with its `award_count`."""
        return (
            self.annotate(award_count=models.Count("awards", filter=Q(awards__film__in=films)))
            .filter(award_count__gt=0)
            .order_by("name", "pk")
        )


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class CreditedQuerySet(SearchableQuerySet):
    """Films and people, matched through one of their credits or awards. `credit_side` is the
    field of a credit or an award that points at the row ("film" or "person")."""

    credit_side = None

    def credited(self, *, role=None, **other):
        """Rows with one credit matching `role` and the other side (`person=` for films,
        `film=` for people: a row or a queryset of rows), each when given."""
        credits = related_rows(self.model, "credits").filter(**{self.credit_side: OuterRef("pk")})
        for field, rows in other.items():
            if rows is not None:
                credits = credits.filter(**{f"{field}__in": among(rows)})
        if role:
            credits = credits.filter(role=role)
        return self.filter(Exists(credits))

    def awarded(self, *, organisation=None, outcome=None, year=None, films=None):
        """Rows with one award matching all of organisation (a row or a queryset of rows),
        outcome and ceremony year, and given for one of `films` when given (the films the
        reader may see)."""
        awards = related_rows(self.model, "awards").filter(**{self.credit_side: OuterRef("pk")})
        if films is not None:
            awards = awards.of_films(films)
        return self.filter(Exists(awards.matching(organisation, outcome, year)))


class OfFilmsQuerySet(models.QuerySet):
    """Rows about a film (credits, awards, facts…), narrowed to the films a reader may see."""

    def of_films(self, films):
        """The rows whose film is among `films` (e.g. discovery.visibility.visible_films)."""
        return self.filter(film__in=films)


class FilmQuerySet(CreditedQuerySet):
    credit_side = "film"

    # --- Publication: the one rule of which films visitors see ---

    def published(self):
        """Films every visitor sees: all but the unpublished ones a list import created."""
        return self.filter(is_published=True)

    def unpublished(self):
        """Films only editors see until one of them, or a list holding them, is published."""
        return self.filter(is_published=False)

    def in_decade(self, decade):
        """Films released in the decade starting at `decade` (e.g. 1970)."""
        return self.filter(release_year__gte=decade, release_year__lt=decade + 10)

    def with_directors(self):
        return self.prefetch_related(related_rows(self.model, "credits").directors_prefetch())

    def for_cards(self):
        """What a film card shows: titles, year, directors, countries."""
        return self.with_directors().prefetch_related("countries")

    def with_claim_columns(self):
        """Countries, genres, studios and adapted works folded into JSON columns
        (`country_rows`, `genre_rows`, `studio_rows`, `adapted_work_rows`): what the film page
        and the API film detail both show, without a query per relation."""
        adapted_works = related_rows(self.model, "adapted_works")
        film = OuterRef("pk")
        return self.annotate(
            country_rows=json_rows(
                self.model.countries.through.objects.filter(film=film),
                "film",
                code="country__code",
                name=translated_sql("country__name"),
                slug="country__slug",
            ),
            genre_rows=json_rows(
                self.model.genres.through.objects.filter(film=film),
                "film",
                slug="genre__slug",
                name=translated_sql("genre__name"),
            ),
            studio_rows=json_rows(
                self.model.studios.through.objects.filter(film=film),
                "film",
                id="organisation__id",
                slug="organisation__slug",
                name=translated_sql("organisation__name"),
                native_name="organisation__native_name",
                kind="organisation__kind",
            ),
            adapted_work_rows=json_rows(
                adapted_works.filter(film=film),
                "film",
                title="title",
                kind="kind",
                kind_label=choice_label("kind", adapted_works.model.Kind.choices),
                author_id="author__id",
                author_slug="author__slug",
                author_name="author__name",
                author_native_name="author__native_name",
                published_year="published_year",
                verification="verification",
                verification_note="verification_note",
            ),
        )

    def with_title_rows(self):
        """The film's other titles folded into a JSON column, `title_rows`."""
        titles = related_rows(self.model, "titles")
        return self.annotate(
            title_rows=json_rows(
                titles.filter(film=OuterRef("pk")),
                "film",
                title="title",
                kind="kind",
                kind_label=choice_label("kind", titles.model.Kind.choices),
                language="language",
                note="note",
                verification="verification",
                verification_note="verification_note",
            )
        )

    def with_director_rows(self):
        """The film's directors folded into a JSON column, `director_rows` (id, name,
        native_name, slug): both names, so a page can lead with the reader's
        (`person_row_name`)."""
        directors = related_rows(self.model, "credits").filter(
            film=OuterRef("pk"), role=CreditRole.DIRECTOR
        )
        return self.annotate(
            director_rows=json_rows(
                directors,
                "film",
                id="person_id",
                name="person__name",
                native_name="person__native_name",
                slug="person__slug",
            )
        )

    # --- Public site pages ---

    def for_detail_page(self):
        """Everything the film page shows about the film itself, in 5 queries whatever its
        size (the page adds the lists it appears in: lists.querysets.memberships_prefetch,
        and the related films: `related_to`).

        Small relations come folded into JSON columns (`country_rows`, `genre_rows`,
        `studio_rows`, `adapted_work_rows`, `title_rows`); the rest is prefetched.
        """
        return (
            self.with_claim_columns()
            .with_title_rows()
            .prefetch_related(
                Prefetch(
                    "credits", queryset=related_rows(self.model, "credits").in_billing_order()
                ),
                Prefetch(
                    "awards",
                    # By ceremony, newest first; in each, wins before nominations.
                    queryset=related_rows(self.model, "awards")
                    .select_related("organisation", "person", "nominee_country")
                    .order_by("-ceremony_year", "organisation__name", "-outcome", "category", "pk"),
                ),
                Prefetch(
                    "locations",
                    queryset=related_rows(self.model, "locations")
                    .select_related("place")
                    .order_by("-kind", "period_start_year", "place__name"),
                ),
                Prefetch("facts", queryset=related_rows(self.model, "facts").with_source_rows()),
            )
        )

    def related_to(self, film, *, in_lists=None, per_kind=4):
        """Up to `per_kind` films of this queryset for each way they relate to `film` (loaded
        with `for_detail_page`): by its directors, set in its settings, in the same lists
        (`in_lists`: a queryset of film ids, or None), from its decade and countries. One
        query whatever the catalogue's size; each film says why in one `related_<kind>` flag
        (the first kind that chose it) and brings its directors (`director_rows`). A list,
        in release order.
        """
        others = self.exclude(pk=film.pk).order_by()
        directors = {c.person_id for c in film.credits.all() if c.role == CreditRole.DIRECTOR}
        settings = {
            location.place_id
            for location in film.locations.all()
            if location.kind == LocationKind.SETTING
        }
        countries = {row["code"] for row in film.country_rows or []}
        credits = related_rows(self.model, "credits")
        locations = related_rows(self.model, "locations")
        through = self.model.countries.through.objects
        # The films of a list: sorted once found. The `+ 0` keeps PostgreSQL from walking the
        # whole release-year index in search of them (seconds, not ms). For directors and
        # settings PostgreSQL's statistics tell a prolific director or a common place (walk the
        # index: the first films match) from a rare one (find them, then sort); forcing the
        # sort cost 50–130 ms for the most prolific and commonest (docs/performance.md).
        found_first = (ExpressionWrapper(F("release_year") + 0, output_field=IntegerField()),)
        in_year_order = ("release_year",)
        kinds = {}
        if directors:
            kinds["director"] = (
                in_year_order,
                others.filter(
                    Exists(
                        credits.filter(
                            film=OuterRef("pk"), role=CreditRole.DIRECTOR, person_id__in=directors
                        )
                    )
                ),
            )
        if settings:
            kinds["setting"] = (
                in_year_order,
                others.filter(
                    Exists(
                        locations.filter(
                            film=OuterRef("pk"), kind=LocationKind.SETTING, place_id__in=settings
                        )
                    )
                ),
            )
        if in_lists is not None:
            kinds["lists"] = found_first, others.filter(pk__in=in_lists)
        if countries:
            kinds["decade"] = (
                in_year_order,
                others.in_decade(film.decade).filter(
                    Exists(through.filter(film=OuterRef("pk"), country__code__in=countries))
                ),
            )
        if not kinds:
            return []
        # Each kind independently, as many rows as the earlier kinds could take plus its own
        # (a film chosen for an earlier kind leaves its place to another one), in one UNION.
        # (The LIMIT sits in an IN subquery: SQLite allows none on a UNION's own parts.)
        shown = self.with_director_rows().order_by()  # resolved once for every part
        parts = [
            shown.filter(pk__in=films.order_by(*year, "title", "pk").values("pk")[:limit]).annotate(
                related_kind=Value(kind)
            )
            for limit, (kind, (year, films)) in zip(
                range(per_kind, per_kind * (len(kinds) + 1), per_kind), kinds.items(), strict=True
            )
        ]
        rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
        by_kind = {kind: [row for row in rows if row.related_kind == kind] for kind in kinds}
        chosen = {}
        for kind, candidates in by_kind.items():
            fresh = [row for row in candidates if row.pk not in chosen][:per_kind]
            for row in fresh:
                for flag in kinds:
                    setattr(row, f"related_{flag}", flag == kind)
                chosen[row.pk] = row
        return sorted(
            chosen.values(),
            key=lambda row: (row.release_year is None, row.release_year or 0, row.title, row.pk),
        )

    def for_browse_page(self):
        """Film cards in a stable order, so pages of the browse results never overlap."""
        return self.for_cards().order_by("release_year", "title", "pk")

    # --- Filter vocabulary: the film filters of the browse page and the API ---
    # Multi-valued relations are matched with Exists() so a film never appears twice.

    # Each takes a row or a queryset of rows (a subquery: no query of its own).

    def from_country(self, country):
        through = self.model.countries.through
        return self.filter(
            Exists(through.objects.filter(film=OuterRef("pk"), country__in=among(country)))
        )

    def in_genre(self, genre):
        through = self.model.genres.through
        return self.filter(
            Exists(through.objects.filter(film=OuterRef("pk"), genre__in=among(genre)))
        )

    def by_studio(self, studio):
        through = self.model.studios.through
        return self.filter(
            Exists(through.objects.filter(film=OuterRef("pk"), organisation__in=among(studio)))
        )

    def located(self, place, kind):
        """Films set in (kind=setting) or filmed at (kind=filming) the place."""
        locations = related_rows(self.model, "locations").filter(
            film=OuterRef("pk"), kind=kind, place__in=among(place)
        )
        return self.filter(Exists(locations))

    # --- Facet counts of the browse page: one grouped query each, whatever the catalogue's size.
    # Each gives rows of `value` (what the filter takes), `label` and `count` (distinct films).

    def count_films_by(self, rows, value, label, film="film"):
        """`rows` (related to these films through their field `film`) grouped by `value`, each
        with its `label` (a translated name, in the reader's language) and the number of these
        films it holds, by label."""
        return (
            as_written(rows.filter(**{f"{film}__in": self.order_by().values("pk")}))
            .order_by()
            .values(
                value=F(value), label=translated_sql(label) if isinstance(label, str) else label
            )
            .annotate(count=Count(film, distinct=True))
            .order_by("label", "value")
        )

    def decade_counts(self):
        # Integer division in SQLite and PostgreSQL alike (Mod() would answer a float).
        decade = F("release_year") / 10 * 10
        return (
            as_written(self.order_by())
            .annotate(decade=decade)
            .values(value=F("decade"))
            .annotate(count=Count("pk"))
            .order_by("value")
        )

    def country_counts(self):
        countries = self.model.countries.through.objects
        return self.count_films_by(countries, "country__slug", "country__name")

    def genre_counts(self):
        return self.count_films_by(self.model.genres.through.objects, "genre__slug", "genre__name")

    def studio_counts(self):
        return self.count_films_by(
            self.model.studios.through.objects, "organisation__slug", "organisation__name"
        )

    def setting_counts(self):
        settings = related_rows(self.model, "locations").filter(kind=LocationKind.SETTING)
        return self.count_films_by(settings, "place__slug", "place__name")

    def award_organisation_counts(self, **award):
        """Organisations by the films they gave an award matching `award` (outcome, year)."""
        awards = related_rows(self.model, "awards").matching(**award)
        return self.count_films_by(awards, "organisation__slug", "organisation__name")

    def award_outcome_counts(self, **award):
        """Outcomes by the films with an award of that outcome matching `award`."""
        awards = related_rows(self.model, "awards").matching(**award)
        return self.count_films_by(awards, "outcome", choice_label("outcome", AwardOutcome.choices))

    def verification_counts(self):
        return (
            as_written(self.order_by())
            .values(value=F("verification"))
            .annotate(count=Count("pk"))
            .order_by(choice_position("verification", Verification))
        )

    # --- REST API endpoints: what each endpoint loads, declared once ---

    def for_api_list(self):
        """Compact film rows: directors, countries and genres prefetched (4 queries a page)."""
        return self.with_directors().prefetch_related("countries", "genres")

    def for_api_export(self):
        """The rows of a CSV export: directors only."""
        return self.with_directors()

    def for_api_detail(self):
        """A film with every claim about it, in 5 queries whatever its size (the endpoint adds
        the lists it appears in: lists.querysets.memberships_prefetch).

        Countries, genres, studios, titles and adapted works come as JSON columns (`*_rows`).
        """
        return (
            self.with_claim_columns()
            .with_title_rows()
            .prefetch_related(
                Prefetch(
                    "credits", queryset=related_rows(self.model, "credits").in_billing_order()
                ),
                Prefetch(
                    "awards",
                    queryset=related_rows(self.model, "awards")
                    .select_related("organisation", "person", "nominee_country")
                    .order_by("-ceremony_year", "organisation__name", "category", "pk"),
                ),
                Prefetch(
                    "locations",
                    queryset=related_rows(self.model, "locations")
                    .select_related("place__country")
                    .order_by("kind", "period_start_year", "place__name", "pk"),
                ),
                Prefetch("facts", queryset=related_rows(self.model, "facts").with_source_rows()),
            )
        )


class PersonQuerySet(CreditedQuerySet):
    credit_side = "person"

    # --- Publication: which people a reader of some films sees ---

    def _film_ties(self):
        """Each kind of row tying a person to a film, narrowed to one person (OuterRef):
        their credits, their awards and the works they wrote that films adapt."""
        return [
            related_rows(self.model, "credits").filter(person=OuterRef("pk")),
            related_rows(self.model, "awards").filter(person=OuterRef("pk")),
            related_rows(self.model, "adapted_works").filter(author=OuterRef("pk")),
        ]

    def known_through(self, films):
        """People tied to one of `films` (the films a reader may see), or to no film at all.
        Someone tied only to other films (drafts) is left out: listing them would tell what
        a film not yet published holds. Exists subqueries, so no row comes twice."""
        ties = self._film_ties()
        tied_to_seen = reduce(operator.or_, [Exists(rows.of_films(films)) for rows in ties])
        tied_to_any = reduce(operator.or_, [Exists(rows) for rows in ties])
        return self.filter(tied_to_seen | ~tied_to_any)

    def _credits_by_role(self):
        return (
            related_rows(self.model, "credits")
            .select_related("film")
            .order_by(
                choice_position("role", CreditRole), "film__release_year", "film__title", "pk"
            )
        )

    def _awards_newest_first(self):
        return (
            related_rows(self.model, "awards")
            .select_related("organisation", "film", "nominee_country")
            .order_by("-ceremony_year", "organisation__name", "category", "pk")
        )

    # --- Public site pages ---

    def for_detail_page(self, films):
        """The person page: awards and adapted works, in 3 queries; only those of `films`, the
        films the reader may see. `credit_count` counts the person's credits and
        `credited_film_rows` names their films (`id`), in the person's own query;
        `with_credits_shown` adds the slice of them a page shows."""
        count = self.credits_in_role_order(films).filter(person=OuterRef("pk")).order_by()
        return self.annotate(
            credit_count=Coalesce(
                Subquery(count.values("person").annotate(n=Count("pk")).values("n")), 0
            ),
            credited_film_rows=json_rows(count, "person", id="film_id"),
        ).prefetch_related(
            Prefetch("awards", queryset=self._awards_newest_first().of_films(films)),
            Prefetch(
                "adapted_works",
                queryset=related_rows(self.model, "adapted_works")
                .of_films(films)
                .select_related("film")
                .order_by("film__release_year"),
            ),
        )

    def credits_in_role_order(self, films):
        """Credits of `films` (with their films), in the order a person page lists them."""
        return self._credits_by_role().of_films(films)

    def with_credits_shown(self, credits):
        """`credits` (a slice of `credits_in_role_order`: a prolific actor has hundreds) in
        `credits_shown`, in one more query."""
        # A list, not the relation's manager: Django prefetches a slice only into an attribute.
        return self.prefetch_related(Prefetch("credits", queryset=credits, to_attr="credits_shown"))

    # --- Filter vocabulary: people filters of the API ---

    # --- REST API endpoints ---

    def for_api_detail(self, films):
        """A person with credits (and films) and awards (and organisations, films): 3 queries;
        only those of `films`, the films the reader may see."""
        return self.prefetch_related(
            Prefetch("credits", queryset=self._credits_by_role().of_films(films)),
            Prefetch("awards", queryset=self._awards_newest_first().of_films(films)),
        )


class CreditQuerySet(OfFilmsQuerySet):
    def get_by_natural_key(self, film_slug, person_slug, role, character):
        return self.get(
            film__slug=film_slug, person__slug=person_slug, role=role, character=character
        )

    def in_billing_order(self):
        """Credits with their people: by role (as the choices declare them), then billing
        order and name."""
        return self.select_related("person").order_by(
            choice_position("role", CreditRole), "billing_order", "person__name", "pk"
        )

    def directors_prefetch(self, lookup="credits"):
        """Prefetch a film's directors, in billing order, into `film.director_credits`."""
        return Prefetch(
            lookup,
            queryset=self.filter(role=CreditRole.DIRECTOR)
            .select_related("person")
            .order_by("billing_order", "person__name"),
            to_attr="director_credits",
        )


class AwardQuerySet(OfFilmsQuerySet):
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
        """Awards of an organisation (a row or a queryset of rows), an outcome and a ceremony
        year, each when given."""
        awards = self if organisation is None else self.filter(organisation__in=among(organisation))
        conditions = {"outcome": outcome, "ceremony_year": year}
        return awards.filter(**{field: value for field, value in conditions.items() if value})

    # --- REST API endpoints ---

    def for_api_list(self):
        """Awards with their organisation, film, person and nominee country joined in: one
        query a page."""
        return self.select_related("organisation", "film", "person", "nominee_country")

    # --- Public site pages ---

    def for_index_page(self):
        """The awards index: by organisation, newest ceremony first. Films and people come
        in their own queries, by primary key for one page: joining them before the sort made
        PostgreSQL hash the whole film table (docs/performance.md)."""
        return (
            self.select_related("organisation", "nominee_country")
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


class FilmTitleQuerySet(OfFilmsQuerySet):
    def get_by_natural_key(self, film_slug, title, kind):
        return self.get(film__slug=film_slug, title=title, kind=kind)


class FilmLocationQuerySet(OfFilmsQuerySet):
    def get_by_natural_key(self, film_slug, place_slug, kind, period):
        return self.get(film__slug=film_slug, place__slug=place_slug, kind=kind, period=period)


class AdaptedWorkQuerySet(OfFilmsQuerySet):
    def get_by_natural_key(self, film_slug, title):
        return self.get(film__slug=film_slug, title=title)


class FactQuerySet(OfFilmsQuerySet):
    def get_by_natural_key(self, film_slug, key):
        return self.get(film__slug=film_slug, key=key)

    def with_source_rows(self):
        """Facts by kind and key, each with its sources folded into `source_rows`."""
        return self.annotate(
            source_rows=json_rows(
                self.model.sources.through.objects.filter(fact=OuterRef("pk")),
                "fact",
                slug="source__slug",
                title="source__title",
                kind="source__kind",
                url="source__url",
                publisher="source__publisher",
            )
        ).order_by("kind", "key")

    # --- Public site pages ---

    def for_home_page(self):
        """Confirmed facts only (a disputed claim is never shown as a bare fact), newest first."""
        return (
            self.filter(verification=Verification.CONFIRMED)
            .select_related("film")
            .order_by("-updated_at", "pk")
        )
