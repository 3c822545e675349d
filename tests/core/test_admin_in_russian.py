"""The admin speaks Russian to an editor whose browser asks for it: every page an editor
opens (each registered model's list, add, change and history pages, and Kinoteka's own
pages) shows no English word but those of the data, which come from the database, and a few
names. A label, message or template string not marked for translation shows up here."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from catalogue.admin import count_films
from catalogue.models import Film, Verification
from core.history import history_manager
from lists.models import CuratedList
from pictures.choices import Licence, PictureKind
from pictures.services import add_picture
from tests.factories import CuratedListEntryFactory, DraftListFactory, FilmFactory
from tests.pages.test_russian_pages import LATIN_WORD, catalogue, english_left_in  # noqa: F401
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

OUR_APPS = ("core", "catalogue", "lists", "pictures")
RUSSIAN = {"HTTP_ACCEPT_LANGUAGE": "ru"}

# Latin words the Russian admin may show besides the data: names (of the site, databases,
# formats and standards) and what an editor types (the API's header, a slug's example).
NAMES = {"Kinoteka", "IMDb", "Letterboxd", "Wikipedia", "Wikidata", "TMDB", "Kinopoisk"}
NAMES |= {"API", "URL", "SHA", "ID", "JPEG", "PNG", "WebP", "UTF", "CSV", "BCP", "ISO", "SU"}
NAMES |= {"slug", "Authorization", "Token", "nm", "tt", "ru", "en", "kB", "CC", "BY", "SA"}
NAMES |= {"films"}  # the public addresses a merge names (/films/…/)
# Django's own admin leaves the alt text of its search and yes/no icons unmarked.
NAMES |= {"Search", "True", "False"}
# The importer's formats, quoted as a document must spell them.
NAMES |= {"Title", "Romanized", "title", "Year", "Description", "Fact"}


SIMPLE_HISTORY_COLUMNS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def everything(catalogue, media, editor):  # noqa: F811 (the shared catalogue fixture)
    """The Russian pages' catalogue, a picture of each kind, a draft list holding an
    unpublished film, and a version of the film to revert to."""
    film = catalogue
    person = film.credits.first().person
    moscow = CuratedList.objects.get(slug="moscow")
    for owner, kind in (
        (film, PictureKind.POSTER),
        (person, PictureKind.PORTRAIT),
        (moscow, PictureKind.COVER),
    ):
        add_picture(
            owner,
            upload(image_bytes(960, 480) if kind == PictureKind.COVER else image_bytes()),
            kind=kind,
            alt_text="Плакат",
            licence=Licence.PUBLIC_DOMAIN,
        )
    draft = DraftListFactory(title="Черновик", slug="draft")
    CuratedListEntryFactory(
        curated_list=draft,
        film=FilmFactory(title="Стиляги", is_published=False, verification=Verification.UNVERIFIED),
    )
    film.runtime_minutes = 150
    film.save()
    return film


def data_words():
    """Every Latin word stored in a text column of our apps and of the users: the data."""
    words = set()
    for model in apps.get_models():
        if model._meta.app_label not in (*OUR_APPS, "auth"):
            continue
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.FileField))
        ]
        for row in model._default_manager.values_list(*columns):
            for value in row:
                words.update(LATIN_WORD.findall(str(value or "")))
    return words


def english_on(client, url, allowed):
    response = client.get(url, **RUSSIAN)
    assert response.status_code == 200, (url, response.status_code)
    left = []
    for text in english_left_in(response.content.decode()):
        if any(word not in allowed for word in LATIN_WORD.findall(text)):
            left.append(text)
    return left


def admin_pages(editor):
    """The list, add, change and history pages of every model an editor may view."""
    request = RequestFactory().get("/admin/")
    request.user = editor
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model._default_manager.order_by("pk").last()
        if row is not None:
            pages.append(reverse(f"{name}_change", args=[row.pk]))
            pages.append(reverse(f"{name}_history", args=[row.pk]))
    return pages


def own_pages(everything):
    """Kinoteka's pages in the admin: the desk, the queue of each kind, a merge, the list
    importer, a revert, the publication warning and the API tokens."""
    film, other = Film.objects.order_by("pk")[:2]
    version = history_manager(Film).filter(id=film.pk).order_by("history_id").first()
    draft = CuratedList.objects.get(slug="draft")
    queue = reverse("admin:catalogue_verification_queue")
    return [
        reverse("admin:index"),
        *(f"{queue}?kind={kind}" for kind in ("films", "credits", "awards", "facts", "entries")),
        f"{reverse('admin:catalogue_film_merge')}?duplicate={other.pk}&survivor={film.pk}",
        reverse("admin:lists_curatedlist_import"),
        reverse("admin:catalogue_film_simple_history", args=[film.pk, version.history_id]),
        reverse("admin:lists_curatedlist_publish", args=[draft.pk]),
        reverse("admin-own-tokens"),
    ]


def test_every_admin_page_speaks_russian_to_a_russian_editor(editor_client, editor, everything):
    allowed = NAMES | data_words()
    english = {}
    for url in admin_pages(editor) + own_pages(everything):
        if left := english_on(editor_client, url, allowed):
            english[url] = left
    assert english == {}, "\n".join(f"{url}: {texts}" for url, texts in english.items())


def test_the_import_preview_speaks_russian(editor_client, everything):
    document = "Кремлёвские куранты\n\nStalker (1979)\nDescription: Зона.\nFact: Снят дважды.\n"
    response = editor_client.post(
        reverse("admin:lists_curatedlist_import"), {"text": document}, **RUSSIAN
    )
    assert response.status_code == 200
    allowed = NAMES | data_words() | {"Stalker", "Zone"}
    left = [
        text
        for text in english_left_in(response.content.decode())
        if any(word not in allowed for word in LATIN_WORD.findall(text))
    ]
    assert left == [], left


def test_the_admin_check_finds_an_unmarked_label(editor_client, everything, monkeypatch):
    monkeypatch.setattr(admin.site, "index_title", "Catalogue and lists")
    allowed = NAMES | {"editor"}  # the username
    assert english_on(editor_client, reverse("admin:index"), allowed) == ["Catalogue and lists"]


def test_every_model_and_field_label_of_our_apps_is_a_translation():
    plain = []
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in OUR_APPS:
            continue
        if not isinstance(opts.verbose_name, Promise):
            plain.append(f"{opts.label}: verbose_name")
        if not isinstance(opts.verbose_name_plural, Promise):
            plain.append(f"{opts.label}: verbose_name_plural")
        for field in opts.get_fields(include_hidden=False):
            if field.auto_created or not field.concrete and not field.many_to_many:
                continue
            if field.name in SIMPLE_HISTORY_COLUMNS:
                continue  # the history library's own columns; its pages label them itself
            if not isinstance(field.verbose_name, Promise):
                plain.append(f"{opts.label}.{field.name}")
            if field.help_text and not isinstance(field.help_text, Promise):
                plain.append(f"{opts.label}.{field.name}: help_text")
    assert plain == []


def test_russian_plurals_in_admin_messages():
    with translation.override("ru"):
        assert [count_films(n) for n in (1, 2, 5, 21)] == [
            "1 фильм",
            "2 фильма",
            "5 фильмов",
            "21 фильм",
        ]
    assert re.fullmatch(r"\d+ films?", count_films(3))
