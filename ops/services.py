"""Backup and restore of the whole database, whichever engine the site runs on.

PostgreSQL goes through pg_dump/pg_restore (custom format, restored in one transaction);
SQLite through its online backup API, which copies a consistent snapshot even while the
site is serving.

A backup holds password hashes and API tokens, so it is written readable by its owner only
(0600, in a 0700 folder), and it leaves out the sessions: a stolen backup must not be a set
of live logins. Nor does it hold the read documents, which a restore would delete (they are
derived from the rest). A restore first checks that the file is a whole Kinoteka database and
refuses anything else before it touches the current one.

Uploaded pictures on the file system storage (MEDIA_ROOT) go with the database: a backup
writes `<backup>.media.tar.gz` beside it, and a restore puts those files back. A media
bucket (KINOTEKA_MEDIA_BUCKET) is not copied: the store keeps its own versions
(docs/pictures.md).
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.utils import timezone

from core import response_cache

DEFAULT_BACKUP_DIR = settings.BASE_DIR / "backups"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
SESSION_TABLE = "django_session"
# Tables a backup holds empty: live logins, and the read documents, which are derived from
# the rest and deleted by a restore anyway (core/read_documents.py).
TABLES_LEFT_EMPTY = (SESSION_TABLE, "core_readdocumenttag", "core_readdocument")
# A backup without these is of some other database, or of one that was never migrated.
REQUIRED_TABLES = ("django_migrations", "catalogue_film", "lists_curatedlist")

NO_FILE_MESSAGE = "No backup file at {path}."
UNREADABLE_MESSAGE = "{path} could not be read ({detail}); nothing was restored."
NOT_PG_DUMP_MESSAGE = (
    "{path} is not a pg_dump custom-format backup (make one with `make backup`); "
    "nothing was restored."
)
NOT_SQLITE_MESSAGE = (
    "{path} is not an SQLite backup (make one with `make backup`); nothing was restored."
)
DAMAGED_MESSAGE = "{path} is damaged or incomplete ({detail}); nothing was restored."
FOREIGN_MESSAGE = (
    "{path} is not a Kinoteka backup (missing tables: {tables}); nothing was restored."
)
RESTORE_FAILED_MESSAGE = "{path} could not be restored ({detail}); nothing was changed."
EXISTING_FILE_MESSAGE = "{path} already exists; give a new file name or a directory."
MEDIA_SUFFIX = ".media.tar.gz"
MEDIA_IN_BUCKET_MESSAGE = (
    "{path} holds media files, but uploads are stored in a bucket here; nothing was restored."
)
MEDIA_DAMAGED_MESSAGE = "{path} is not a readable media archive ({detail}); nothing was restored."


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


def backup_database(destination=None, using="default"):
    """Write a backup of database `using`, sessions and read documents left out, and return
    its path.

    `destination` is a file path, a directory, or None for `backups/` in the project.
    """
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    path = _backup_path(destination, suffix)
    _prepare_directory(path.parent)
    with _create_private_file(path) as backup:
        try:
            if connection.vendor == "postgresql":
                command = [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    *(f"--exclude-table-data={table}" for table in TABLES_LEFT_EMPTY),
                ]
                # To the file we opened, so pg_dump never creates one with its own mode.
                _run(command, connection, stdout=backup)
            else:
                _sqlite_backup(connection, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


def media_archive_path(backup_path):
    """Where the media files of the database backup at `backup_path` are archived."""
    backup_path = Path(backup_path)
    return backup_path.with_name(backup_path.name + MEDIA_SUFFIX)


def media_on_file_system():
    """MEDIA_ROOT when uploads are stored on this machine's file system, else None (a bucket)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def backup_media(backup_path):
    """Archive the uploaded files (MEDIA_ROOT) beside the database backup at `backup_path`,
    readable by its owner only, and return the archive's path; None when uploads live in a
    bucket or none were ever stored."""
    media_root = media_on_file_system()
    if media_root is None or not media_root.is_dir():
        return None
    path = media_archive_path(backup_path)
    with _create_private_file(path) as archive:
        try:
            with tarfile.open(fileobj=archive, mode="w:gz") as tar:
                for item in sorted(media_root.rglob("*")):
                    if item.is_file() and not item.is_symlink():
                        tar.add(item, arcname=str(item.relative_to(media_root)))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


def check_media_archive(path):
    """Refuse a media archive that cannot be read whole, or that would write outside
    MEDIA_ROOT (absolute names, `..`, links): checked before the database is touched."""
    if media_on_file_system() is None:
        raise BackupError(MEDIA_IN_BUCKET_MESSAGE.format(path=path))
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar.getmembers():
                tarfile.data_filter(member, "/media-root")
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(MEDIA_DAMAGED_MESSAGE.format(path=path, detail=error)) from error


def restore_media(path):
    """Put the files of a media archive back into MEDIA_ROOT. Names are content hashes, so
    a file already there is the same file; files stored since the backup are kept."""
    check_media_archive(path)
    media_root = media_on_file_system()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, mode="r:gz") as tar:
        tar.extractall(media_root, filter="data")


def check_backup(path, using="default"):
    """Refuse `path` unless it is a whole, readable backup of a Kinoteka database for the
    engine of database `using`. Reads the file only; the database is not touched."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(NO_FILE_MESSAGE.format(path=path))
    vendor = connections[using].vendor
    try:
        with path.open("rb") as backup:
            header = backup.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(UNREADABLE_MESSAGE.format(path=path, detail=error.strerror)) from error
    if vendor == "postgresql":
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(NOT_PG_DUMP_MESSAGE.format(path=path))
        tables = _pg_archive_tables(path)
    elif vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(NOT_SQLITE_MESSAGE.format(path=path))
        tables = _sqlite_file_tables(path)
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        raise BackupError(FOREIGN_MESSAGE.format(path=path, tables=", ".join(missing)))


def restore_database(path, using="default"):
    """Replace the contents of database `using` with the backup at `path`, once `check_backup`
    accepts it, and make every cached response stale."""
    path = Path(path)
    check_backup(path, using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        # Our own idle connection must not hold locks while pg_restore drops the tables.
        connection.close()
        # One transaction: a restore that fails half-way leaves the database as it was.
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        try:
            _run([*restore, str(path)], connection)
        except BackupError as error:
            raise BackupError(RESTORE_FAILED_MESSAGE.format(path=path, detail=error)) from error
    else:
        _sqlite_restore(connection, path)
    # Every stored page shows the database as it was before the restore.
    response_cache.invalidate(using)


def _backup_path(destination, suffix):
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"kinoteka-{stamp}{suffix}"
    if destination is None:
        return DEFAULT_BACKUP_DIR / name
    # A trailing slash means a directory even before it exists ("backups/").
    if str(destination).endswith(("/", os.sep)) or Path(destination).is_dir():
        return Path(destination) / name
    return Path(destination)


def _prepare_directory(directory):
    """Create the missing folders of `directory` readable by their owner only, and tighten
    our own `backups/`. A folder someone else chose and that exists is theirs: left as is."""
    missing = [folder for folder in (directory, *directory.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIRECTORY_MODE, exist_ok=True)
        folder.chmod(DIRECTORY_MODE)  # mkdir's mode passes through the umask
    if directory.resolve() == Path(DEFAULT_BACKUP_DIR).resolve():
        directory.chmod(DIRECTORY_MODE)


def _create_private_file(path):
    """A new file open for writing, readable by its owner only from the moment it exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError as error:
        raise BackupError(EXISTING_FILE_MESSAGE.format(path=path)) from error
    os.fchmod(descriptor, FILE_MODE)  # the umask may have taken bits away, never added any
    return os.fdopen(descriptor, "wb")


def _one_line(text):
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _run(command, connection=None, stdout=subprocess.PIPE):
    """Run a PostgreSQL client, against `connection`'s database when one is given (credentials
    via the environment), and return what it printed."""
    executable = command[0]
    if shutil.which(executable) is None:
        raise BackupError(f"{executable} is not installed (apt-get install postgresql-client).")
    env = {**os.environ}
    args = list(command)
    if connection is not None:
        params = connection.settings_dict
        # libpq reads these; nothing secret ends up on a command line that `ps` can show.
        for variable, key in [
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGPASSWORD", "PASSWORD"),
        ]:
            if params.get(key):
                env[variable] = str(params[key])
        if params.get("OPTIONS", {}).get("sslmode"):  # DATABASE_URL=...?sslmode=require
            env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
        args.append(f"--dbname={params['NAME']}")
    result = subprocess.run(args, env=env, stdout=stdout, stderr=subprocess.PIPE)
    if result.returncode != 0:
        stderr = _one_line(result.stderr.decode(errors="replace"))
        raise BackupError(stderr or f"{executable} exited with status {result.returncode}")
    return result.stdout.decode(errors="replace") if stdout == subprocess.PIPE else ""


# "215; 1259 16390 TABLE public catalogue_film postgres" in `pg_restore --list`.
PG_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", re.MULTILINE)


def _pg_archive_tables(path):
    """The tables a pg_dump archive would create; pg_restore reads its table of contents."""
    try:
        listing = _run(["pg_restore", "--list", str(path)])
    except BackupError as error:
        raise BackupError(DAMAGED_MESSAGE.format(path=path, detail=error)) from error
    return set(PG_TABLE_ENTRY.findall(listing))


def _sqlite_file_tables(path):
    """The tables of an SQLite file, opened read-only, once it passes its integrity check."""
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(UNREADABLE_MESSAGE.format(path=path, detail=error)) from error
    try:
        # The first few problems are enough to tell a person the file is damaged.
        problems = [row for (row,) in source.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            detail = _one_line("; ".join(problems))
            raise BackupError(DAMAGED_MESSAGE.format(path=path, detail=detail))
        rows = source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}
    except sqlite3.DatabaseError as error:
        raise BackupError(DAMAGED_MESSAGE.format(path=path, detail=error)) from error
    finally:
        source.close()


def _sqlite_backup(connection, path):
    # Through Django's own connection, so an in-memory test database is backed up too.
    connection.ensure_connection()
    # The file exists already (0600); SQLite gives its journal files the same mode.
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        tables = {name for (name,) in target.execute("SELECT name FROM sqlite_master")}
        emptied = [table for table in TABLES_LEFT_EMPTY if table in tables]
        if emptied:
            for table in emptied:
                target.execute(f'DELETE FROM "{table}"')
            target.commit()
            # Rewrites the file, so the deleted rows' bytes are not left in free pages.
            target.execute("VACUUM")
    finally:
        target.close()


def _sqlite_restore(connection, path):
    connection.ensure_connection()
    if not connection.get_autocommit() or connection.in_atomic_block:
        raise BackupError("Cannot restore inside a transaction.")
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(RESTORE_FAILED_MESSAGE.format(path=path, detail=error)) from error
    finally:
        source.close()
