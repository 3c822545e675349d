"""The films a visitor sees, held in memory as facets: for each value a filter can take (a
decade, a country, a genre…), the set of films that have it, as a compressed bitmap
(pyroaring) of the films' places in the browse order (year, title, id).

A filtered listing is then a few intersections of bitmaps, not SQL over the whole catalogue:
how many films match, each facet's counts under the other filters, and which films make up
a page (the bitmap's n-th members), so the database only fetches those rows. At 100,000
films the nine grouped counts of a browse page cost about 80 ms of SQL; here about 2 ms.

The index answers visitors only (readers who may see drafts get SQL), for the filters it
holds (`INDEXED_FILTERS`) and the default order; anything else is answered by SQL as before.
It is one per process, stamped with the catalogue version it was built at
(core.response_cache): any write makes it stale, and a stale index is never answered from.
The request that finds it stale is answered by SQL while a thread builds a new one
(FILM_INDEX = "background"; "inline" builds it in the request, for tests).
"""

import logging
import threading
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone, translation
from pyroaring import BitMap, FrozenBitMap

from catalogue.models import (
    Award,
    AwardOutcome,
    Country,
    Film,
    FilmLocation,
    Genre,
    LocationKind,
    Organisation,
    Place,
)
from core.cache import CACHE_ERRORS
from core.models import Verification
from core.response_cache import (
    catalogue_version,
    next_scheduled_moment,
    response_cache,
    settled_catalogue_version,
)
from core.translations import name_columns, translated_sql
from discovery.filters import BrowseFilmFilter, FilmFilter
from discovery.visibility import may_see_drafts, public_films, public_lists
from lists.models import CuratedList, CuratedListEntry

logger = logging.getLogger(__name__)

# Filters the index answers (the browse page's facets). The award filters are not among them:
# chosen together they must hold for one and the same award, which sets of films cannot say;
# their facets are answered when none is chosen.
NAMED_FACETS = ("country", "genre", "studio", "setting", "list")
INDEXED_FILTERS = ("decade", *NAMED_FACETS, "verification")
# The order the index holds the films in (the browse page's default, and the API's).
INDEX_ORDER = ("release_year", "title", "pk")
# Rows fetched at a time while building.
CHUNK = 5000
# A facet of more values than this (places, lists) also keeps each film's values, to count a
# few films' values rather than intersect every value's films (Selection.facet_rows).
MANY_VALUES = 50


def shown_language(per_language):
    """The reader's language, if `per_language` (a table by language code) has it, else the
    site's default."""
    language = translation.get_language()
    return language if language in per_language else settings.LANGUAGE_CODE


@dataclass
class Facet:
    """One facet: the films of each value (by key), and its values in the order the browse page
    shows them, per language: (key, value shown in the filter, label). A facet of rows also
    knows every row by key, per language: (slug, label), films or none."""

    films: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    # Per place, the keys of the film's values (a film may be set in several places), for a
    # facet of many values (MANY_VALUES): what a few films count to.
    keys_by_place: list = field(default_factory=list)
    # Per language, each key's place among the options, and the option: (position, value, label).
    placed: dict = field(init=False)

    def __post_init__(self):
        self.placed = {
            code: {
                key: (position, value, label) for position, (key, value, label) in enumerate(rows)
            }
            for code, rows in self.options.items()
        }


@dataclass(frozen=True)
class NamedRow:
    """A row a browse filter names, as the page shows it (its chip, its facet's choice),
    without a query: what the index knows of it."""

    pk: int
    slug: str
    label: str

    def __str__(self):
        return self.label


@dataclass
class Names:
    """How a filter value names a row (discovery.filters.NamedRowField.match, for the slugs and
    one-word names the API takes): slugs, other names and aliases, lower-cased, to row keys."""

    slugs: dict = field(default_factory=dict)
    others: dict = field(default_factory=dict)

    def key_of(self, value):
        if not value.isascii():  # "\u212a" (Kelvin) lower-cases to "k"; SQL's iexact keeps it
            return None
        value = value.lower()
        found = self.slugs.get(value) or self.others.get(value)
        return min(found) if found else None


class FilmIndex:
    def __init__(self, version, expires_at, order, facets, names):
        self.version = version
        self.expires_at = expires_at
        self.order = order  # film ids, by place
        self.everything = FrozenBitMap(range(len(order)))
        self.facets = facets
        self.names = names

    def is_current(self, version):
        return self.version == version and (
            self.expires_at is None or timezone.now() < self.expires_at
        )

    def key_of(self, name, value):
        """The key of the row `value` names for the filter `name`, or None if there is none."""
        return self.names[name].key_of(value)

    def row(self, name, key):
        """The row of the filter `name` with `key`, labelled in the reader's language."""
        rows = self.facets[name].rows
        slug, label = rows[shown_language(rows)][key]
        return NamedRow(key, slug, label)

    def films(self, name, key):
        return self.facets[name].films.get(key, BitMap())

    def matching(self, terms):
        """The places of the films matching every (filter name, key) of `terms`."""
        if not terms:
            return self.everything
        return BitMap.intersection(*(self.films(name, key) for name, key in terms.items()))

    def select(self, terms):
        return Selection(self, terms)


class Selection:
    """The films matching `terms`: how many, which ones from the n-th in the browse order, and
    each facet's counts under the same filters."""

    def __init__(self, index, terms):
        self.index, self.terms = index, terms
        self.places = index.matching(terms)

    def count(self):
        return len(self.places)

    def ids(self, start, stop):
        return [self.index.order[place] for place in self.places[start:stop]]

    @staticmethod
    def _counted(facet, options, mask, language):
        """(value, label, count) of each option among the films of `mask`, in their order."""
        if facet.keys_by_place and len(mask) < 2 * len(options):
            # Few films for so many values: counting what each film has costs less than a
            # bitmap intersection per value (about 0.2 µs a film against 0.4 to 1.2 a value).
            keys_by_place = facet.keys_by_place
            counts = Counter(key for place in mask for key in keys_by_place[place])
            placed = facet.placed[language]
            found = sorted((placed[key], count) for key, count in counts.items())
            return [(value, label, count) for (_, value, label), count in found]
        return (
            (value, label, facet.films[key].intersection_cardinality(mask))
            for key, value, label in options
        )

    def facet_rows(self, name):
        """Rows as the facet's grouped query gives them (`value`, `label`, `count`) for the
        values some film matching the other filters has, in the facet's order."""
        others = {key: value for key, value in self.terms.items() if key != name}
        facet = self.index.facets[name]
        language = shown_language(facet.options)
        options = facet.options[language]
        if not others:
            counted = ((value, label, len(facet.films[key])) for key, value, label in options)
        else:
            counted = self._counted(facet, options, self.index.matching(others), language)
        # Choices (decades, verification) have no label of their own: the page names them.
        return [
            {"value": value, "label": label, "count": count}
            if label is not None
            else {"value": value, "count": count}
            for value, label, count in counted
            if count
        ]


# --- building --------------------------------------------------------------------------------


def _names_of(rows, names, aliases):
    """The Names of `rows` for a filter naming them by the fields `names` or by `aliases`
    ((field, {alias: that field's value})). Only ASCII names: the API takes slugs, and the
    databases agree on ASCII case alone."""
    columns = name_columns(rows.model, names)
    found = Names()
    for pk, slug, *texts in rows.order_by().values_list("pk", "slug", *columns):
        found.slugs.setdefault(slug.lower(), set()).add(pk)
        for text in texts:
            if text and text.isascii():
                found.others.setdefault(text.lower(), set()).add(pk)
    if aliases:
        field, alias_map = aliases
        by_field = defaultdict(set)
        for value, pk in rows.order_by().values_list(field, "pk"):
            by_field[value].add(pk)
        for alias, value in alias_map.items():
            if alias.isascii() and value in by_field:
                found.others.setdefault(alias, set()).update(by_field[value])
    return found


def _options_of(rows, label, languages):
    """Per language, (key, slug, label) of `rows`, as a facet's grouped query orders them: by
    label, then slug, in the database's collation."""
    return {
        code: list(
            rows.order_by()
            .annotate(label=translated_sql(label, code))
            .order_by("label", "slug")
            .values_list("pk", "slug", "label")
        )
        for code in languages
    }


def _keys_by_place(films, size):
    """Per place (0 to `size` - 1), the keys whose bitmap in `films` holds it, as a tuple (the
    same tuple for the same keys, so that a catalogue's few combinations are kept once)."""
    keys = [[] for _ in range(size)]
    for key, places in films.items():
        for place in places:
            keys[place].append(key)
    shared = {}
    return [shared.setdefault(tuple(found), tuple(found)) for found in keys]


def _places_by_key(pairs, place_of):
    films = defaultdict(BitMap)
    for film_id, key in pairs:
        place = place_of.get(film_id)
        if place is not None:
            films[key].add(place)
    return {key: FrozenBitMap(bitmap) for key, bitmap in films.items()}


def build_film_index(cache=None):
    """An index of the films a visitor sees now, stamped with the catalogue version in `cache`
    (the response cache) read before any row: a write while it is built makes it stale."""
    version = None if cache is None else catalogue_version(cache)
    expires_at = next_scheduled_moment()
    languages = [code for code, _ in settings.LANGUAGES]
    films = public_films()
    lists = public_lists()
    # Streamed (a server-side cursor on PostgreSQL), so a build holds no copy of the rows.
    order = array("q")
    place_of = {}
    decades, verifications = defaultdict(BitMap), defaultdict(BitMap)
    ordered = films.order_by(*INDEX_ORDER).values_list("pk", "release_year", "verification")
    for place, (pk, year, verification) in enumerate(ordered.iterator(chunk_size=CHUNK)):
        order.append(pk)
        place_of[pk] = place
        decades[year // 10 * 10].add(place)
        verifications[verification].add(place)
    film_ids = films.order_by().values("pk")

    facets, names = {}, {}
    facets["decade"] = Facet(
        {key: FrozenBitMap(bitmap) for key, bitmap in decades.items()},
        {code: [(key, key, None) for key in sorted(decades)] for code in languages},
    )
    facets["verification"] = Facet(
        {key: FrozenBitMap(bitmap) for key, bitmap in verifications.items()},
        {
            code: [(value, value, None) for value in Verification.values if value in verifications]
            for code in languages
        },
    )

    links = {
        "country": (
            Country.objects.all(),
            Film.countries.through.objects.values_list("film_id", "country_id"),
        ),
        "genre": (
            Genre.objects.all(),
            Film.genres.through.objects.values_list("film_id", "genre_id"),
        ),
        "studio": (
            Organisation.objects.all(),
            Film.studios.through.objects.values_list("film_id", "organisation_id"),
        ),
        "setting": (
            Place.objects.all(),
            FilmLocation.objects.filter(kind=LocationKind.SETTING).values_list(
                "film_id", "place_id"
            ),
        ),
        "award_organisation": (
            Organisation.objects.all(),
            Award.objects.values_list("film_id", "organisation_id"),
        ),
        "list": (
            lists,
            CuratedListEntry.objects.filter(curated_list__in=lists).values_list(
                "film_id", "curated_list_id"
            ),
        ),
    }
    for name, (rows_named, pairs) in links.items():
        definition = FilmFilter.base_filters[name].extra
        names[name] = _names_of(rows_named, definition["names"], definition["aliases"])
        label = "title" if rows_named.model is CuratedList else "name"
        labelled = _options_of(rows_named, label, languages)
        by_key = _places_by_key(
            pairs.filter(film__in=film_ids).order_by().iterator(chunk_size=CHUNK), place_of
        )
        facets[name] = Facet(
            by_key,
            {
                code: [(key, slug, label) for key, slug, label in rows if key in by_key]
                for code, rows in labelled.items()
            },
            {
                code: {key: (slug, label) for key, slug, label in rows}
                for code, rows in labelled.items()
            },
        )

    outcomes = _places_by_key(
        Award.objects.filter(film__in=film_ids)
        .order_by()
        .values_list("film_id", "outcome")
        .iterator(chunk_size=CHUNK),
        place_of,
    )
    outcome_options = {}
    for code in languages:
        with translation.override(code):
            labelled = [(str(label), value) for value, label in AwardOutcome.choices]
        outcome_options[code] = [
            (value, value, label) for label, value in sorted(labelled) if value in outcomes
        ]
    facets["award_outcome"] = Facet(outcomes, outcome_options)
    for facet in facets.values():
        if len(facet.films) > MANY_VALUES:
            facet.keys_by_place = _keys_by_place(facet.films, len(order))
    return FilmIndex(version, expires_at, order, facets, names)


# --- this process's index --------------------------------------------------------------------


class _Builder:
    """This process's index, and at most one build of the next one at a time. A build in the
    background waits, after the last one, several times as long as that build took: an editor
    at work makes the index stale at every save, and builds must not take the whole machine."""

    PAUSE_FACTOR = 4

    def __init__(self):
        self.index = None
        self.lock = threading.Lock()
        self.building = False
        self.next_build_at = 0.0

    def current(self, version):
        index = self.index
        if index is not None and index.is_current(version):
            return index
        mode = settings.FILM_INDEX
        if mode == "inline":
            self.build()
            index = self.index
            return index if index is not None and index.is_current(version) else None
        with self.lock:
            if self.building or time.monotonic() < self.next_build_at:
                return None
            self.building = True
        threading.Thread(target=self._build_in_thread, daemon=True, name="film-index").start()
        return None

    def build(self):
        started = time.monotonic()
        try:
            index = build_film_index(response_cache())
            if index.version is not None:
                self.index = index
        except (DatabaseError, *CACHE_ERRORS):
            logger.warning("Could not build the film index; answering by SQL", exc_info=True)
        took = time.monotonic() - started
        self.next_build_at = time.monotonic() + took * self.PAUSE_FACTOR
        logger.info("Built the film index in %.2f s", took)

    def _build_in_thread(self):
        try:
            self.build()
        finally:
            connection.close()  # this thread's own connection
            with self.lock:
                self.building = False

    def forget(self):
        self.index = None
        self.next_build_at = 0.0


builder = _Builder()


def film_index_for(user):
    """The current index if it may answer `user`'s listing now, else None (answer by SQL)."""
    if settings.FILM_INDEX == "off" or may_see_drafts(user):
        return None
    # Inside a transaction a read may follow writes not yet committed: the index, built of
    # committed rows, would not show them.
    if connection.in_atomic_block:
        return None
    cache = response_cache()
    if cache is None:
        return None
    try:
        version = settled_catalogue_version(cache)
    except (*CACHE_ERRORS, DatabaseError):
        return None
    if version is None:  # Redis out (its breaker answers nothing): writes could not stale it
        return None
    return builder.current(version)


def index_terms(index, data, *, browsing=False):
    """The index's terms for cleaned filter values `data` (rows, names, choices), or None when
    the index cannot answer them (a filter it does not hold, a name cleaned to a queryset). A
    name the index does not know is no film for the API, but SQL's to answer when `browsing`:
    a Cyrillic name, or an unknown one the page tells the reader about."""
    terms = {}
    for name, value in data.items():
        if value in (None, ""):
            continue
        if name not in INDEXED_FILTERS:
            return None
        if name in NAMED_FACETS:
            if hasattr(value, "pk"):  # a row the browse form looked up
                key = value.pk
            elif isinstance(value, str):  # a name left for the index to find
                key = index.key_of(name, value)
            else:
                return None
            if key is None and browsing:
                return None
        else:
            key = value if name != "decade" else int(value)
        terms[name] = key
    return terms


# --- what a listing pages through ------------------------------------------------------------


class IndexedFilms:
    """The films of a selection as a Paginator pages them: `count()` from the index, and each
    slice one query for just its rows (by id) in `queryset`."""

    ordered = True

    def __init__(self, selection, queryset):
        self.selection, self.queryset = selection, queryset

    def ids_only(self):
        """The same films, whose slices are their ids (for rows kept elsewhere)."""
        return IndexedFilms(self.selection, None)

    def count(self):
        return self.selection.count()

    def __len__(self):
        return self.selection.count()

    def __getitem__(self, shown):
        if not isinstance(shown, slice) or shown.step is not None:
            raise TypeError("IndexedFilms gives slices of its films only")
        ids = self.selection.ids(shown.start or 0, shown.stop)
        if not ids or self.queryset is None:
            return ids
        place = {pk: n for n, pk in enumerate(ids)}
        rows = self.queryset.filter(pk__in=ids).order_by(*INDEX_ORDER)
        return sorted(rows, key=lambda row: place[row.pk])


def selection_of(film_filter):
    """The index's selection of the films `film_filter` matches, or None when the index may
    not answer it (a reader who sees drafts, a filter it does not hold, an invalid form, no
    current index). Found once per filter."""
    if not hasattr(film_filter, "index_selection"):
        film_filter.index_selection = _select(film_filter)
    return film_filter.index_selection


def _select(film_filter):
    if not film_filter.is_valid():
        return None
    index = film_index_for(getattr(film_filter.request, "user", None))
    if index is None:
        return None
    data = {
        name: value for name, value in film_filter.form.cleaned_data.items() if name != "ordering"
    }
    terms = index_terms(index, data, browsing=film_filter.browsing)
    return None if terms is None else index.select(terms)


class IndexedFilmFilter(FilmFilter):
    """FilmFilter's filters the index holds, checked as the API checks them (the same fields
    and messages) but with no row looked up or queryset built: the index finds the rows. For a
    request naming no other filter, so that a reader the index may answer costs no more."""

    finds_rows = False


IndexedFilmFilter.base_filters = {name: FilmFilter.base_filters[name] for name in INDEXED_FILTERS}

# The browse page's filters the index answers alone: a chosen list shows the list's own order.
INDEXED_BROWSE_FILTERS = tuple(name for name in INDEXED_FILTERS if name != "list")


class IndexedBrowseFilmFilter(IndexedFilmFilter):
    """IndexedFilmFilter for the browse page: any name (not only a slug), and the rows it names
    are the index's (NamedRow)."""

    browsing = True


IndexedBrowseFilmFilter.base_filters = {
    name: BrowseFilmFilter.base_filters[name] for name in INDEXED_BROWSE_FILTERS
}


def browse_filter(query, *, queryset, request):
    """The browse page's filter for `query`: answered by the index alone when it holds every
    filter given and may answer the reader (no row looked up, no queryset built), else a
    BrowseFilmFilter, answered by SQL (which also explains a name it does not know)."""
    if {*INDEXED_BROWSE_FILTERS, "page"}.issuperset(query):
        film_filter = IndexedBrowseFilmFilter(query, queryset=queryset, request=request)
        selection = selection_of(film_filter)
        if selection is not None:
            cleaned = film_filter.form.cleaned_data
            for name, key in selection.terms.items():
                if name in NAMED_FACETS:
                    cleaned[name] = selection.index.row(name, key)
            return film_filter
    return BrowseFilmFilter(query, queryset=queryset, request=request)


def indexed_films(request, queryset):
    """The films of an API listing's query, from the film index, when it holds every filter
    given and may answer the reader (as IndexedFilms over `queryset`); else None, and the
    listing is answered by SQL (which also says what is wrong with a bad value)."""
    query = request.query_params
    if not {*INDEXED_FILTERS, "page", "page_size"}.issuperset(query):
        return None
    if any(not value.strip() for value in query.values()):
        return None  # blank: a 400 (api.filters.StrictFilterBackend)
    film_filter = IndexedFilmFilter(query, queryset=queryset, request=request)
    selection = selection_of(film_filter)
    return None if selection is None else IndexedFilms(selection, queryset)


def films_to_page(film_filter, queryset):
    """What a listing pages through, and how many films that is: in the index's order, its
    selection over `queryset` (the unfiltered rows a page shows); in another order, the
    filter's own rows (counted by the index when it can). (rows, count or None)"""
    selection = selection_of(film_filter)
    if selection is None:
        return film_filter.qs, None
    if film_filter.form.cleaned_data.get("ordering"):
        return film_filter.qs, selection.count()
    return IndexedFilms(selection, queryset), selection.count()
