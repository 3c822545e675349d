"""manage.py import_list: the report, --dry-run, --replace, progress and bad input."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalogue.models import Film, Source
from lists.models import CuratedList, CuratedListEntry
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db

SEED_DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
OWN_DOCUMENTS = Path(__file__).parent / "import_documents"


def run(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("import_list", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def row_counts():
    return [m.objects.count() for m in (Film, Source, CuratedList, CuratedListEntry)]


def test_command_imports_a_listicle_and_prints_the_report():
    FilmFactory(title="Moscow Does Not Believe in Tears", slug="mdnbit", release_year=1980)

    stdout, stderr = run(SEED_DOCUMENTS / "10-extraordinary-movies-set-in-moscow.txt")

    assert "web listicle, 10 entries" in stdout
    assert "1. line 29: Moscow Does Not Believe in Tears [Moskva slezam ne verit] (1980)" in stdout
    assert (
        "existing film Moscow Does Not Believe in Tears (1980) [mdnbit], confidence 1.00" in stdout
    )
    assert "2. line 41: The Russia House (1990)\n       -> new film [the-russia-house]" in stdout
    assert "Summary: 1 matched, 9 new, 0 ambiguous; list created." in stdout
    assert "Matched 10/10 entries" in stderr  # progress goes to stderr, the report to stdout
    curated_list = CuratedList.objects.get()
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.entries.count() == 10


def test_title_option_names_the_list():
    run(OWN_DOCUMENTS / "letterboxd-simple.csv", "--title", "Two war films")

    assert CuratedList.objects.get().title == "Two war films"
    assert Source.objects.get().kind == Source.Kind.LETTERBOXD


def test_dry_run_prints_the_report_and_writes_nothing():
    stdout, _ = run(SEED_DOCUMENTS / "soviet-films-about-love.txt", "--dry-run")

    assert "List: “Soviet films about love” — draft, would be created." in stdout
    assert row_counts() == [0, 0, 0, 0]


def test_second_run_reports_already_imported_and_changes_nothing():
    path = SEED_DOCUMENTS / "soviet-films-about-classical-music.txt"
    run(path)
    before = row_counts()

    stdout, _ = run(path)

    assert "already imported" in stdout
    assert row_counts() == before


def test_replace_option_rebuilds_the_entries():
    path = SEED_DOCUMENTS / "soviet-films-about-classical-music.txt"
    run(path)
    CuratedListEntry.objects.filter(position__gt=5).delete()

    stdout, _ = run(path, "--replace")

    assert "list replaced" in stdout
    assert CuratedListEntry.objects.count() == 10


def test_long_files_print_progress_every_ten_entries(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(
        "".join(f"Film number {n} ({1950 + n})\nDescription: d{n}\n\n" for n in range(25))
    )

    _, stderr = run(path, "--dry-run")

    assert stderr.splitlines() == [
        "Matched 10/25 entries…",
        "Matched 20/25 entries…",
        "Matched 25/25 entries…",
    ]


def test_ambiguous_entries_fail_after_printing_the_report(tmp_path):
    FilmFactory(title="Brother", release_year=1997)
    FilmFactory(title="Brother", slug="brother-1998", release_year=1998)
    path = tmp_path / "brother.txt"
    path.write_text("Brother (1997)\nDescription: a\n")
    stdout = StringIO()

    with pytest.raises(CommandError, match="1 entry matches more than one catalogue film"):
        call_command("import_list", str(path), stdout=stdout, stderr=StringIO())

    assert "AMBIGUOUS, nothing chosen" in stdout.getvalue()
    assert CuratedList.objects.count() == 0


BAD_DOCUMENTS = {
    "empty.txt": (b"", "The document is empty."),
    "junk.bin": (bytes(range(256)) * 4, "Line 1: the document contains binary data"),
    "utf16.txt": ("Solaris (1972)\nDescription: x\n".encode("utf-16"), "encoded as UTF-16"),
    "latin1.txt": (
        "Intro.\n\nSolaris (1972)\nDescription: Café\n".encode("latin-1"),
        "Line 4: byte 0xE9 at column 17 is not valid UTF-8",
    ),
    "article.txt": (b"An article about films.\n\nNo list in it.\n", "No list entries found"),
    "no-year.txt": (
        b"Solaris (1972)\nDescription: a\n\nStalker\nDescription: b\n",
        "Line 4: the entry 'Stalker' has no year",
    ),
    "no-title.txt": (
        b"(1972)\nDescription: a\n",
        "Line 1: the entry has a year (1972) but no title",
    ),
    "huge.txt": (b"Solaris (1972)\nDescription: x\n" * 350_000, "accepts at most 1,000,000 bytes"),
}


@pytest.mark.parametrize("name", BAD_DOCUMENTS)
def test_bad_document_fails_with_a_clear_message_and_writes_nothing(tmp_path, name):
    data, message = BAD_DOCUMENTS[name]
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(CommandError) as caught:
        run(path)

    assert message in str(caught.value)
    assert row_counts() == [0, 0, 0, 0]


def test_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.txt: No such file"):
        run(tmp_path / "missing.txt")


def test_bad_document_exits_with_a_non_zero_status(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_list", str(path)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "CommandError: The document is empty." in result.stderr
