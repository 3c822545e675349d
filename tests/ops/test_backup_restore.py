"""A backup restored over a changed database gives back exactly what was backed up; a backup is
private to its owner and holds no live session; a file that is not a whole Kinoteka backup is
refused before anything changes; a restore leaves no stale page in the response cache.

These run against the test database of whichever engine is configured: pg_dump and
pg_restore on PostgreSQL (the test database's own name, from the connection settings), the
SQLite backup API on SQLite. `transaction=True` because pg_dump reads from another
connection and only sees committed rows.
"""

import hashlib
import io
import os
import re
import sqlite3
import stat
import subprocess
import uuid

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection

from catalogue.models import Film
from core import response_cache
from core.models import ReadDocument
from lists.models import CuratedList
from ops import services
from ops.services import (
    DAMAGED_MESSAGE,
    FOREIGN_MESSAGE,
    NOT_PG_DUMP_MESSAGE,
    NOT_SQLITE_MESSAGE,
    RESTORE_FAILED_MESSAGE,
    BackupError,
    backup_database,
    restore_database,
)
from tests.factories import (
    AwardFactory,
    CreditFactory,
    CuratedListEntryFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    FilmTitleFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


READ_DOCUMENT_MODELS = ["core.ReadDocument", "core.ReadDocumentTag", "core.ReadDocumentClock"]


def dumpdata_checksum():
    """sha256 of `dumpdata` for every app: same data, same primary keys, same checksum."""
    out = io.StringIO()
    # Read documents are derived from the rest: a backup leaves them out, a restore deletes them.
    call_command("dumpdata", exclude=READ_DOCUMENT_MODELS, stdout=out)
    return hashlib.sha256(out.getvalue().encode()).hexdigest()


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def libpq_environment():
    """The environment that points pg_dump and pg_restore at the test database's server."""
    params = connection.settings_dict
    env = {**os.environ}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return env


def backup_contents(path):
    """Everything a backup holds, as text a test can search: the SQL that pg_restore would run,
    or the bytes of the SQLite file (VACUUM leaves no deleted row behind in free pages)."""
    if connection.vendor == "postgresql":
        return subprocess.run(
            ["pg_restore", "--file=-", str(path)], capture_output=True, text=True, check=True
        ).stdout
    return path.read_bytes().decode("latin-1")


@pytest.fixture
def catalogue(editor):
    """Films with every kind of row, lists (one a draft) and an editor's account."""
    films = FilmFactory.create_batch(3)
    for film in films:
        CreditFactory(film=film)
        FilmTitleFactory(film=film, title=f"Русское название {film.pk}")
        FactFactory(film=film)
    AwardFactory(film=films[0])
    entry = CuratedListEntryFactory(film=films[0], position=1, blurb="Blurb with «quotes»")
    CuratedListEntryFactory(curated_list=entry.curated_list, film=films[1], position=2)
    DraftListFactory()
    return films


@pytest.fixture
def permissive_umask():
    """A umask that takes nothing away: the modes come from the code, not the shell."""
    previous = os.umask(0)
    yield
    os.umask(previous)


# --- Round trip -----------------------------------------------------------------------------


def test_round_trip_loses_nothing(catalogue, tmp_path):
    counts, checksum = row_counts(), dumpdata_checksum()
    backup = backup_database(tmp_path)

    # Change the database every way an editor could after the backup.
    Film.objects.filter(pk=catalogue[2].pk).update(title="Renamed after the backup")
    CuratedList.objects.filter(status=CuratedList.Status.DRAFT).delete()
    FilmFactory(title="Added after the backup")
    assert dumpdata_checksum() != checksum

    restore_database(backup)

    assert row_counts() == counts
    assert dumpdata_checksum() == checksum
    assert sum(counts.values()) > 20, "the round trip must carry real rows"


def test_management_commands_round_trip(catalogue, tmp_path):
    checksum = dumpdata_checksum()
    out = io.StringIO()
    call_command("backup", output=str(tmp_path) + "/", stdout=out)
    backup = out.getvalue().splitlines()[0]  # the database; the media archive may follow
    FilmFactory.create_batch(2)

    call_command("restore", backup, interactive=False, stdout=io.StringIO())

    assert dumpdata_checksum() == checksum


def test_backup_goes_into_the_named_directory(catalogue, tmp_path):
    path = backup_database(f"{tmp_path / 'nightly'}/")

    assert path.parent == tmp_path / "nightly"
    assert path.name.startswith("kinoteka-")
    assert path.stat().st_size > 0


def test_backup_uses_the_engine_of_the_database(catalogue, tmp_path):
    header = backup_database(tmp_path).read_bytes()[:16]

    if connection.vendor == "postgresql":
        assert header.startswith(b"PGDMP")
    else:
        assert header == b"SQLite format 3\x00"


# --- File modes -----------------------------------------------------------------------------


def test_backup_file_is_readable_by_its_owner_only(catalogue, tmp_path, permissive_umask):
    path = backup_database(tmp_path)

    assert mode(path) == 0o600


def test_missing_backup_folders_are_created_readable_by_their_owner_only(
    catalogue, tmp_path, permissive_umask
):
    path = backup_database(f"{tmp_path / 'offsite' / 'nightly'}/")

    assert mode(tmp_path / "offsite") == 0o700
    assert mode(tmp_path / "offsite" / "nightly") == 0o700
    assert mode(path) == 0o600


def test_our_backups_folder_is_tightened(catalogue, tmp_path, monkeypatch):
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o755)
    backups.chmod(0o755)  # as an earlier version of `make backup` left it
    monkeypatch.setattr(services, "DEFAULT_BACKUP_DIR", backups)

    path = backup_database()

    assert path.parent == backups
    assert mode(backups) == 0o700
    assert mode(path) == 0o600


def test_a_folder_the_user_chose_keeps_its_mode(catalogue, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)

    path = backup_database(shared)

    assert mode(shared) == 0o755
    assert mode(path) == 0o600


def test_backup_never_overwrites_an_existing_file(catalogue, tmp_path):
    existing = tmp_path / "kinoteka.dump"
    existing.write_text("yesterday's backup")

    with pytest.raises(BackupError, match="already exists"):
        backup_database(existing)

    assert existing.read_text() == "yesterday's backup"


# --- Sessions -------------------------------------------------------------------------------


@pytest.fixture
def live_session(editor):
    """The editor's signed-in session, as the admin login stores it."""
    session = SessionStore()
    session["_auth_user_id"] = str(editor.pk)
    session.create()
    return session.session_key


def test_sessions_are_left_out_of_the_backup(catalogue, live_session, tmp_path):
    contents = backup_contents(backup_database(tmp_path))

    assert live_session not in contents
    assert catalogue[0].title in contents, "the backup must still carry the catalogue"
    assert "editor@example.com" in contents, "and the accounts"


def test_read_documents_are_left_out_of_the_backup(catalogue, tmp_path):
    call_command("build_read_documents", stdout=io.StringIO())
    document = ReadDocument.objects.first()
    assert document is not None

    contents = backup_contents(backup_database(tmp_path))

    assert document.tags not in contents
    assert catalogue[0].title in contents


def test_a_restore_signs_everyone_out_and_keeps_the_accounts(
    catalogue, live_session, tmp_path, django_user_model
):
    backup = backup_database(tmp_path)

    restore_database(backup)

    assert not Session.objects.exists()
    assert Film.objects.count() == len(catalogue)
    assert django_user_model.objects.filter(username="editor").exists()


# --- Refused restores -----------------------------------------------------------------------


def other_database_backup(tmp_path):
    """A valid backup, in this engine's format, of another application's tables. On PostgreSQL
    they live in a schema of their own in the test database, dumped alone: the same archive as
    a dump of that application's database, without CREATE and DROP DATABASE (each DROP waits
    for a checkpoint)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "other.sqlite3"
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('shopping list')")
        other.commit()
        other.close()
        return path
    path = tmp_path / "other.dump"
    with connection.cursor() as cursor:  # autocommit in a transactional test
        cursor.execute("CREATE SCHEMA other_app")
        cursor.execute("CREATE TABLE other_app.notes (id serial PRIMARY KEY, body text)")
        cursor.execute("INSERT INTO other_app.notes (body) VALUES ('shopping list')")
    try:
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--schema=other_app",
                f"--file={path}",
                f"--dbname={connection.settings_dict['NAME']}",
            ],
            env=libpq_environment(),
            check=True,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA other_app CASCADE")
    return path


def cut_backup(tmp_path, keep_bytes):
    backup = backup_database(tmp_path)
    data = backup.read_bytes()
    cut = tmp_path / f"cut{backup.suffix}"
    cut.write_bytes(data[: keep_bytes(len(data))])
    return cut


def truncated_in_half(tmp_path):
    return cut_backup(tmp_path, lambda size: size // 2)


def truncated_at_the_end(tmp_path):
    """Only the last kilobyte is missing: on PostgreSQL the table of contents is whole, so the
    damage shows during the restore itself, whose one transaction rolls back."""
    return cut_backup(tmp_path, lambda size: size - 1024)


def corrupt_backup(tmp_path):
    """A backup whose header survived and whose middle third was overwritten."""
    backup = backup_database(tmp_path)
    data = bytearray(backup.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = b"\xff" * third
    corrupt = tmp_path / f"corrupt{backup.suffix}"
    corrupt.write_bytes(bytes(data))
    return corrupt


def empty_file(tmp_path):
    path = tmp_path / "empty.dump"
    path.touch()
    return path


def text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    return path


def dumpdata_file(tmp_path):
    """A plausible mistake: Django's JSON dump instead of a backup."""
    path = tmp_path / "catalogue.json"
    out = io.StringIO()
    call_command("dumpdata", "catalogue", stdout=out)
    path.write_text(out.getvalue())
    return path


def other_engine_backup(tmp_path):
    """A backup in the other engine's format."""
    if connection.vendor == "postgresql":
        path = tmp_path / "kinoteka.sqlite3"
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE catalogue_film (id INTEGER)")
        other.close()
        return path
    path = tmp_path / "kinoteka.dump"
    path.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    return path


WRONG_FORMAT = "wrong format"


def message_pattern(template, path):
    """A regex of `template` filled in for `path`; its `{detail}` (what SQLite or pg_restore
    said) matches any text."""
    if template == WRONG_FORMAT:
        template = NOT_PG_DUMP_MESSAGE if connection.vendor == "postgresql" else NOT_SQLITE_MESSAGE
    missing = ", ".join(services.REQUIRED_TABLES)
    text = template.format(path=path, detail="\0", tables=missing)
    return ".+".join(re.escape(part) for part in text.split("\0"))


# Damage is found by the check (SQLite's integrity check, pg_restore's table of contents) or,
# past a whole table of contents, by the restore itself, whose one transaction rolls back.
DAMAGED = [DAMAGED_MESSAGE, RESTORE_FAILED_MESSAGE]

# Each file `make restore` must refuse, and the messages it may refuse it with.
REFUSED_FILES = {
    "truncated in half": (truncated_in_half, DAMAGED),
    "truncated at the end": (truncated_at_the_end, DAMAGED),
    "corrupt": (corrupt_backup, DAMAGED),
    "empty": (empty_file, [WRONG_FORMAT]),
    "text": (text_file, [WRONG_FORMAT]),
    "dumpdata JSON": (dumpdata_file, [WRONG_FORMAT]),
    "other engine's format": (other_engine_backup, [WRONG_FORMAT]),
    "another database": (other_database_backup, [FOREIGN_MESSAGE]),
}


@pytest.mark.parametrize("make_file, messages", REFUSED_FILES.values(), ids=REFUSED_FILES)
def test_make_restore_refuses_the_file_in_one_line_and_changes_nothing(
    catalogue, tmp_path, make_file, messages, capsys
):
    path = make_file(tmp_path)
    made_before = FilmFactory(title="Made before the refused restore")
    counts, checksum = row_counts(), dumpdata_checksum()
    capsys.readouterr()

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "restore", str(path), "--no-input"])

    out, err = capsys.readouterr()
    assert exited.value.code != 0
    assert "Restored" not in out
    assert "Traceback" not in err
    patterns = "|".join(message_pattern(template, path) for template in messages)
    assert re.fullmatch(f"CommandError: (?:{patterns})\n", err), err
    assert Film.objects.filter(pk=made_before.pk, title=made_before.title).exists()
    assert row_counts() == counts
    assert dumpdata_checksum() == checksum


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)


# --- Confirmation ---------------------------------------------------------------------------


def test_restore_asks_before_replacing_the_database(catalogue, tmp_path, monkeypatch):
    backup = backup_database(tmp_path)
    FilmFactory()
    counts = row_counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))

    assert row_counts() == counts


def test_a_refused_file_is_refused_before_the_question(catalogue, tmp_path, monkeypatch):
    def no_question(prompt):
        raise AssertionError("asked to confirm a restore that cannot happen")

    monkeypatch.setattr("builtins.input", no_question)

    with pytest.raises(CommandError, match="not an SQLite backup|not a pg_dump"):
        call_command("restore", str(text_file(tmp_path)))


# --- Response cache -------------------------------------------------------------------------


def test_a_restore_leaves_no_stale_page_in_the_response_cache(
    catalogue, tmp_path, settings, client
):
    settings.CACHES = {
        "default": LOCMEM,
        response_cache.CACHE_ALIAS: {**LOCMEM, "LOCATION": uuid.uuid4().hex},
    }
    film = catalogue[0]
    backup = backup_database(tmp_path)
    # update() sends no signal: the page below is cached with the title the backup lacks.
    Film.objects.filter(pk=film.pk).update(title="Renamed after the backup")
    page = film.get_absolute_url()
    client.get(page)
    cached = client.get(page)
    assert cached[response_cache.HIT_HEADER] == "hit"
    assert "Renamed after the backup" in cached.content.decode()

    call_command("restore", str(backup), interactive=False, stdout=io.StringIO())

    after = client.get(page)
    assert after[response_cache.HIT_HEADER] == "miss"
    assert film.title in after.content.decode()
    assert "Renamed after the backup" not in after.content.decode()
