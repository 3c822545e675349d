"""Build the read documents of every object a visitor may read (core/read_documents.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from api.documents import build_documents
from api.views import FilmViewSet

DOCUMENTED_VIEWS = [FilmViewSet]


class Command(BaseCommand):
    help = (
        "Build the read documents of every film a visitor may read, in each language: after "
        "a bulk load, or after a change every document showed (reads rebuild them one by one)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Only this language (repeat for more); every language by default.",
        )
        parser.add_argument("--batch", type=int, default=200, help="Objects per query.")

    def handle(self, *args, language=None, batch=200, **options):
        for code in language or [code for code, _name in settings.LANGUAGES]:
            with translation.override(code):
                for view_class in DOCUMENTED_VIEWS:
                    stored = build_documents(view_class, batch)
                    self.stdout.write(f"{view_class.document_kind} ({code}): {stored} stored")
