from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core import response_cache


class ListsConfig(AppConfig):
    name = "lists"
    verbose_name = _("Lists")

    def ready(self):
        from lists import history, signals  # noqa: F401  (connect their receivers)
        from lists.models import CuratedList
        from lists.querysets import films_of_list_tags
        from lists.roles import apply_roles_after_migrate

        # The roles live in code; every migrate (and flush) puts their groups back.
        post_migrate.connect(apply_roles_after_migrate, sender=self)

        # Lists appear on public pages and in the API; a scheduled one goes live without a write.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
        response_cache.track_objects([CuratedList])
        response_cache.expire_at_most_by(CuratedList.objects.next_scheduled_publication)
        # A list going public (or back to draft) adds itself to (or leaves) its films' pages.
        response_cache.stale_when_shown_or_hidden(
            CuratedList, ("status", "published_at"), films_of_list_tags
        )
