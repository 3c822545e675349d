"""The API's filter backend; the FilterSets themselves are in discovery.filters."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail, ValidationError

from api.errors import POSITION_NEEDS_LIST, parameter_errors
from api.parameters import ORDERING

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
