"""The site-wide search: films, people and the lists a person may see, each kind ranked by
the text search engine (core/text_search.py), the best kind first. The site's search page,
the API's /search/ and nothing else use it."""

from dataclasses import dataclass, field

from catalogue.models import Film, Person
from core.text_search import MAX_RESULTS, parse_query, rank_phase, typos_possible
from discovery.visibility import visible_lists

KINDS = ("films", "people", "lists")


@dataclass
class SearchResults:
    """Films, people and lists matching a query; `best_kind` holds the best match overall."""

    query: str
    films: list = field(default_factory=list)
    people: list = field(default_factory=list)
    lists: list = field(default_factory=list)
    best_kind: str | None = None

    def __bool__(self):
        return bool(self.films or self.people or self.lists)

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


def search(query, *, user=None, limit=20):
    """Films, people and (visible to `user`) lists matching `query`, each kind ranked.

    Queries: per kind, one for candidates as written; when no kind matches as written and a
    word is long enough for typos, one more per kind for typos; one per kind with matches to
    load them. Constant in the number of rows.
    """
    parsed = parse_query(query)
    results = SearchResults(query=query)
    if not parsed:
        return results
    limit = max(1, min(int(limit), MAX_RESULTS))
    lists = visible_lists(user)
    querysets = {"films": Film.objects.all(), "people": Person.objects.all(), "lists": lists}
    ranked_by_kind = {
        kind: rank_phase(queryset, parsed, limit, typos=False)
        for kind, queryset in querysets.items()
    }
    # Typos are looked for only when no kind matches as written: "Menshov" finds the person
    # and their films, not also people whose names are a typo away from his.
    if not any(ranked_by_kind.values()) and typos_possible(parsed):
        ranked_by_kind = {
            kind: rank_phase(queryset, parsed, limit, typos=True)
            for kind, queryset in querysets.items()
        }
    best = None
    for kind, queryset in querysets.items():
        ranked = ranked_by_kind[kind]
        if not ranked:
            continue
        rows = queryset.in_bulk([pk for pk, _key in ranked])
        setattr(results, kind, [rows[pk] for pk, _key in ranked if pk in rows])
        # Kinds compare by tier, score and extra words; on a tie the earlier kind wins.
        if best is None or ranked[0][1][:3] < best:
            best, results.best_kind = ranked[0][1][:3], kind
    return results
