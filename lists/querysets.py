"""Query vocabulary for curated lists, and the list-membership words films need: which films
a list holds (`films_in_list`) and which lists hold a film (`memberships_prefetch`)."""

from django.db import models
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from catalogue.models import Credit, Film
from core.querysets import SearchableQuerySet, among
from core.response_cache import object_tag
from lists.choices import ListStatus


class CuratedListQuerySet(SearchableQuerySet):
    def published(self):
        """Lists visitors and anonymous API users may see. The database's clock, not a
        parameter: the same SQL every time, so counts over it can be kept (see
        core.response_cache.remembered; a scheduled publication bounds how long)."""
        return self.filter(status=ListStatus.PUBLISHED, published_at__lte=Now())

    def next_scheduled_publication(self):
        """When the next list scheduled for the future goes live (None if none is), on this
        process's clock. The database's clock decides when a list is live (`published`), so
        its moment is moved by however far that clock is from ours: cached pages and counts
        then end when the database shows the list, not before or after."""
        before = timezone.now()  # read first: any error makes the moment early, never late
        scheduled = self.filter(status=ListStatus.PUBLISHED, published_at__gt=Now())
        found = scheduled.aggregate(
            first=models.Min("published_at"), database_now=models.Max(Now())
        )
        if found["first"] is None:
            return None
        return before + (found["first"] - found["database_now"])

    # --- Public site pages ---

    def with_entry_counts(self):
        # A correlated count: PostgreSQL computes it only for the rows a page shows,
        # after ORDER BY … LIMIT, instead of joining and grouping every entry of every list
        # (76 ms → 0.5 ms for the home page's latest lists; docs/performance.md).
        entries = (
            self.model.entries.rel.related_model.objects.filter(curated_list=models.OuterRef("pk"))
            .order_by()
            .values("curated_list")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            entry_count=Coalesce(models.Subquery(entries, output_field=models.IntegerField()), 0)
        )

    def featured(self):
        return self.filter(featured=True)

    def for_index_page(self):
        """List cards newest first, with their number of films; one query per page."""
        return self.select_related("source").with_entry_counts().order_by("-published_at", "title")

    def with_ranked_entries(self, films):
        """A list with its entries in order, each film with its directors: 3 queries. Only
        the entries of `films` (the films the reader may see) are shown."""
        entries = self.model.entries.rel.related_model.objects.filter(film__in=films)
        return self.select_related("source").prefetch_related(
            models.Prefetch(
                "entries", queryset=entries.select_related("film").order_by("position")
            ),
            Credit.objects.directors_prefetch("entries__film__credits"),
        )

    def with_entries_for_page(self, films):
        """A list with its ranked entries (of `films`) as film cards: 4 queries whatever the
        list's length."""
        return self.with_ranked_entries(films).prefetch_related("entries__film__countries")

    def published_before(self, curated_list):
        """The published list just older than `curated_list` (its 'previous'), or None."""
        return self._published_neighbour(curated_list, newer=False)

    def published_after(self, curated_list):
        """The published list just newer than `curated_list` (its 'next'), or None."""
        return self._published_neighbour(curated_list, newer=True)

    def _published_neighbour(self, curated_list, *, newer):
        """The nearest published list in publication order (ties broken by pk)."""
        if curated_list.published_at is None:
            return None
        beyond, direction = ("gt", "") if newer else ("lt", "-")
        return (
            self.published()
            .filter(
                models.Q(**{f"published_at__{beyond}": curated_list.published_at})
                | models.Q(
                    published_at=curated_list.published_at, **{f"pk__{beyond}": curated_list.pk}
                )
            )
            .order_by(f"{direction}published_at", f"{direction}pk")
            .only("slug", "title", "published_at", "updated_at")
            .first()
        )

    # --- end of the public site pages block ---

    # --- REST API endpoints ---

    def for_api_list(self):
        """List rows with their number of entries: one query a page."""
        return self.with_entry_counts().order_by("-published_at", "title", "pk")

    def for_api_detail(self, films):
        """A list with its entries (of `films`) in order, each film with its directors:
        3 queries."""
        return self.with_ranked_entries(films)

    # --- end of the REST API block ---


class CuratedListEntryQuerySet(models.QuerySet):
    def get_by_natural_key(self, list_slug, film_slug):
        return self.get(curated_list__slug=list_slug, film__slug=film_slug)

    def neighbours_of(self, entry):
        """The entries just before and after `entry` in its list (positions may have gaps),
        with their films: one query. Returns (previous, next), each None at an end."""
        same_list = self.filter(curated_list_id=entry.curated_list_id).order_by()
        before = same_list.filter(position__lt=entry.position).order_by("-position")
        after = same_list.filter(position__gt=entry.position).order_by("position")
        rows = list(
            same_list.filter(
                models.Q(pk__in=before.values("pk")[:1]) | models.Q(pk__in=after.values("pk")[:1])
            ).select_related("film")
        )
        previous = next((row for row in rows if row.position < entry.position), None)
        following = next((row for row in rows if row.position > entry.position), None)
        return previous, following

    def of_unpublished_films(self):
        """Entries whose film visitors cannot see yet (an import's stub), with list and film,
        in list order: what publishing their lists would publish."""
        films = self.model._meta.get_field("film").related_model.objects.unpublished()
        return (
            self.filter(film__in=films)
            .select_related("curated_list", "film")
            .order_by("curated_list__title", "curated_list__pk", "position")
        )


def films_in_list(films, curated_list):
    """The `films` in `curated_list` (a list, or a queryset of one list), annotated with their
    `list_position`."""
    entries = films.model.list_entries.rel.related_model.objects.filter(
        curated_list__in=among(curated_list)
    )
    position = entries.filter(film=models.OuterRef("pk")).order_by().values("position")[:1]
    # Select the films through the list's entries (an index scan of ≤100 rows), then look
    # up each one's position: filtering on the position subquery instead made PostgreSQL
    # run it once per film of the catalogue (docs/performance.md).
    return films.filter(pk__in=entries.values("film_id")).annotate(
        list_position=models.Subquery(position)
    )


def films_in_lists(lists):
    """The ids of the films in any of `lists` (a subquery)."""
    entries = lists.model.entries.rel.related_model.objects
    return entries.filter(curated_list__in=lists).values("film_id")


def count_films_by_list(films, lists):
    """Facet counts of the browse page: `lists` with how many of `films` each holds (rows of
    `value` = slug, `label` = title, `count`), in one grouped query."""
    entries = lists.model.entries.rel.related_model.objects.filter(curated_list__in=lists)
    return films.count_films_by(entries, "curated_list__slug", "curated_list__title")


def memberships_prefetch(lists, to_attr):
    """Prefetch a film's entries in `lists` (those the reader may see), by list title, each
    with its list, into `film.<to_attr>`."""
    entries = lists.model.entries.rel.related_model.objects
    return models.Prefetch(
        "list_entries",
        queryset=entries.filter(curated_list__in=lists)
        .select_related("curated_list")
        .order_by("curated_list__title", "pk"),
        to_attr=to_attr,
    )


def films_of_list_tags(curated_list):
    """The response cache's tags of the films in `curated_list` (whose pages list it)."""
    film_ids = curated_list.entries.values_list("film_id", flat=True)
    return {object_tag(Film, pk) for pk in film_ids}
