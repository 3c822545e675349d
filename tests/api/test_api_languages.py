"""`language=ru|en` (or Accept-Language) chooses which title and name lead, as TMDB does:
`title` and `name` are the reader's, `original_title` and `native_name` stay; one shape in
both languages, cached per language."""

import uuid

import pytest

from catalogue.models import AdaptedWork
from core import response_cache
from tests import factories as f

pytestmark = pytest.mark.usefixtures("catalogue")

TEARS = "/api/v1/films/moscow-does-not-believe-in-tears/"
RUSSIAN_TITLE = "Москва слезам не верит"


@pytest.fixture(autouse=True)
def native_names(catalogue):
    catalogue.tears.original_title = RUSSIAN_TITLE
    catalogue.tears.original_language = "ru"
    catalogue.tears.save()
    menshov = catalogue.people["menshov"]
    menshov.native_name = "Владимир Меньшов"
    menshov.save()


def test_in_russian_the_original_title_and_native_names_lead(api):
    film = api.get(TEARS, {"language": "ru"}).json()
    assert film["title"] == film["original_title"] == RUSSIAN_TITLE
    assert film["directors"][0]["name"] == "Владимир Меньшов"
    assert film["credits"][0]["person"]["native_name"] == "Владимир Меньшов"


def test_in_english_the_english_title_and_names_lead(api):
    film = api.get(TEARS, {"language": "en"}).json()
    assert film["title"] == "Moscow Does Not Believe in Tears"
    assert film["original_title"] == RUSSIAN_TITLE
    assert film["directors"][0]["name"] == "Vladimir Menshov"


def test_accept_language_chooses_when_no_language_is_given(api):
    response = api.get(TEARS, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.json()["title"] == RUSSIAN_TITLE
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]


def test_a_name_without_a_russian_form_stays_english_in_russian(api):
    film = api.get("/api/v1/films/garage/", {"language": "ru"}).json()
    assert film["title"] == "Garage" and film["original_title"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/films/",
        TEARS,
        "/api/v1/people/",
        "/api/v1/people/menshov/",
        "/api/v1/awards/",
        "/api/v1/lists/soviet-love/",
        "/api/v1/search/?q=moscow",
    ],
)
def test_both_languages_answer_the_same_shape(api, url):
    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(item) for item in value]
        return type(value).__name__

    english = api.get(url, {"language": "en"})
    russian = api.get(url, {"language": "ru"})
    assert (english["Content-Language"], russian["Content-Language"]) == ("en", "ru")
    assert shape(english.json()) == shape(russian.json())


def test_lists_and_search_lead_with_the_readers_title(api):
    entries = api.get("/api/v1/lists/soviet-love/", {"language": "ru"}).json()["entries"]
    assert RUSSIAN_TITLE in [entry["film"]["title"] for entry in entries]
    films = api.get("/api/v1/search/", {"q": "menshov", "language": "ru"}).json()["films"]
    assert RUSSIAN_TITLE in [film["title"] for film in films]


def test_cached_responses_are_kept_per_language(api, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        response_cache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        },
    }
    titles = []
    for language in ("en", "ru", "en", "ru"):
        response = api.get(TEARS, {"language": language})
        titles.append((response.json()["title"], response.get(response_cache.HIT_HEADER)))
    assert [title for title, _hit in titles] == [
        "Moscow Does Not Believe in Tears",
        RUSSIAN_TITLE,
        "Moscow Does Not Believe in Tears",
        RUSSIAN_TITLE,
    ]
    assert [hit for _title, hit in titles][2:] == ["hit", "hit"]


def test_an_adapted_works_author_leads_with_the_readers_name(api, catalogue):
    author = f.PersonFactory(name="Anton Chekhov", native_name="Антон Чехов")
    AdaptedWork.objects.create(film=catalogue.tears, title="A story", author=author)
    work = api.get(TEARS, {"language": "ru"}).json()["adapted_works"][0]
    assert work["author"]["name"] == "Антон Чехов"
