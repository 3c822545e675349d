"""A paginator whose count is kept until the catalogue changes (core.response_cache.remembered):
counting every film a broad filter matches is most of a listing's cost at scale, and the count
is the same on every page of it."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.response_cache import remembered_count


class RememberedCountPaginator(Paginator):
    """`known_count`: the count, when the caller knows it already (an index counted it)."""

    def __init__(self, object_list, per_page, *args, known_count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if isinstance(self.object_list, QuerySet):
            return remembered_count(self.object_list)
        return super().count
