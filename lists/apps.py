from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "lists"
    verbose_name = "Curated lists"

    def ready(self):
        from lists import signals  # noqa: F401
