"""Query parameters said exactly: an unknown or repeated one is a 400 naming it.

A misspelt filter (`?sseting=moscow`) would otherwise be ignored and every film returned, and
a repeated one (`?year=1970&year=1980`) silently read as its last value. Each view knows its
parameters: its filters (where they apply), its paginator's, and `extra_query_parameters`.
`ordering` alone may be repeated: its values are keys in order (`ordering=-year&ordering=title`
is `ordering=-year,title`).
"""

from django.conf import settings
from rest_framework import mixins

from api.errors import REPEATED_PARAMETER, UNKNOWN_PARAMETER, parameter_errors
from core.languages import LANGUAGE_PARAMETER

ORDERING = "ordering"
# DRF's format override (?format=json) and the language (core/languages.py) are answered by
# every endpoint.
ALWAYS_ALLOWED = frozenset({"format", LANGUAGE_PARAMETER})


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


class StrictQueryParametersMixin:
    """Refuses query parameters the endpoint does not have, and repeats of single values."""

    extra_query_parameters = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def filters_apply(self):
        return getattr(self, "action", None) in (None, "list")

    def paginates(self):
        return isinstance(self, mixins.ListModelMixin) and self.filters_apply()

    def query_parameter_names(self):
        names = set(ALWAYS_ALLOWED) | set(self.extra_query_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if self.filters_apply():
            if filterset_class is not None:
                names |= set(filterset_class.base_filters)
            for backend in getattr(self, "filter_backends", ()):
                if hasattr(backend, "query_parameter_names"):
                    names |= set(backend().query_parameter_names(self))
        paginator = getattr(self, "paginator", None)
        if paginator is not None and self.paginates():
            names |= {
                name
                for name in (
                    getattr(paginator, "page_query_param", None),
                    getattr(paginator, "page_size_query_param", None),
                    getattr(paginator, "cursor_query_param", None),
                )
                if name
            }
        return names

    def check_query_parameters(self, request):
        known = self.query_parameter_names()
        errors = {}
        for name in request.query_params:
            if name not in known:
                errors[name] = (UNKNOWN_PARAMETER, "unknown_parameter")
            elif name != ORDERING and len(request.query_params.getlist(name)) > 1:
                errors[name] = (REPEATED_PARAMETER, "repeated_parameter")

        if errors:
            raise parameter_errors(errors)
