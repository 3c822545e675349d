"""Compile locale/*/LC_MESSAGES/django.po into django.mo with polib: no GNU gettext needed, so
a fresh machine can do it (`make messages`)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues():
    """Every django.po under the project's LOCALE_PATHS."""
    for folder in settings.LOCALE_PATHS:
        yield from sorted(Path(folder).glob("*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Compile the project's translations (locale/*/LC_MESSAGES/django.po) into .mo files."

    def handle(self, *args, **options):
        for po_path in catalogues():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"Compiled {po_path}")
