"""Query vocabulary for curated lists."""

from django.db import models
from django.utils import timezone

from catalogue.querysets import SearchableQuerySet


class CuratedListQuerySet(SearchableQuerySet):
    def published(self):
        """Lists visitors and anonymous API users may see."""
        from lists.models import CuratedList

        return self.filter(status=CuratedList.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Editors (staff) also see drafts; everyone else sees published lists only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class CuratedListEntryQuerySet(models.QuerySet):
    def get_by_natural_key(self, list_slug, film_slug):
        return self.get(curated_list__slug=list_slug, film__slug=film_slug)
