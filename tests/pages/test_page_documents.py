"""A visitor's film, person or list page is its layout around the blocks stored by the last
visitor's page (pages/documents.py): the same page, never one that says what a committed write
has changed since. These tests commit (documents learn of writes when they commit)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Film, Genre, Person
from core import read_documents
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

FILM, PERSON, LIST = "/films/stalker/", "/people/tarkovsky/", "/lists/zone/"
DOCUMENT_OF = {
    FILM: ("page-film", "stalker"),
    PERSON: ("page-person", "tarkovsky"),
    LIST: ("page-list", "zone"),
}


@pytest.fixture
def film():
    film = FilmFactory(title="Stalker", slug="stalker", synopsis="A guide leads two men.")
    CreditFactory(film=film, person=PersonFactory(name="Andrei Tarkovsky", slug="tarkovsky"))
    zone = CuratedListFactory(slug="zone", title="The Zone")
    CuratedListEntryFactory(film=film, position=1, curated_list=zone)
    CuratedListEntryFactory(film=FilmFactory(slug="solaris", title="Solaris"), curated_list=zone)
    film.genres.add(GenreFactory(name="Drama", slug="drama"))
    FilmFactory(slug="mirror", title="Mirror")  # in no list, nobody credited
    return film


@pytest.fixture
def visitor():
    return Client(HTTP_HOST="localhost")


def read(client, path=FILM, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response


def documents(kind="page-film", key="stalker"):
    current = read_documents.current_documents().filter(kind=kind, key=key)
    return sorted(current.values_list("language", flat=True))


def without_nonce(response):
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)


@pytest.mark.parametrize("path", [FILM, PERSON, LIST])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_from_its_document_is_the_page_rendered_live(
    film, visitor, django_assert_num_queries, path, language
):
    kind, key = DOCUMENT_OF[path]
    if language == "ru":
        path = f"/ru{path}"
    live = read(visitor, path)
    assert documents(kind, key) == [language]
    with django_assert_num_queries(budget.PAGE_FROM_DOCUMENT):
        stored = read(visitor, path)
    assert without_nonce(stored) == without_nonce(live)
    assert stored["ETag"] == live["ETag"]
    with django_assert_num_queries(budget.PAGE_FROM_DOCUMENT):
        revalidated = visitor.get(path, headers={"if-none-match": live["ETag"]})
    assert revalidated.status_code == 304


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def test_a_page_that_misses_renders_and_stores_its_document(film, visitor):
    with CaptureQueriesContext(connection) as context:
        read(visitor)
    statements = [q["sql"] for q in context.captured_queries]
    statements = [sql for sql in statements if not sql.startswith(TRANSACTION_CONTROL)]
    assert len(statements) == budget.FILM_PAGE + budget.READ_DOCUMENT_MISS, statements
    assert documents() == ["en"]


def test_each_response_has_its_own_csp_nonce_in_the_stored_blocks(film, visitor):
    read(visitor)
    nonces = []
    for _ in range(2):
        response = read(visitor)
        (nonce,) = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_links_follow_the_host_of_each_reader(film):
    read(Client(HTTP_HOST="localhost"))
    elsewhere = read(Client(HTTP_HOST="127.0.0.1")).content.decode()
    assert "localhost" not in elsewhere
    assert 'rel="canonical" href="http://127.0.0.1/films/stalker/"' in elsewhere


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        pytest.param(FILM, lambda: Film.objects.get(slug="stalker").save(), id="film: the film"),
        pytest.param(
            FILM, lambda: Person.objects.get(slug="tarkovsky").save(), id="film: its director"
        ),
        pytest.param(
            FILM, lambda: CuratedList.objects.get(slug="zone").save(), id="film: a list it is in"
        ),
        pytest.param(FILM, lambda: Genre.objects.get(slug="drama").save(), id="film: a genre"),
        pytest.param(FILM, lambda: publish(DraftListFactory()), id="film: a list going public"),
        pytest.param(
            PERSON, lambda: Film.objects.get(slug="stalker").save(), id="person: a film of theirs"
        ),
        pytest.param(
            PERSON,
            lambda: CreditFactory(
                person=Person.objects.get(slug="tarkovsky"), film=Film.objects.get(slug="mirror")
            ),
            id="person: a new credit",
        ),
        pytest.param(
            LIST, lambda: Film.objects.get(slug="solaris").save(), id="list: a film in it"
        ),
        pytest.param(
            LIST,
            lambda: CuratedListEntryFactory(
                curated_list=CuratedList.objects.get(slug="zone"),
                film=Film.objects.get(slug="mirror"),
                position=3,
            ),
            id="list: a new entry",
        ),
        pytest.param(LIST, lambda: CuratedListFactory(), id="list: another list (its neighbours)"),
    ],
)
def test_a_write_to_what_a_page_shows_deletes_its_document_when_it_commits(
    film, visitor, path, edit
):
    read(visitor, path)
    kind, key = DOCUMENT_OF[path]
    assert documents(kind, key) == ["en"]
    edit()
    assert documents(kind, key) == []


def publish(draft):
    draft.entries.create(film=Film.objects.get(slug="stalker"), position=1)
    draft.status, draft.published_at = CuratedList.Status.PUBLISHED, timezone.now()
    draft.save()


def test_a_write_to_what_the_page_does_not_show_leaves_it(film, visitor):
    read(visitor)
    Film.objects.get(slug="mirror").save()
    Person.objects.create(name="Someone Else", slug="someone-else")
    assert documents() == ["en"]


def test_the_next_visitor_sees_what_an_edit_changed(film, visitor):
    read(visitor)
    stalker = Film.objects.get(slug="stalker")
    stalker.synopsis = "Three men walk into the Zone."
    stalker.save()
    director = Person.objects.get(slug="tarkovsky")
    director.name = "A. A. Tarkovsky"
    director.save()
    page = read(visitor).content.decode()
    assert "Three men walk into the Zone." in page and "A. A. Tarkovsky" in page


def test_an_unpublished_film_is_gone_for_the_next_visitor(film, visitor):
    read(visitor)
    stalker = Film.objects.get(slug="stalker")
    stalker.is_published = False
    stalker.save()
    assert visitor.get(FILM).status_code == 404


def test_those_who_may_see_drafts_get_a_live_page_and_store_none(film, editor):
    editors = Client(HTTP_HOST="localhost")
    editors.force_login(editor)
    draft = FilmFactory(slug="draft-film", is_published=False)
    assert "Unpublished:" in read(editors, draft.get_absolute_url()).content.decode()
    read(editors)
    assert ReadDocument.objects.count() == 0


def test_a_signed_in_reader_without_drafts_gets_the_stored_page(film, visitor, django_user_model):
    read(visitor)
    reader = Client(HTTP_HOST="localhost")
    reader.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert without_nonce(read(reader)) == without_nonce(read(visitor))


def test_a_film_page_reached_from_a_list_is_rendered_live(film, visitor):
    page = read(visitor, FILM, list="zone").content.decode()
    assert "Number 1 in" in page
    assert ReadDocument.objects.count() == 0
    assert "Number 1 in" not in read(visitor).content.decode()


def test_each_page_of_a_persons_films_and_the_compact_list_have_their_own_documents(film, visitor):
    read(visitor, LIST)
    compact = read(visitor, LIST, view="compact")
    assert documents("page-list", "zone?view=compact") == ["en"]
    assert without_nonce(read(visitor, LIST, view="compact")) == without_nonce(compact)
    assert without_nonce(read(visitor, LIST)) != without_nonce(compact)
    assert visitor.get(PERSON, {"page": "2"}).status_code == 404
    assert visitor.get(PERSON, {"page": "x"}).status_code == 404
    assert documents("page-person", "tarkovsky?page=2") == []


@pytest.mark.parametrize("slug", ["%00", "st%C3%A4lker", "x" * 300])
def test_a_slug_that_cannot_be_one_is_a_404_without_a_document(film, visitor, slug):
    assert visitor.get(f"/films/{slug}/").status_code == 404
    assert ReadDocument.objects.count() == 0


def test_with_read_documents_off_every_page_is_rendered(film, visitor, settings):
    settings.READ_DOCUMENTS = False
    read(visitor)
    assert ReadDocument.objects.count() == 0


def test_build_read_documents_stores_the_pages_visitors_would(film, visitor):
    PersonFactory(slug="nobody-credited")
    FilmFactory(slug="unpublished", is_published=False)
    DraftListFactory(slug="draft")
    kinds = ["--kind=page-film", "--kind=page-person", "--kind=page-list"]
    call_command("build_read_documents", *kinds, stdout=io.StringIO())
    built = {(d.kind, d.key, d.language): (d.body, d.tags) for d in ReadDocument.objects.all()}
    keys = {
        "page-film": ["stalker", "solaris", "mirror"],
        "page-person": ["tarkovsky", "nobody-credited"],
        "page-list": ["zone"],
    }
    assert set(built) == {
        (kind, key, language)
        for kind, kind_keys in keys.items()
        for key in kind_keys
        for language in ("en", "ru")
    }
    ReadDocument.objects.all().delete()
    paths = {"page-film": "films", "page-person": "people", "page-list": "lists"}
    for kind, key, language in built:
        prefix = "" if language == "en" else "/ru"
        read(visitor, f"{prefix}/{paths[kind]}/{key}/")
    read_back = {(d.kind, d.key, d.language): (d.body, d.tags) for d in ReadDocument.objects.all()}
    assert read_back == built
