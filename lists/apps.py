from django.apps import AppConfig

from core import response_cache


class ListsConfig(AppConfig):
    name = "lists"
    verbose_name = "Curated lists"

    def ready(self):
        from lists import signals  # noqa: F401  (connects the search-key receiver)
        from lists.models import CuratedList

        # Lists appear on public pages and in the API; a scheduled one goes live without a write.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
        response_cache.track_objects([CuratedList])
        response_cache.expire_at_most_by(CuratedList.objects.next_scheduled_publication)
