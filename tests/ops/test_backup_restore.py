"""A backup restored over a changed database gives back exactly what was backed up.

These run against the test database of whichever engine is configured: pg_dump and
pg_restore on PostgreSQL (the test database's own name, from the connection settings), the
SQLite backup API on SQLite. `transaction=True` because pg_dump reads from another
connection and only sees committed rows.
"""

import hashlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from catalogue.models import Film
from lists.models import CuratedList
from ops.services import BackupError, backup_database, restore_database
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


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def dumpdata_checksum():
    """sha256 of `dumpdata` for every app: same data, same primary keys, same checksum."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return hashlib.sha256(out.getvalue().encode()).hexdigest()


@pytest.fixture
def catalogue(django_user_model):
    films = FilmFactory.create_batch(3)
    for film in films:
        CreditFactory(film=film)
        FilmTitleFactory(film=film, title=f"Русское название {film.pk}")
        FactFactory(film=film)
    AwardFactory(film=films[0])
    entry = CuratedListEntryFactory(film=films[0], position=1, blurb="Blurb with «quotes»")
    CuratedListEntryFactory(curated_list=entry.curated_list, film=films[1], position=2)
    DraftListFactory()
    django_user_model.objects.create_user("editor", password="editor-pass-1234", is_staff=True)
    return films


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
    backup = out.getvalue().strip()
    FilmFactory.create_batch(2)

    call_command("restore", backup, interactive=False, stdout=io.StringIO())

    assert dumpdata_checksum() == checksum


def test_backup_goes_into_the_named_directory(catalogue, tmp_path):
    path = backup_database(f"{tmp_path / 'nightly'}/")

    assert path.parent == tmp_path / "nightly"
    assert path.name.startswith("kinoteka-")
    assert path.stat().st_size > 0


def test_a_truncated_backup_is_refused_and_changes_nothing(catalogue, tmp_path):
    backup = backup_database(tmp_path)
    truncated = tmp_path / f"truncated{backup.suffix}"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    FilmFactory(title="Made after the backup")
    counts, checksum = row_counts(), dumpdata_checksum()

    with pytest.raises(BackupError):
        restore_database(truncated)

    assert row_counts() == counts
    assert dumpdata_checksum() == checksum


def test_a_file_that_is_not_a_backup_is_refused(catalogue, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")

    with pytest.raises(CommandError, match="not an SQLite backup|not a pg_dump"):
        call_command("restore", str(bogus), interactive=False)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)


def test_restore_asks_before_replacing_the_database(catalogue, tmp_path, monkeypatch):
    backup = backup_database(tmp_path)
    FilmFactory()
    counts = row_counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))

    assert row_counts() == counts


def test_backup_uses_the_engine_of_the_database(catalogue, tmp_path):
    header = backup_database(tmp_path).read_bytes()[:16]

    if connection.vendor == "postgresql":
        assert header.startswith(b"PGDMP")
    else:
        assert header == b"SQLite format 3\x00"
