"""The API's filter backends: the FilterSets (themselves in discovery.filters) said strictly,
and `updated_since`, read from the rows' own `updated_at` and simple-history's historical
tables (which keep deletions too).

A film counts as changed when its row changed or one of its credits, awards or facts did
(created, changed or deleted); a person likewise with their credits and awards on films the
reader may see (an edit to a draft film's credit tells a visitor nothing); a list with
its entries; places, countries, genres and organisations (studios included) by their own
`updated_at`.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from api.errors import POSITION_NEEDS_LIST, parameter_errors
from api.parameters import ORDERING
from catalogue.models import Award, Country, Credit, Fact, Film, Genre, Organisation, Person, Place
from discovery.visibility import visible_films
from lists.models import CuratedList, CuratedListEntry

BLANK_VALUE = "This field may not be blank: leave it out to mean any."


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a blank number or choice is a 400, and ordering
    is said in full.

    A browse form submits its empty fields and means "any"; an API client sending `year=`
    sent no year, which the schema (an integer) does not allow. Blank text, slugs and
    ordering stay "any" (or the default order) in both.

    `ordering` takes several keys, comma-separated or repeated. A view may name ordering
    keys that need another parameter (`ordering_requires = {"position": "list"}`: a 400
    without it) and a default ordering that a parameter brings (`ordering_implied_by =
    {"list": "position"}`: a list's films come in its order unless told otherwise).
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors = {
                name: [ErrorDetail(BLANK_VALUE, "blank")]
                for name, field in filterset_class.base_filters.items()
                if not isinstance(field, django_filters.CharFilter | django_filters.OrderingFilter)
                and name in request.query_params
                and not request.query_params[name].strip()
            }
            if errors:
                raise ValidationError(errors)
            kwargs["data"] = self.ordering_said_in_full(request.query_params, view)
        return kwargs

    def ordering_said_in_full(self, query_params, view):
        data = query_params.copy()
        keys = [
            key.strip()
            for value in query_params.getlist(ORDERING)
            for key in value.split(",")
            if key.strip()
        ]
        for parameter, key in getattr(view, "ordering_implied_by", {}).items():
            if not keys and data.get(parameter, "").strip():
                keys = [key]
        for key, parameter in getattr(view, "ordering_requires", {}).items():
            if key in (k.lstrip("-") for k in keys) and not data.get(parameter, "").strip():
                raise parameter_errors({ORDERING: (POSITION_NEEDS_LIST, "ordering_needs_list")})
        if keys or ORDERING in data:
            data[ORDERING] = ",".join(keys)
        return data


# --- updated_since ---------------------------------------------------------------------------

UPDATED_SINCE = "updated_since"
SINCE_REQUIRED = "Say since when: an ISO 8601 time such as 2026-01-01T00:00:00Z."


def history(model):
    return model.history.model


# For each collection's model: its own timestamp (if any) and the histories that change it.
CHANGED_BY = {
    Film: ("updated_at", [(Credit, "film_id"), (Award, "film_id"), (Fact, "film_id")]),
    Person: ("updated_at", [(Credit, "person_id"), (Award, "person_id")]),
    CuratedList: ("updated_at", [(CuratedListEntry, "curated_list_id")]),
    Award: (None, [(Award, "id")]),
    Place: ("updated_at", []),
    Country: ("updated_at", []),
    Genre: ("updated_at", []),
    Organisation: ("updated_at", []),
}


# Collections whose parts may belong to films the reader does not see (a film's own parts
# belong to it, and the film collection holds only the films the reader sees): a person's
# credits and awards, a list's entries.
PARTS_ON_OTHER_FILMS = {Person, CuratedList}


def changed_since(queryset, since, films=None):
    """The rows of `queryset` that changed, or whose parts changed, at or after `since`;
    only the parts of `films` (the films the reader may see) count, when given."""
    own_field, parts = CHANGED_BY[queryset.model]
    condition = Q(**{f"{own_field}__gte": since}) if own_field else Q()
    for part, link in parts:
        touched = history(part).objects.filter(**{link: OuterRef("pk")}, history_date__gte=since)
        if films is not None and queryset.model in PARTS_ON_OTHER_FILMS:
            touched = touched.filter(film_id__in=films.values("id"))
        condition |= Exists(touched)
    return queryset.filter(condition)


class SinceSerializer(serializers.Serializer):
    value = serializers.DateTimeField()


def parse_since(query_params, name, *, required):
    raw = query_params.get(name)
    if raw is None or not raw.strip():
        if required or raw is not None:
            raise parameter_errors({name: (SINCE_REQUIRED, "required" if raw is None else "blank")})
        return None
    parsed = SinceSerializer(data={"value": raw})
    if not parsed.is_valid():
        message = parsed.errors["value"][0]
        raise parameter_errors({name: (str(message), message.code)})
    return parsed.validated_data["value"]


class UpdatedSinceFilterBackend:
    """`updated_since=<ISO time>` on every collection whose rows record their changes."""

    def filter_queryset(self, request, queryset, view):
        if queryset.model not in CHANGED_BY:
            return queryset
        since = parse_since(request.query_params, UPDATED_SINCE, required=False)
        if since is None:
            return queryset
        return changed_since(queryset, since, films=visible_films(request.user))

    def query_parameter_names(self, view):
        return [UPDATED_SINCE] if self.applies(view) else []

    @staticmethod
    def applies(view):
        model = getattr(getattr(view, "queryset", None), "model", None)
        return model in CHANGED_BY

    def get_schema_operation_parameters(self, view):
        if not self.applies(view):
            return []
        return [
            {
                "name": UPDATED_SINCE,
                "required": False,
                "in": "query",
                "description": "Only rows changed at or after this time (ISO 8601), their "
                "parts included (a film's credits, awards and facts; a person's credits and "
                "awards; a list's entries).",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
