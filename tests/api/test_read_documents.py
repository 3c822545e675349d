"""A visitor's read of a film comes from its read document, and never says what a committed
write has changed since. These tests commit (documents learn of writes when they commit)."""

import io
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import AdaptedWork, Genre, Person
from core import read_documents, response_cache
from core.models import ReadDocument
from lists.models import CuratedList
from ops import query_budgets as budget
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
    GenreFactory,
    PersonFactory,
)
from tests.helpers import statements_run

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "api-film"


@pytest.fixture
def film():
    film = FilmFactory(title="Stalker", slug="stalker")
    CreditFactory(film=film, person=PersonFactory(name="Andrei Tarkovsky", slug="tarkovsky"))
    CuratedListEntryFactory(
        film=film, position=1, curated_list=CuratedListFactory(slug="zone", title="The Zone")
    )
    film.genres.add(GenreFactory(name="Drama", slug="drama"))
    return film


def read(api, slug="stalker", **params):
    response = api.get(f"/api/v1/films/{slug}/", params)
    assert response.status_code == 200, response.content
    return response


def documents(slug="stalker"):
    current = read_documents.current_documents().filter(kind=KIND, key=slug)
    return list(current.values_list("language", flat=True))


def test_a_second_read_comes_from_the_document_in_one_query(film, api, django_assert_num_queries):
    first = read(api)
    assert documents() == ["en"]
    with django_assert_num_queries(budget.API_FILM_DETAIL_FROM_DOCUMENT):
        second = read(api)
    assert second.json() == first.json() and second["ETag"] == first["ETag"]
    with django_assert_num_queries(budget.API_FILM_DETAIL_FROM_DOCUMENT):
        revalidated = api.get("/api/v1/films/stalker/", headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304


def test_a_read_that_misses_builds_and_stores_the_document(film, api):
    with CaptureQueriesContext(connection) as context:
        read(api)
    statements = statements_run(context)
    assert len(statements) == budget.API_FILM_DETAIL + budget.READ_DOCUMENT_MISS, statements
    assert documents() == ["en"]


def test_each_language_has_its_own_document(film, api):
    Genre.objects.filter(slug="drama").update(name_ru="Драма")
    english = read(api).json()
    russian = read(api, language="ru").json()
    assert sorted(documents()) == ["en", "ru"]
    assert [g["name"] for g in english["genres"]] == ["Drama"]
    assert [g["name"] for g in russian["genres"]] == ["Драма"]
    assert [g["name"] for g in read(api, language="ru").json()["genres"]] == ["Драма"]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda film: film.__class__.objects.get(pk=film.pk).save(), id="the film"),
        pytest.param(
            lambda film: (
                film.credits.get().person.__class__.objects.filter(slug="tarkovsky").first().save()
            ),
            id="a person it credits",
        ),
        pytest.param(
            lambda film: film.list_entries.get().curated_list.save(), id="a list it is in"
        ),
        pytest.param(lambda film: publish(DraftListFactory(), film), id="a list going public"),
        pytest.param(
            lambda film: unpublish(film.list_entries.get().curated_list), id="a list made a draft"
        ),
        pytest.param(lambda film: Genre.objects.get(slug="drama").save(), id="a genre"),
    ],
)
def test_a_write_to_what_the_document_shows_deletes_it_when_it_commits(film, api, edit):
    read(api)
    edit(film)
    assert documents() == []


def publish(draft, film):
    draft.entries.create(film=film, position=1)
    draft.status, draft.published_at = CuratedList.Status.PUBLISHED, timezone.now()
    draft.save()


def unpublish(curated_list):
    curated_list.status, curated_list.published_at = CuratedList.Status.DRAFT, None
    curated_list.save()


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda: FilmFactory(slug="mirror").save(), id="another film"),
        pytest.param(lambda: PersonFactory(slug="someone-else").save(), id="another person"),
        pytest.param(lambda: CuratedListFactory().save(), id="another list"),
        pytest.param(
            lambda: publish(DraftListFactory(), FilmFactory()), id="another list published"
        ),
    ],
)
def test_a_write_to_what_the_document_does_not_show_leaves_it(film, api, edit):
    read(api)
    edit()
    assert documents() == ["en"]


def test_the_next_read_after_a_write_says_what_it_changed(film, api):
    read(api)
    person = film.credits.get().person
    person.name = "Andrei Arsenyevich Tarkovsky"
    person.save()
    directors = read(api).json()["directors"]
    assert [d["name"] for d in directors] == ["Andrei Arsenyevich Tarkovsky"]
    assert read(api).json()["directors"] == directors  # stored again, and served


def test_those_who_may_see_drafts_get_a_live_answer(film, api, editor):
    DraftListFactory(slug="draft").entries.create(film=film, position=1)
    read(api)
    api.force_authenticate(editor)
    lists = read(api).json()["lists"]
    assert sorted(entry["slug"] for entry in lists) == ["draft", "zone"]
    api.force_authenticate(None)
    assert [entry["slug"] for entry in read(api).json()["lists"]] == ["zone"]


def test_a_document_built_while_a_write_committed_is_not_stored(film, api):
    found = read_documents.find(KIND, "stalker", "http://testserver")
    FilmFactory(slug="mirror")  # commits: the clock moves on
    assert read_documents.store(KIND, "http://testserver", [("stalker", {}, set())], found) == 0
    assert documents() == []


def test_a_document_ends_when_a_scheduled_list_goes_live(film, api):
    later = CuratedListFactory(slug="later", published_at=timezone.now() + timedelta(seconds=1))
    later.entries.create(film=film, position=1)
    assert [entry["slug"] for entry in read(api).json()["lists"]] == ["zone"]
    assert [entry["slug"] for entry in read(api).json()["lists"]] == ["zone"]  # the document
    time.sleep(1.2)
    assert sorted(entry["slug"] for entry in read(api).json()["lists"]) == ["later", "zone"]


def test_a_document_of_another_release_is_not_served(film, api, settings):
    read(api)
    settings.RESPONSE_CACHE_RELEASE = "next"
    film_title = "Stalker (restored)"
    type(film).objects.filter(pk=film.pk).update(title=film_title)  # no signal: as a deploy
    assert read(api).json()["title"] == film_title


def test_build_read_documents_stores_what_reads_would(film, api):
    FilmFactory(slug="mirror")
    FilmFactory(slug="unpublished", is_published=False)
    DraftListFactory(slug="draft")
    kinds = ["--kind=api-film", "--kind=api-person", "--kind=api-list"]
    call_command("build_read_documents", *kinds, stdout=io.StringIO())
    built = {(d.kind, d.key, d.language): (d.body, d.tags) for d in ReadDocument.objects.all()}
    keys = {
        "api-film": ["stalker", "mirror"],
        "api-person": ["tarkovsky"],
        "api-list": ["zone"],
    }
    assert set(built) == {
        (kind, key, language)
        for kind, kind_keys in keys.items()
        for key in kind_keys
        for language in ("en", "ru")
    }
    ReadDocument.objects.all().delete()
    for kind, key, language in built:
        response = api.get(f"/api/v1/{PATHS[kind]}/{key}/", {"language": language})
        assert response.status_code == 200
    read_back = {(d.kind, d.key, d.language): (d.body, d.tags) for d in ReadDocument.objects.all()}
    assert read_back == built
    assert built["api-film", "stalker", "en"][1].split() == sorted(
        [
            f"catalogue.film:{film.pk}",
            f"catalogue.person:{film.credits.get().person_id}",
            f"lists.curatedlist:{film.list_entries.get().curated_list_id}",
        ]
    )


PATHS = {"api-film": "films", "api-person": "people", "api-list": "lists"}


@pytest.mark.parametrize(("kind", "key"), [("api-person", "tarkovsky"), ("api-list", "zone")])
def test_people_and_lists_come_from_their_documents_until_their_films_change(
    film, api, django_assert_num_queries, kind, key
):
    path = f"/api/v1/{PATHS[kind]}/{key}/"
    first = api.get(path).json()
    with django_assert_num_queries(1):
        assert api.get(path).json() == first
    type(film).objects.get(pk=film.pk).save()
    assert not read_documents.current_documents().filter(kind=kind, key=key).exists()
    film.title = "Stalker (1979)"
    film.save()
    assert "Stalker (1979)" in api.get(path).content.decode()


def test_with_read_documents_off_every_read_is_built(film, api, settings):
    settings.READ_DOCUMENTS = False
    read(api)
    read(api)
    assert documents() == []


def test_everything_stale_deletes_every_document(film, api):
    read(api)
    read(api, language="ru")
    response_cache.invalidate()  # what a bulk command says
    assert documents() == []
    assert read(api).json()["slug"] == "stalker"


@pytest.mark.parametrize("slug", ["%00", "st%C3%A4lker", "x" * 300])
def test_a_slug_that_cannot_be_one_is_a_404_without_a_document(film, api, slug):
    response = api.get(f"/api/v1/films/{slug}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_when_documents_cannot_be_read_the_answer_is_built(film, api, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("no such table: core_readdocument")

    expected = read(api).json()
    monkeypatch.setattr(read_documents, "find", broken)
    assert read(api).json() == expected


def test_a_head_request_is_answered_from_the_document(film, api, django_assert_num_queries):
    read(api)
    with django_assert_num_queries(budget.API_FILM_DETAIL_FROM_DOCUMENT):
        head = api.head("/api/v1/films/stalker/")
    assert head.status_code == 200 and head.content == b""


def test_migrations_applied_forget_every_document(film, api):
    read(api)
    call_command("migrate", verbosity=0)  # nothing to apply: nothing changed shape
    assert documents() == ["en"]
    call_command("migrate", "pictures", "0002", verbosity=0)  # a deploy's migration, undone
    assert documents() == []
    read(api)
    call_command("migrate", verbosity=0)  # ... and applied
    assert documents() == []
    assert read(api).json()["slug"] == "stalker"
    assert documents() == ["en"]


# --- What an attack on the documents found: each case answers as the live path answers ---


def read_json(api, path="/api/v1/films/stalker/", **kwargs):
    response = api.get(path, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()


def live(api, settings, path="/api/v1/films/stalker/", **kwargs):
    """The answer with read documents off (KINOTEKA_READ_DOCUMENTS=false)."""
    settings.READ_DOCUMENTS = False
    try:
        return read_json(api, path, **kwargs)
    finally:
        settings.READ_DOCUMENTS = True


def test_renaming_the_author_of_an_adapted_work_reaches_the_document(film, api, settings):
    """The author comes from a JSON column (adapted_work_rows), not as a loaded row."""
    author = PersonFactory(name="Arkady Strugatsky", slug="strugatsky")
    AdaptedWork.objects.create(film=film, title="Roadside Picnic", kind="novel", author=author)
    assert read_json(api)["adapted_works"][0]["author"]["name"] == "Arkady Strugatsky"
    author = Person.objects.get(pk=author.pk)
    author.name = "Arkady Natanovich Strugatsky"
    author.slug = "arkady-strugatsky"
    author.save()
    assert live(api, settings)["adapted_works"][0]["author"]["name"] == (
        "Arkady Natanovich Strugatsky"
    )
    assert (
        read_json(api)["adapted_works"][0]["author"]
        == live(api, settings)["adapted_works"][0]["author"]
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
    suffixed = read_json(api, "/api/v1/films/stalker.json")
    assert suffixed["url"].endswith("/stalker.json")  # what the live path says for a suffix
    plain = read_json(api)
    assert plain == live(api, settings)


def test_a_plain_read_does_not_change_what_a_format_suffix_read_gets(film, api, settings):
    read_json(api)
    suffixed = read_json(api, "/api/v1/films/stalker.json")
    assert suffixed == live(api, settings, "/api/v1/films/stalker.json")


def test_text_that_names_the_origin_is_not_rewritten_for_another_host(film, api, settings):
    """Only links are given the reader's host: a synopsis naming the site stays as written."""
    film = type(film).objects.get(pk=film.pk)
    film.synopsis = "Restored copy: see http://localhost/films/stalker/ for the notes."
    film.save()
    read_json(api, HTTP_HOST="localhost")  # builds the document
    other = read_json(api, HTTP_HOST="127.0.0.1")
    assert other["synopsis"] == live(api, settings, HTTP_HOST="127.0.0.1")["synopsis"]


def test_the_stand_in_character_in_a_text_is_kept(film, api, settings):
    film = type(film).objects.get(pk=film.pk)
    film.synopsis = "Private use \ue000 character"
    film.save()
    read_json(api)
    assert read_json(api)["synopsis"] == live(api, settings)["synopsis"]


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
    assert read_json(api)["title"] == "Stalker"


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
    assert [entry["slug"] for entry in read_json(api)["lists"]] == ["zone"]
    time.sleep(1.5)
    assert sorted(entry["slug"] for entry in live(api, settings)["lists"]) == ["later", "zone"]
    assert sorted(entry["slug"] for entry in read_json(api)["lists"]) == ["later", "zone"]


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
    assert [g["name"] for g in read_json(api)["genres"]] == ["Drama"]
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
    assert [g["name"] for g in read_json(api)["genres"]] == ["Melodrama"]


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
    assert [f["key"] for f in read_json(api)["facts"]] == ["zone"]  # Stalker's document holds it
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
    assert read_json(api)["facts"] == []


def test_shards_build_every_document_once_between_them(film):
    FilmFactory(slug="mirror")
    FilmFactory(slug="solaris")
    built = []
    for shard in ("1/2", "2/2"):
        before = set(ReadDocument.objects.values_list("key", flat=True))
        options = ["--kind=api-film", "--language=en", f"--shard={shard}"]
        call_command("build_read_documents", *options, stdout=io.StringIO())
        built.append(set(ReadDocument.objects.values_list("key", flat=True)) - before)
    assert built[0] and built[1] and not built[0] & built[1]
    assert built[0] | built[1] == {"stalker", "mirror", "solaris"}


@pytest.mark.parametrize("shard", ["0/2", "3/2", "1", "a/b"])
def test_a_shard_that_names_none_is_refused(shard):
    with pytest.raises(CommandError):
        call_command("build_read_documents", f"--shard={shard}", stdout=io.StringIO())
