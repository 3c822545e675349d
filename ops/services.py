"""Backup and restore of the whole database, whichever engine the site runs on.

PostgreSQL goes through pg_dump/pg_restore (custom format, restored in one transaction);
SQLite through its online backup API, which copies a consistent snapshot even while the
site is serving.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

DEFAULT_BACKUP_DIR = settings.BASE_DIR / "backups"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


def backup_database(destination=None, using="default"):
    """Write a backup of database `using` and return its path.

    `destination` is a file path, a directory, or None for `backups/` in the project.
    """
    connection = connections[using]
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    path = _backup_path(destination, suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"], connection)
    elif connection.vendor == "sqlite":
        _sqlite_backup(connection, path)
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    return path


def restore_database(path, using="default"):
    """Replace the contents of database `using` with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[using]
    with path.open("rb") as backup:
        header = backup.read(len(SQLITE_HEADER))
    if connection.vendor == "postgresql":
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{path} is not a pg_dump custom-format backup (make backup).")
        # Our own idle connection must not hold locks while pg_restore drops the tables.
        connection.close()
        # One transaction: a restore that fails half-way leaves the database as it was.
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*restore, str(path)], connection)
    elif connection.vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite backup (make backup).")
        _sqlite_restore(connection, path)
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")


def _backup_path(destination, suffix):
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"kinoteka-{stamp}{suffix}"
    if destination is None:
        return DEFAULT_BACKUP_DIR / name
    # A trailing slash means a directory even before it exists ("backups/").
    if str(destination).endswith(("/", os.sep)) or Path(destination).is_dir():
        return Path(destination) / name
    return Path(destination)


def _run(command, connection):
    """Run a PostgreSQL client against `connection`'s database, credentials via the environment."""
    executable = command[0]
    if shutil.which(executable) is None:
        raise BackupError(f"{executable} is not installed (apt-get install postgresql-client).")
    params = connection.settings_dict
    env = {**os.environ}
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
    args = [*command, f"--dbname={params['NAME']}"]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{executable} failed: {result.stderr.strip()}")


def _sqlite_backup(connection, path):
    # Through Django's own connection, so an in-memory test database is backed up too.
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(connection, path):
    connection.ensure_connection()
    if not connection.get_autocommit() or connection.in_atomic_block:
        raise BackupError("Cannot restore inside a transaction.")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # A truncated or damaged file must not replace a good database.
        (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"{path} is damaged ({verdict}); nothing was restored.")
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} could not be read ({error}); nothing was restored.") from error
    finally:
        source.close()
