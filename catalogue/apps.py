from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import response_cache


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from catalogue import signals  # noqa: F401  (connects the search-key receivers)
        from catalogue.models import Film, Person

        # Catalogue rows appear on public pages and in the API; a film's and a person's pages
        # go stale only when what they show changes.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
        response_cache.track_objects([Film, Person])
        # A person's or list's page leaves unpublished films out: it never loaded them.
        response_cache.stale_every_object_when_changed(Film, "is_published")
