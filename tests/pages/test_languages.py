"""English and Russian: the site under / and /ru/, chosen from the browser on arrival, a
switcher that keeps the reader on the same page, the API's `language=`, the admin in the
editor's language, and a complete Russian catalogue of messages."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import caches

from core import response_cache
from tests.core.cache_backends import LOCMEM
from tests.factories import CuratedListEntryFactory, CuratedListFactory, FilmFactory
from tests.helpers import cache_state

pytestmark = pytest.mark.django_db

RUSSIAN_PO = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def film():
    film = FilmFactory(title="Stalker", slug="stalker", original_title="Сталкер")
    CuratedListEntryFactory(
        film=film, position=1, curated_list=CuratedListFactory(slug="zone", title="The Zone")
    )
    return film


def test_english_is_the_default_at_unprefixed_addresses(client, film):
    page = client.get("/films/stalker/").content.decode()
    assert '<html lang="en">' in page
    assert ">Lists</a>" in page


def test_russian_lives_under_ru(client, film):
    response = client.get("/ru/films/stalker/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in page
    assert ">Списки</a>" in page
    assert 'href="/ru/lists/"' in page  # links stay in Russian


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client, film):
    english = client.get("/films/stalker/").content.decode()
    assert '<a href="/ru/films/stalker/" hreflang="ru" lang="ru">Русский</a>' in english
    russian = client.get("/ru/films/stalker/").content.decode()
    assert '<a href="/films/stalker/" hreflang="en" lang="en">English</a>' in russian


def test_the_switcher_keeps_the_query_that_shaped_the_page(client, film):
    page = client.get("/ru/search/?q=stalker").content.decode()
    assert 'href="/search/?q=stalker"' in page


def test_every_page_names_its_other_languages_for_search_engines(client, film):
    page = client.get("/lists/zone/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/lists/zone/">' in page
    assert '<link rel="alternate" hreflang="ru" href="http://testserver/ru/lists/zone/">' in page
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/lists/zone/">' in page
    )


def test_a_russian_reader_arriving_from_elsewhere_gets_the_russian_page(client, film):
    response = client.get(
        "/films/stalker/?utm_source=vk", headers={"accept-language": "ru-RU,ru;q=0.9"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/films/stalker/?utm_source=vk"
    assert "Accept-Language" in response["Vary"]


def test_a_reader_who_chose_english_on_the_site_stays_in_english(client, film):
    response = client.get(
        "/films/stalker/",
        headers={"accept-language": "ru", "referer": "http://testserver/ru/films/stalker/"},
    )
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/films/stalker/", "/admin/login/", "/sitemap.xml"])
def test_addresses_outside_the_site_are_never_redirected(client, film, path):
    assert client.get(path, headers={"accept-language": "ru"}).status_code == 200


def test_addresses_that_are_no_page_are_not_redirected(client):
    assert client.get("/no-such-page/", headers={"accept-language": "ru"}).status_code == 404


def test_a_missing_film_is_not_found_in_the_readers_language(client):
    response = client.get("/films/no-such-film/", headers={"accept-language": "ru"}, follow=True)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_the_admin_speaks_the_editors_language(client):
    page = client.get("/admin/login/", headers={"accept-language": "ru"}).content.decode()
    assert "Войти" in page


@pytest.mark.parametrize(
    "headers, query, language",
    [
        ({}, "", "en"),
        ({"accept-language": "ru"}, "", "ru"),
        ({"accept-language": "ru"}, "?language=en", "en"),
        ({}, "?language=RU", "ru"),
        ({}, "?language=fr", "en"),
    ],
)
def test_the_api_answers_in_the_language_asked(client, film, headers, query, language):
    response = client.get(f"/api/v1/films/stalker/{query}", headers=headers)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_cached_copies_are_kept_per_language(client, film, settings):
    settings.CACHES = {
        "default": LOCMEM,
        response_cache.CACHE_ALIAS: {**LOCMEM, "LOCATION": "languages"},
    }
    try:
        client.get("/api/v1/films/stalker/")
        russian = client.get("/api/v1/films/stalker/", headers={"accept-language": "ru"})
        assert cache_state(russian) == "miss"
        assert russian["Content-Language"] == "ru"
        assert cache_state(client.get("/api/v1/films/stalker/?language=ru")) == "hit"
    finally:
        caches[response_cache.CACHE_ALIAS].clear()


def test_a_page_costs_the_same_queries_in_both_languages(client, film, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/films/stalker/")  # the database backend's one-time feature checks
    counts = {}
    for prefix in ("", "/ru"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{prefix}/films/stalker/").status_code == 200
        counts[prefix] = len(queries)
    assert counts[""] == counts["/ru"]


def test_every_russian_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(RUSSIAN_PO))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert "Plural-Forms" in catalogue.metadata


def test_the_compiled_russian_catalogue_matches_its_source():
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.pofile(str(RUSSIAN_PO)).translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(RUSSIAN_PO.with_suffix(".mo")))
        if entry.msgid
    }
    assert compiled == source, "run `make messages` after editing django.po"


def switcher_link(html, language):
    return re.search(rf'<a href="([^"]*)" hreflang="{language}" lang="{language}">', html)[1]


def test_the_404_switcher_leads_to_the_same_address_in_the_other_language(client):
    html = client.get("/ru/films/no-such-film/").text
    assert switcher_link(html, "en") == "/films/no-such-film/"
    html = client.get("/films/no-such-film/").text
    assert switcher_link(html, "ru") == "/ru/films/no-such-film/"


def test_the_404_switcher_leads_home_when_the_address_is_no_page_at_all(client):
    html = client.get("/ru/no-such-page/?q=1").text
    assert switcher_link(html, "en") == "/"
    html = client.get("/no-such-page/").text
    assert switcher_link(html, "ru") == "/ru/"
