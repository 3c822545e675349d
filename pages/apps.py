from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"

    def ready(self):
        # The page views register their kinds of read document (pages/documents.py) as they
        # are defined: before any write can need to know which documents it makes stale.
        from pages import views  # noqa: F401
