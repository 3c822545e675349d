from django.apps import AppConfig

from core import response_cache


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self):
        from catalogue import signals  # noqa: F401  (connects the search-key receivers)

        # Catalogue rows appear on public pages and in the API.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
