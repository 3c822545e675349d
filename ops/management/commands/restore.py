from django.core.management.base import BaseCommand, CommandError

from core import response_cache
from ops.services import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to restore.")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, database="default", interactive=True, **options):
        if interactive:
            answer = input(
                f"This replaces everything in the {database!r} database with {file}. "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore_database(file, using=database)
            response_cache.invalidate(database)  # the whole catalogue was replaced
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
