from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import history, read_documents, signals  # noqa: F401  (connect receivers)
        from core.translations import (
            reuse_multilingual_queryset_classes,
            versions_keep_every_language,
        )

        # After modeltranslation (listed first) has registered every app's translated fields.
        versions_keep_every_language()
        reuse_multilingual_queryset_classes()
        # A deploy runs migrate: what a document holds may have changed shape.
        post_migrate.connect(read_documents.forget_all_after_migrate, sender=self)
