from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import response_cache


class PicturesConfig(AppConfig):
    name = "pictures"
    verbose_name = _("Pictures")

    def ready(self):
        from pictures import signals  # noqa: F401  (removes a deleted picture's files)

        # Pictures appear on public pages and in the API.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
