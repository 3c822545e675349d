"""FilterSet of curated lists in the API."""

import django_filters

from catalogue.filters import SlugFilter
from lists.models import CuratedList


class CuratedListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label="Title search")
    film = SlugFilter(field_name="entries__film__slug", label="Lists containing this film (slug)")
    featured = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_featured",
        label="Featured on the home page",
    )

    class Meta:
        model = CuratedList
        fields = []

    def filter_q(self, queryset, name, value: str):
        return queryset.search(value)

    def filter_featured(self, queryset, name, value: str):
        return queryset.filter(featured=value == "true")
