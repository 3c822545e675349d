"""A list stays in the language it was written in until an editor translates it: the text
shown is the reader's language when there is one, else the original, marked with its `lang`."""

import re

import pytest

from tests.factories import (
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
)

pytestmark = pytest.mark.django_db


def heading(html):
    return re.search(r"<h1([^>]*)>([^<]*)</h1>", html).groups()


@pytest.fixture
def english_list():
    curated_list = CuratedListFactory(title="Soviet Love", slug="soviet-love")
    CuratedListEntryFactory(
        curated_list=curated_list, position=1, film=FilmFactory(), blurb="A «Москва» blurb."
    )
    return curated_list


def test_an_untranslated_list_is_english_marked_as_english_on_a_russian_page(client, english_list):
    html = client.get("/ru/lists/soviet-love/").text
    assert heading(html) == (' lang="en"', "Soviet Love")
    # the column it came from decides, not the script of a word inside it
    assert '<div class="blurb" lang="en">' in html


def test_a_translated_list_carries_no_foreign_lang_on_the_russian_page(client, english_list):
    english_list.title_ru = "Советская любовь"
    english_list.save()
    assert heading(client.get("/ru/lists/soviet-love/").text) == ("", "Советская любовь")
    assert heading(client.get("/lists/soviet-love/").text) == ("", "Soviet Love")


def test_a_list_written_in_russian_is_russian_marked_as_russian_on_an_english_page(client):
    CuratedListFactory(title_en=None, title_ru="Фильмы о любви", slug="love")
    assert heading(client.get("/lists/love/").text) == (' lang="ru"', "Фильмы о любви")
    assert heading(client.get("/ru/lists/love/").text) == ("", "Фильмы о любви")


@pytest.fixture
def film_with_a_fact():
    film = FilmFactory(slug="garage")
    FactFactory(film=film, text_en="It was shot in a single room.", text_ru=None)
    return film


def test_an_untranslated_film_fact_is_marked_english_on_a_russian_page(client, film_with_a_fact):
    html = client.get("/ru/films/garage/").text
    assert '<p lang="en">It was shot in a single room.</p>' in html


def test_a_translated_film_fact_reads_in_russian_on_the_russian_page(client, film_with_a_fact):
    fact = film_with_a_fact.facts.get()
    fact.text_ru = "Фильм снят в одной комнате."
    fact.save()

    assert "<p>Фильм снят в одной комнате.</p>" in client.get("/ru/films/garage/").text
    assert "<p>It was shot in a single room.</p>" in client.get("/films/garage/").text


def test_a_film_fact_written_in_russian_is_marked_russian_on_an_english_page(client):
    FactFactory(film=FilmFactory(slug="stalker"), text_en=None, text_ru="Снят дважды.")
    assert '<p lang="ru">Снят дважды.</p>' in client.get("/films/stalker/").text
