from django.core.management.base import BaseCommand, CommandError

from ops.services import (
    BackupError,
    check_backup,
    check_media_archive,
    media_archive_path,
    restore_database,
    restore_media,
)


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`; a file that is "
        "not a whole Kinoteka backup is refused before anything changes. The uploaded "
        "pictures archived beside it (<backup>.media.tar.gz), if any, are put back too."
    )

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
        try:
            # Checked before the question: nobody confirms a restore that cannot happen.
            check_backup(file, using=database)
            media = media_archive_path(file)
            if media.exists():
                check_media_archive(media)
            if interactive:
                answer = input(
                    f"This replaces everything in the {database!r} database with {file}. "
                    "Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            # Checks the file again, restores, and makes the response cache stale.
            restore_database(file, using=database)
            if media.exists():
                restore_media(media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
