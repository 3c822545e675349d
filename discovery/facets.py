"""The browse page's facets, sort and active-filter chips, built from a `BrowseFilmFilter`.

Each facet is a filter a person picks from a list: the values the catalogue holds, each with
the number of films it would show given the other filters chosen (its own left out, so a
person can switch from one genre to another). A visitor's counts come from the film index
(discovery.film_index) when it holds every filter chosen, with no query at all; otherwise every
facet costs one grouped query, whatever the catalogue's size (ops/query_budgets.py:
BROWSE_FACETS), and none while its result is in the response cache: counts are kept until the
catalogue changes (core.response_cache.remembered).
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from catalogue.models import AwardOutcome
from core.models import Verification
from core.response_cache import remembered_rows
from discovery.film_index import selection_of
from discovery.filters import DECADE_CHOICES
from discovery.visibility import visible_lists
from lists.querysets import count_films_by_list

AWARD_FIELDS = ("award_organisation", "award_outcome", "award_year")


def _award(data, *leave_out):
    """The award_* values of `data` for `AwardQuerySet.matching`, less those left out."""
    award = {
        "organisation": data.get("award_organisation"),
        "outcome": data.get("award_outcome"),
        "year": data.get("award_year"),
    }
    return {key: value for key, value in award.items() if key not in leave_out}


# (query parameter, label, "any" choice, the grouped counts given the films and filter data,
# the filter values the facet leaves out when it counts)
FACETS = [
    ("decade", _("Decade"), _("Any decade"), lambda films, data, user: films.decade_counts(), ()),
    (
        "country",
        _("Country"),
        _("Any country"),
        lambda films, data, user: films.country_counts(),
        (),
    ),
    ("genre", _("Genre"), _("Any genre"), lambda films, data, user: films.genre_counts(), ()),
    ("studio", _("Studio"), _("Any studio"), lambda films, data, user: films.studio_counts(), ()),
    ("setting", _("Set in"), _("Any place"), lambda films, data, user: films.setting_counts(), ()),
    (
        "award_organisation",
        _("Award from"),
        _("Any"),
        lambda films, data, user: films.award_organisation_counts(**_award(data, "organisation")),
        AWARD_FIELDS,
    ),
    (
        "award_outcome",
        _("Award outcome"),
        _("Any"),
        lambda films, data, user: films.award_outcome_counts(**_award(data, "outcome")),
        AWARD_FIELDS,
    ),
    (
        "list",
        _("In the list"),
        _("Any list"),
        lambda films, data, user: count_films_by_list(films, visible_lists(user)),
        (),
    ),
    (
        "verification",
        _("Verification"),
        _("Any"),
        lambda films, data, user: films.verification_counts(),
        (),
    ),
]
FACET_NAMES = [name for name, *_ in FACETS]

# Labels of the fixed choices, which their counts do not carry.
CHOICE_LABELS = {
    "decade": {str(value): label for value, label in DECADE_CHOICES},
    "award_outcome": dict(AwardOutcome.choices),
    "verification": dict(Verification.choices),
}

# What a chip calls the filters that have no facet (links from other pages and the API's
# vocabulary reach the browse page too).
FILTER_LABELS = {
    **{name: label for name, label, *_ in FACETS},
    "q": _("Title"),
    "year": _("Year"),
    "year_min": _("From"),
    "year_max": _("Until"),
    "person": _("With"),
    "role": _("Role"),
    "director": _("Director"),
    "actor": _("Actor"),
    "filming_location": _("Filmed in"),
    "award_year": _("Award year"),
    "imdb_id": _("IMDb ID"),
    "tmdb_id": _("TMDB ID"),
    "wikidata_id": _("Wikidata ID"),
    "kinopoisk_id": _("Kinopoisk ID"),
}

SORTS = [
    ("year", _("Year, oldest first")),
    ("-year", _("Year, newest first")),
    ("title", _("Title, A to Z")),
    ("-title", _("Title, Z to A")),
    ("runtime", _("Runtime, shortest first")),
    ("-runtime", _("Runtime, longest first")),
]
LIST_SORTS = [("position", _("List order")), ("-position", _("List order, reversed"))]


class Option(NamedTuple):  # a facet shows hundreds: a tuple is the cheapest to make
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    any_label: str
    options: list[Option]
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chip:
    """An active filter, and the link that drops it."""

    label: str
    value: str
    remove_query: str  # "" or "?…": the browse page's path goes before it
    invalid: bool = False


def is_row(value):
    """A cleaned filter value naming a row (a model's, or the film index's NamedRow)."""
    return hasattr(value, "slug")


def key_of(value):
    """The value a facet's option carries for a cleaned filter value (a row or a choice)."""
    if is_row(value):
        return value.slug
    return "" if value in (None, "") else str(value)


def label_of(name, value):
    if is_row(value):
        return str(value)
    return CHOICE_LABELS.get(name, {}).get(str(value), str(value))


def browse_facets(film_filter, films):
    """The facets of the browse page for `film_filter` (already validated) over `films`."""
    data = {
        name: value
        for name, value in film_filter.form.cleaned_data.items()
        if value not in (None, "") and name != "ordering"
    }
    user = getattr(film_filter.request, "user", None)
    if "q" in data:
        # The title search ranks in Python (core.text_search): run it once for all facets.
        films = film_filter.narrow(films, {"q": data.pop("q")})
    selection = selection_of(film_filter)
    facets = []
    for name, label, any_label, count, leave_out in FACETS:
        if selection is not None:
            rows = selection.facet_rows(name)
        else:
            others = {
                key: value for key, value in data.items() if key != name and key not in leave_out
            }
            rows = remembered_rows(count(film_filter.narrow(films, others), data, user))
        selected = key_of(data.get(name))
        options = [
            Option(
                value=str(row["value"]),
                label=row.get("label") or CHOICE_LABELS[name][str(row["value"])],
                count=row["count"],
                selected=str(row["value"]) == selected,
            )
            for row in rows
        ]
        if selected and not any(option.selected for option in options):
            options.append(Option(selected, label_of(name, data[name]), 0, True))
        facets.append(Facet(name, label, any_label, options, film_filter.form.errors.get(name, [])))
    return facets


def active_filter_chips(film_filter, query):
    """A chip for each filter given in `query` (a QueryDict), with a link to the same page
    without it; a value the filter refused is shown as given, marked invalid."""
    cleaned = film_filter.form.cleaned_data if hasattr(film_filter.form, "cleaned_data") else {}
    chips = []
    for name in film_filter.filters:
        raw = query.get(name, "").strip()
        if name == "ordering" or not raw:
            continue
        rest = query.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        if name == "list" and rest.get("ordering", "").lstrip("-") == "position":
            rest.pop("ordering")  # the list's own order means nothing without the list
        value = cleaned.get(name)
        chips.append(
            Chip(
                label=FILTER_LABELS.get(name, name),
                value=raw if value in (None, "") else label_of(name, value),
                remove_query="?" + rest.urlencode() if rest else "",
                invalid=name in film_filter.form.errors,
            )
        )
    return chips


def sort_choices(film_filter):
    """The sort control's choices and the chosen one: a list's own order only when a list is
    chosen."""
    cleaned = getattr(film_filter.form, "cleaned_data", {})
    choices = SORTS + LIST_SORTS if cleaned.get("list") else SORTS
    chosen = (cleaned.get("ordering") or ["year"])[0]
    return choices, chosen if chosen in dict(choices) else "year"


def browse_context(film_filter, films, query):
    """Everything the browse form shows besides the films: facets, sort, chips, and the
    filters without a facet (kept as hidden fields so a new choice does not drop them)."""
    sorts, sort = sort_choices(film_filter)
    return {
        "facets": browse_facets(film_filter, films),
        "sorts": sorts,
        "sort": sort,
        "sort_errors": film_filter.form.errors.get("ordering", []),
        "chips": active_filter_chips(film_filter, query),
        "hidden_filters": [
            (name, query[name])
            for name in film_filter.filters
            if name not in FACET_NAMES and name != "ordering" and query.get(name, "").strip()
        ],
    }


def without_blanks(query):
    """`query` without its blank values: what a browse form leaves empty means "any", and
    the page redirects to the shorter address a person can read and share."""
    kept = query.copy()
    for name, values in query.lists():
        values = [value for value in values if value.strip()]
        if values:
            kept.setlist(name, values)
        else:
            del kept[name]
    return kept
