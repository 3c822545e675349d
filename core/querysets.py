"""Query building blocks every floor shares: rows folded into JSON columns, choice labels
and orders in SQL, slug natural keys, and text search over a row's `search_text`."""

from django.core.signals import setting_changed
from django.db import models
from django.db.models.functions import JSONObject
from django.utils import translation

from core.text_search import filter_queryset

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
        models.When(**{field_name: value}, then=models.Value(str(label)))
        for value, label in choices
    ]
    return models.Case(*whens, default=models.F(field_name), output_field=models.CharField())


def choice_position(field_name, choices):
    """An SQL expression ordering rows by the declaration order of `choices` (not alphabet)."""
    whens = [
        models.When(**{field_name: value}, then=models.Value(index))
        for index, value in enumerate(choices.values)
    ]
    return models.Case(*whens, default=models.Value(len(whens)))


# Querysets made by `built_once`, by key and language. Keys name a kind of page and a kind of
# reader, never a row or a request, so this stays small.
_built = {}


def built_once(key, build):
    """A fresh copy of the queryset `build()` makes, built once per process for each `key` and
    language.

    A page's annotated, prefetched queryset costs more to build (resolving its expressions)
    than to run, and it is the same on every request. `key` names everything the queryset
    depends on besides the language (choice labels and translated columns are written into
    its SQL): the page, and who reads it. `build` reads neither the database nor the clock
    (`Now()` is the database's). The stored queryset is never evaluated: each use gets a clone,
    as Django does with a view's class-level `queryset`.
    """
    full_key = (*key, translation.get_language())
    try:
        queryset = _built[full_key]
    except KeyError:
        queryset = _built[full_key] = build()
    return fresh_copy(queryset)


def fresh_copy(queryset):
    """A clone of `queryset` whose prefetches' querysets are clones too, at every depth: Django
    writes the row it prefetches for into a prefetch queryset's hints, and that row must not
    outlive its request nor be shared between threads."""
    clone = queryset.all()
    clone._hints = {}
    clone._prefetch_related_lookups = tuple(
        models.Prefetch(lookup.prefetch_through, fresh_copy(lookup.queryset), lookup.to_attr)
        if isinstance(lookup, models.Prefetch) and lookup.queryset is not None
        else lookup
        for lookup in clone._prefetch_related_lookups
    )
    return clone


def forget_built_querysets(**_):
    """Settings a build may read changed (tests override them): build again."""
    _built.clear()


setting_changed.connect(forget_built_querysets)


def among(rows):
    """What an `__in` lookup takes for `rows`: a queryset of rows (a subquery, no query of its
    own) or a single row."""
    return rows if isinstance(rows, models.QuerySet) else [rows]


class SlugQuerySet(models.QuerySet):
    """Rows identified by a unique slug, which is also their natural key in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SearchableQuerySet(SlugQuerySet):
    """Rows with a `search_text`; matching and ranking live in core.text_search."""

    def search(self, query):
        """The rows matching `query`, best first (core/text_search.py)."""
        return filter_queryset(self, query)
