"""The API's filter backend; the FilterSets themselves are in discovery.filters."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BLANK_VALUE = "This field may not be blank: leave it out to mean any."


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a blank number or choice is a 400.

    A browse form submits its empty fields and means "any"; an API client sending `year=`
    sent no year, which the schema (an integer) does not allow. Blank text, slugs and
    ordering stay "any" (or the default order) in both.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors = {
                name: [BLANK_VALUE]
                for name, field in filterset_class.base_filters.items()
                if not isinstance(field, django_filters.CharFilter | django_filters.OrderingFilter)
                and name in request.query_params
                and not request.query_params[name].strip()
            }
            if errors:
                raise ValidationError(errors)
        return kwargs
