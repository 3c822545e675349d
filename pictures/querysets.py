"""The pictures' query vocabulary: pages, the API and the admin speak these words."""

from django.db import models
from django.db.models import Prefetch


class PictureQuerySet(models.QuerySet):
    def primary(self):
        """Each object's primary picture of each kind."""
        return self.filter(is_primary=True)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def in_display_order(self):
        """Primary first, then oldest first: the order of a gallery and of the API."""
        return self.order_by("-is_primary", "kind", "created_at", "pk")

    def primary_prefetch(self, lookup, kind, to_attr):
        """Prefetch the primary picture of `kind` into a one-item list `to_attr` (one query
        for all rows, whatever their number)."""
        return Prefetch(lookup, queryset=self.primary().of_kind(kind), to_attr=to_attr)
