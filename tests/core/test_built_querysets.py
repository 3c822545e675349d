"""A page's queryset is built once per process for each kind of reader and each language, and
every use gets its own copy: a visitor never reads through an editor's queryset, a Russian
reader never through an English one's, and what one request narrows or evaluates stays its
own."""

import pytest
from django.db.models import Prefetch
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from catalogue.models import CreditRole, Film, FilmTitle
from core import querysets
from core.querysets import built_once, forget_built_querysets
from tests import factories as f


@pytest.fixture(autouse=True)
def nothing_built_yet():
    """Each test starts, and leaves the next one, with no queryset built."""
    forget_built_querysets()
    yield
    forget_built_querysets()


@pytest.fixture
def builds():
    """A build that counts its calls."""
    calls = []

    def build():
        calls.append(translation.get_language())
        return Film.objects.order_by("pk")

    build.calls = calls
    return build


def test_a_key_is_built_once(builds):
    built_once(("films",), builds)
    built_once(("films",), builds)
    assert builds.calls == ["en"]


def test_each_use_gets_its_own_copy(db, builds):
    f.FilmFactory(slug="first")
    f.FilmFactory(slug="second")
    narrowed = built_once(("films",), builds).filter(slug="first")
    evaluated = built_once(("films",), builds)
    assert [film.slug for film in evaluated] == ["first", "second"]
    assert [film.slug for film in narrowed] == ["first"]
    assert built_once(("films",), builds)._result_cache is None


def test_each_key_and_each_language_is_built_apart(builds):
    built_once(("films", False), builds)
    built_once(("films", True), builds)
    with translation.override("ru"):
        built_once(("films", False), builds)
        built_once(("films", False), builds)
    assert builds.calls == ["en", "en", "ru"]


def test_changed_settings_are_built_again(builds, settings):
    built_once(("films",), builds)
    settings.LANGUAGE_CODE = "en"  # any override says the settings a build read may differ
    built_once(("films",), builds)
    assert builds.calls == ["en", "en"]


# --- The pages and endpoints that reuse their querysets -------------------------------------


@pytest.fixture
def drafts(db):
    """A film not yet published, a person known only through it, and a draft list."""
    film = f.FilmFactory(slug="stalker", title="Stalker", is_published=False)
    f.CreditFactory(film=film, person=f.PersonFactory(slug="kaidanovsky"), role=CreditRole.DIRECTOR)
    f.CuratedListEntryFactory(curated_list=f.DraftListFactory(slug="draft"), film=film)


@pytest.mark.parametrize(
    "path",
    [
        "/films/stalker/",
        "/lists/draft/",
        "/api/v1/films/stalker/",
        "/api/v1/lists/draft/",
        "/api/v1/people/kaidanovsky/",
        "/people/kaidanovsky/",
    ],
)
def test_a_visitor_after_an_editor_still_sees_no_draft(drafts, editor, path):
    """Whichever reader comes first, the next one of the other kind gets their own rows."""
    visitor, editor_client = Client(), APIClient()
    editor_client.force_login(editor)
    assert visitor.get(path).status_code == 404
    assert editor_client.get(path).status_code == 200
    assert visitor.get(path).status_code == 404
    assert editor_client.get(path).status_code == 200


def test_a_russian_reader_after_an_english_one_gets_russian_labels(db):
    """A title's kind is labelled in SQL, in the language of the reader who built the query."""
    film = f.FilmFactory(slug="mirror", title="The Mirror")
    f.FilmTitleFactory(film=film, title="Белый, белый день", kind=FilmTitle.Kind.WORKING)
    assert "working title" in Client().get("/films/mirror/").text
    russian = Client().get("/ru/films/mirror/").text
    assert "рабочее название" in russian
    assert "working title" not in russian


def prefetch_querysets(queryset):
    """Every prefetch queryset of `queryset`, at every depth."""
    for lookup in queryset._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and lookup.queryset is not None:
            yield lookup.queryset
            yield from prefetch_querysets(lookup.queryset)


def test_no_row_of_a_request_outlives_it(drafts, editor):
    """Django writes the row it prefetches for into the prefetch queryset's hints: only the
    request's own copies may get it."""
    editor_client = APIClient()
    editor_client.force_login(editor)
    for path in ["/films/stalker/", "/lists/draft/", "/people/kaidanovsky/"]:
        assert editor_client.get(path).status_code == 200
    for path in ["/api/v1/films/stalker/", "/api/v1/lists/draft/", "/api/v1/people/kaidanovsky/"]:
        assert editor_client.get(path).status_code == 200
    kept = [
        prefetched
        for built in querysets._built.values()
        for prefetched in prefetch_querysets(built)
    ]
    assert kept
    assert all(prefetched._hints == {} for prefetched in kept)
