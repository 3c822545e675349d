from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The viewsets register their kinds of read document (api/documents.py) as they are
        # defined: before any write can need to know which documents it makes stale.
        from api import list_views, views  # noqa: F401
