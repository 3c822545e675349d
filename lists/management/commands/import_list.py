"""python manage.py import_list PATH [--title "..."] [--dry-run] [--replace] [--create-credits]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lists.importing import ListImportError, import_list
from lists.importing.errors import DOCUMENT_TOO_LARGE, MAX_DOCUMENT_BYTES

# Progress lines for every entry would drown a short report; long files get one per step.
PROGRESS_STEP = 10


class Command(BaseCommand):
    help = (
        "Import a curated list (draft) from a document: a web listicle, a structured "
        "'Title (Year) / Description: / Fact:' list or a Letterboxd CSV. Prints a report of "
        "every entry; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document (UTF-8 text or CSV).")
        parser.add_argument("--title", help="The list's title (default: from the document).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="If this document was imported before, rebuild that list's entries.",
        )
        parser.add_argument(
            "--create-credits",
            action="store_true",
            help=(
                "Add unambiguous 'Character (Actor)' credits found in the prose to NEW films, "
                "and credit the directors the prose names when the catalogue holds them."
            ),
        )

    def handle(self, *args, path, title=None, dry_run=False, replace=False, **options):
        document = self.read(Path(path))
        verbosity = options["verbosity"]
        try:
            report = import_list(
                document,
                filename=Path(path).name,
                title=title,
                dry_run=dry_run,
                replace=replace,
                create_credits=options["create_credits"],
                progress=self.progress if verbosity >= 1 else None,
            )
        except ListImportError as error:
            if error.report is not None:
                self.stdout.write("\n".join(error.report.as_text()))
            raise CommandError(error.message) from None
        self.stdout.write("\n".join(report.as_text()))
        if report.ambiguous:
            raise CommandError(
                f"{len(report.ambiguous)} ambiguous entries: an import would write nothing."
            )
        if report.curated_list is not None and not dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"List “{report.curated_list.title}”: {report.status}.")
            )

    def read(self, path):
        try:
            size = path.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                # Refuse before reading ten megabytes into memory.
                raise CommandError(DOCUMENT_TOO_LARGE.format(size=size, limit=MAX_DOCUMENT_BYTES))
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None

    def progress(self, done, total, entry_report):
        if total >= PROGRESS_STEP and (done % PROGRESS_STEP == 0 or done == total):
            self.stderr.write(f"Matched {done}/{total} entries…")
