from django.core.management.base import BaseCommand, CommandError

from ops.services import BackupError, backup_database, backup_media


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the backup API on SQLite) to backups/: "
        "a file readable by its owner only, sessions left out. Uploaded pictures stored on "
        "the file system go beside it, in <backup>.media.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="A file or directory to write to (default: backups/ in the project)."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        try:
            path = backup_database(output, using=database)
            media = backup_media(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
        if media is not None:
            self.stdout.write(str(media))
