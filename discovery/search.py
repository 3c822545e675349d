"""The site-wide search: films, people and the lists a person may see, each kind ranked by
the text search engine (core/text_search.py), the best kind first; and the studios, award
givers and places whose names match, which lead to their films. The site's search page,
the API's /search/ and nothing else use it."""

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value

from catalogue.models import Credit, Film, Organisation, Person, Place
from core.spelling import make_slug
from core.text_search import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    MAX_RESULTS,
    MAX_WORD_LENGTH,
    parse_query,
    rank_phase,
    relevance_score,
    typos_possible,
)
from core.translations import as_written, translated_columns, translated_sql
from discovery.visibility import visible_films, visible_lists, visible_people
from pictures.models import poster_prefetch

KINDS = ("films", "people", "lists")
# Studios, organisations and places found by name: a handful is enough to follow one.
MAX_NAMED = 10
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class SearchResults:
    """Films, people and lists matching a query; `best_kind` holds the best match overall.
    `organisations` and `places` are (kind, slug, name, native_name) rows of the studios,
    award givers and places named by the query."""

    query: str
    films: list = field(default_factory=list)
    people: list = field(default_factory=list)
    lists: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    places: list = field(default_factory=list)
    best_kind: str | None = None
    # Each kind's relevance_score by pk; films that came as the best person's have none.
    scores: dict = field(default_factory=dict)
    # Whether a kind holds more matches than `limit` (its next page is not empty).
    more: dict = field(default_factory=dict)

    def score_of(self, row):
        """The relevance score (0 to 3, higher is better) of a result row, or None."""
        kind = {Film: "films", Person: "people"}.get(type(row), "lists")
        return self.scores.get(kind, {}).get(row.pk)

    def __bool__(self):
        return bool(self.films or self.people or self.lists or self.organisations or self.places)

    @property
    def sections(self):
        """[(kind, results)] of the kinds with results, the best kind first."""
        kinds = sorted(
            (kind for kind in KINDS if getattr(self, kind)), key=lambda kind: kind != self.best_kind
        )
        return [(kind, getattr(self, kind)) for kind in kinds]

    @property
    def top(self):
        """The single best match (a film, a person or a list), or None."""
        return getattr(self, self.best_kind)[0] if self.best_kind else None


def named_places_and_organisations(words):
    """(kind, slug, name, native_name) of the organisations and places whose name (English or
    Russian), native name or slug holds every word of the query as typed (a Cyrillic word
    through its transliteration too: "Мосфильм" finds Mosfilm). The name is in the reader's
    language. One query."""
    condition = Q()
    for word in words:
        named = Q(native_name__icontains=word) | Q(slug__icontains=make_slug(word) or word)
        for column in translated_columns("name"):
            named |= Q(**{f"{column}__icontains": word})
        condition &= named
    columns = ("kind", "slug", "shown_name", "native_name")
    shown_name = translated_sql("name")
    organisations = (
        as_written(Organisation.objects.filter(condition))
        .annotate(shown_name=shown_name)
        .order_by()
        .values_list(*columns)
    )
    places = (
        as_written(Place.objects.filter(condition))
        .annotate(kind=Value("place"), shown_name=shown_name)
        .order_by()
        .values_list(*columns)
    )
    return list(organisations.union(places).order_by("shown_name")[:MAX_NAMED])


def search(query, *, user=None, limit=20, offset=0):
    """Films, people and (visible to `user`) lists matching `query`, each kind ranked, and
    the organisations and places it names; of each kind the `limit` results after the best
    `offset` (a page), with each result's relevance score and whether more follow.

    When a person is the best match, their films come too, after the films that match by
    themselves: a misspelt name ("Mensov") finds the person by a typo, and so their films.

    Queries: per kind, one for candidates as written; when no kind matches as written and a
    word is long enough for typos, one more per kind for typos; one per kind with matches to
    load them; one for organisations and places. Constant in the number of rows.
    """
    parsed = parse_query(query)
    results = SearchResults(query=query)
    if not parsed:
        return results
    offset = max(0, min(int(offset), MAX_RESULTS))
    limit = max(1, min(int(limit), MAX_RESULTS - offset)) if offset < MAX_RESULTS else 0
    if not limit:
        return results
    # One more than the page asks for says whether another page follows.
    wanted = offset + limit + 1
    lists = visible_lists(user)
    films = visible_films(user).prefetch_related(poster_prefetch())  # results show posters
    querysets = {"films": films, "people": visible_people(user), "lists": lists}
    ranked_by_kind = {
        kind: rank_phase(queryset, parsed, wanted, typos=False)
        for kind, queryset in querysets.items()
    }
    # Typos are looked for only when no kind matches as written: "Menshov" finds the person
    # and their films, not also people whose names are a typo away from his.
    if not any(ranked_by_kind.values()) and typos_possible(parsed):
        ranked_by_kind = {
            kind: rank_phase(queryset, parsed, wanted, typos=True)
            for kind, queryset in querysets.items()
        }
    best = None
    for kind in querysets:
        ranked = ranked_by_kind[kind]
        # Kinds compare by tier, score and extra words; on a tie the earlier kind wins.
        if ranked and (best is None or ranked[0][1][:3] < best):
            best, results.best_kind = ranked[0][1][:3], kind
    for kind, queryset in querysets.items():
        ranked = ranked_by_kind[kind]
        results.scores[kind] = {pk: relevance_score(key) for pk, key in ranked}
        if kind == "films" and results.best_kind == "people":
            films_found = films_with_persons(
                queryset, [pk for pk, _key in ranked], people_pks(ranked_by_kind)
            )
            results.more[kind] = len(films_found) > offset + limit
            results.films = films_found[offset : offset + limit]
            continue
        results.more[kind] = len(ranked) > offset + limit
        pks = [pk for pk, _key in ranked[offset : offset + limit]]
        if not pks:
            continue
        rows = queryset.in_bulk(pks)
        setattr(results, kind, [rows[pk] for pk in pks if pk in rows])
    # Names are matched as typed, without control characters (PostgreSQL refuses NUL).
    typed = CONTROL_CHARACTERS.sub(" ", query[:MAX_QUERY_LENGTH])
    words = [word[:MAX_WORD_LENGTH] for word in typed.split()[:MAX_QUERY_WORDS]]
    for row in named_places_and_organisations(words):
        (results.places if row[0] == "place" else results.organisations).append(row)
    return results


def people_pks(ranked_by_kind):
    return [pk for pk, _key in ranked_by_kind["people"][:1]]


def films_with_persons(films, ranked_pks, person_pks):
    """The films ranked `ranked_pks`, in that order, then the other films of the people
    `person_pks` by year: one query."""
    credits = Credit.objects.filter(film=OuterRef("pk"), person_id__in=person_pks)
    rows = films.filter(Exists(credits)).order_by("release_year", "pk")
    if ranked_pks:
        # (An empty IN would make Django skip the whole query.)
        ranked_first = ExpressionWrapper(Q(pk__in=ranked_pks), output_field=BooleanField())
        rows = (
            films.filter(Q(pk__in=ranked_pks) | Exists(credits))
            .alias(ranked=ranked_first)
            .order_by("-ranked", "release_year", "pk")
        )
    rows = list(rows[: len(ranked_pks) + MAX_RESULTS])
    by_pk = {row.pk: row for row in rows}
    ranked = [by_pk[pk] for pk in ranked_pks if pk in by_pk]
    return ranked + [row for row in rows if row.pk not in set(ranked_pks)]
