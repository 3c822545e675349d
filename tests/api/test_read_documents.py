"""A visitor's read of a film comes from its read document, and never says what a committed
write has changed since. These tests commit (documents learn of writes when they commit)."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Genre
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


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def test_a_read_that_misses_builds_and_stores_the_document(film, api):
    with CaptureQueriesContext(connection) as context:
        read(api)
    statements = [q["sql"] for q in context.captured_queries]
    statements = [sql for sql in statements if not sql.startswith(TRANSACTION_CONTROL)]
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
    call_command("build_read_documents", stdout=io.StringIO())
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
