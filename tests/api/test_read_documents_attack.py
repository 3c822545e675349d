"""A film's read document answers what the live path (KINOTEKA_READ_DOCUMENTS=false) answers,
however the catalogue changed: the cases an attack on the documents found. They commit, like
test_read_documents.py."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from catalogue.models import AdaptedWork, Person
from core import read_documents
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "api-film"


@pytest.fixture
def film():
    film = FilmFactory(title="Stalker", slug="stalker")
    CreditFactory(film=film, person=PersonFactory(name="Andrei Tarkovsky", slug="tarkovsky"))
    CuratedListEntryFactory(
        film=film, position=1, curated_list=CuratedListFactory(slug="zone", title="The Zone")
    )
    return film


def read(api, path="/api/v1/films/stalker/", **kwargs):
    response = api.get(path, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()


def live(api, settings, path="/api/v1/films/stalker/", **kwargs):
    settings.READ_DOCUMENTS = False
    try:
        return read(api, path, **kwargs)
    finally:
        settings.READ_DOCUMENTS = True


def documents(slug="stalker"):
    current = read_documents.current_documents().filter(kind=KIND, key=slug)
    return list(current.values_list("language", flat=True))


def test_renaming_the_author_of_an_adapted_work_reaches_the_document(film, api, settings):
    """The author comes from a JSON column (adapted_work_rows), not as a loaded row."""
    author = PersonFactory(name="Arkady Strugatsky", slug="strugatsky")
    AdaptedWork.objects.create(film=film, title="Roadside Picnic", kind="novel", author=author)
    assert read(api)["adapted_works"][0]["author"]["name"] == "Arkady Strugatsky"
    author = Person.objects.get(pk=author.pk)
    author.name = "Arkady Natanovich Strugatsky"
    author.slug = "arkady-strugatsky"
    author.save()
    assert live(api, settings)["adapted_works"][0]["author"]["name"] == (
        "Arkady Natanovich Strugatsky"
    )
    assert (
        read(api)["adapted_works"][0]["author"] == live(api, settings)["adapted_works"][0]["author"]
    )


def test_build_read_documents_tags_the_author_of_an_adapted_work(film, api):
    author = PersonFactory(name="Arkady Strugatsky", slug="strugatsky")
    AdaptedWork.objects.create(film=film, title="Roadside Picnic", kind="novel", author=author)
    call_command("build_read_documents", stdout=io.StringIO())
    author = Person.objects.get(pk=author.pk)
    author.name = "Renamed"
    author.save()
    assert documents() == []


def test_a_format_suffix_read_does_not_change_what_a_plain_read_gets(film, api, settings):
    """DRF puts a format suffix (`/films/stalker.json`) into the answer's links."""
    suffixed = read(api, "/api/v1/films/stalker.json")
    assert suffixed["url"].endswith("/stalker.json")  # what the live path says for a suffix
    plain = read(api)
    assert plain == live(api, settings)


def test_a_plain_read_does_not_change_what_a_format_suffix_read_gets(film, api, settings):
    read(api)
    suffixed = read(api, "/api/v1/films/stalker.json")
    assert suffixed == live(api, settings, "/api/v1/films/stalker.json")


def test_text_that_names_the_origin_is_not_rewritten_for_another_host(film, api, settings):
    """Only links are given the reader's host: a synopsis naming the site stays as written."""
    film = type(film).objects.get(pk=film.pk)
    film.synopsis = "Restored copy: see http://localhost/films/stalker/ for the notes."
    film.save()
    read(api, HTTP_HOST="localhost")  # builds the document
    other = read(api, HTTP_HOST="127.0.0.1")
    assert other["synopsis"] == live(api, settings, HTTP_HOST="127.0.0.1")["synopsis"]


def test_the_stand_in_character_in_a_text_is_kept(film, api, settings):
    film = type(film).objects.get(pk=film.pk)
    film.synopsis = "Private use \ue000 character"
    film.save()
    read(api)
    assert read(api)["synopsis"] == live(api, settings)["synopsis"]


def test_a_restore_does_not_let_a_document_of_the_undone_edit_be_stored(
    film, api, settings, tmp_path
):
    """A backup holds the clock's row: a restore turns the clock back, and a reader that read
    the clock before it must still not store what it built."""
    from ops.services import backup_database, restore_database

    path = backup_database(tmp_path)  # the clock at c
    edited = type(film).objects.get(pk=film.pk)
    edited.title = "Stalker (a mistake)"
    edited.save()  # one write: the clock at c + 1
    found = read_documents.find(KIND, "stalker", "http://testserver")  # a reader misses: c + 1
    built = live(api, settings)  # ... and builds the answer with the mistake in it
    assert built["title"] == "Stalker (a mistake)"
    restore_database(path)  # the mistake undone: the clock back at c, then c + 1
    stored = read_documents.store(
        KIND, "http://testserver", [("stalker", built, {f"catalogue.film:{film.pk}"})], found
    )
    assert live(api, settings)["title"] == "Stalker"
    assert stored == 0, "a document built before the restore was stored after it"
    assert read(api)["title"] == "Stalker"


def test_a_document_ends_when_the_list_goes_live_on_the_database_clock(
    film, api, settings, monkeypatch
):
    """The next scheduled publication is given on this process's clock, which may run ahead of
    the database's: a document must end when the database shows the list."""
    import datetime
    import time

    from django.utils import timezone

    real_now = timezone.now
    later = CuratedListFactory(
        slug="later", published_at=real_now() + datetime.timedelta(seconds=1)
    )
    later.entries.create(film=film, position=1)
    # This process's clock runs 20 s ahead of the database's.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(seconds=20))
    assert [entry["slug"] for entry in read(api)["lists"]] == ["zone"]
    time.sleep(1.5)
    assert sorted(entry["slug"] for entry in live(api, settings)["lists"]) == ["later", "zone"]
    assert sorted(entry["slug"] for entry in read(api)["lists"]) == ["later", "zone"]


@pytest.mark.skipif(
    "postgres" not in django_settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL locks"
)
def test_a_write_while_a_backup_holds_its_locks_still_deletes_the_documents(film, api, settings):
    """pg_dump holds ACCESS SHARE on every table it dumps, core_readdocument included
    (--exclude-table-data leaves the lock): a write that makes everything stale must not wait
    for it, nor leave the documents in place."""
    import psycopg2
    from django.db import connection

    from catalogue.models import Genre
    from tests.factories import GenreFactory

    GenreFactory(name="Drama", slug="drama")
    Film = type(film)
    Film.objects.get(pk=film.pk).genres.add(Genre.objects.get(slug="drama"))
    assert [g["name"] for g in read(api)["genres"]] == ["Drama"]
    settings_dict = connection.settings_dict
    dump = psycopg2.connect(  # what pg_dump does for the length of a backup
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
    )
    try:
        dump.cursor().execute("LOCK TABLE core_readdocument IN ACCESS SHARE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 1500")
        genre = Genre.objects.get(slug="drama")
        genre.name = "Melodrama"
        genre.save()  # commits; EVERY_OBJECT_TAG: forget_all -> TRUNCATE waits, times out
        dump.rollback()
    finally:
        dump.close()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    assert [g["name"] for g in live(api, settings)["genres"]] == ["Melodrama"]
    assert [g["name"] for g in read(api)["genres"]] == ["Melodrama"]


def test_reverting_a_fact_to_a_version_on_another_film_reaches_the_film_it_leaves(
    film, api, settings, client, superuser
):
    """A revert saves the version's own copy of the row, built with the version's film: the
    film the fact leaves must hear of it too."""
    from catalogue.models import Fact

    mirror = FilmFactory(title="Mirror", slug="mirror")
    fact = Fact.objects.create(film=mirror, key="zone", kind="production", text="Shot in Estonia.")
    fact = Fact.objects.get(pk=fact.pk)
    fact.film = film  # moved to Stalker, where it belongs
    fact.save()
    assert [f["key"] for f in read(api)["facts"]] == ["zone"]  # Stalker's document holds it
    first = fact.history.order_by("history_id").first()
    client.force_login(superuser)
    response = client.post(
        f"/admin/catalogue/fact/{fact.pk}/history/{first.history_id}/",
        {
            "film": mirror.pk,
            "key": "zone",
            "kind": "production",
            "text_en": "Shot in Estonia.",
            "text_ru": "",
            "verification": first.verification,
            "verification_note": "",
            "confirm_revert": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Fact.objects.get(pk=fact.pk).film_id == mirror.pk
    assert live(api, settings)["facts"] == []
    assert read(api)["facts"] == []
