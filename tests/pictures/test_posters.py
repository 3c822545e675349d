"""Typographic posters for films and people without a picture: made once, from the film."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import translation

from pictures import posters
from pictures.posters import (
    decade_colours,
    film_poster_svg,
    generated_film_poster,
    generated_portrait,
)
from tests.factories import FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


class Director:
    """A director credit as cards prefetch it (`film.director_credits`)."""

    def __init__(self, name, native_name=""):
        self.person = PersonFactory(name=name, native_name=native_name)


def poster_text(poster):
    return default_storage.open(poster.name).read().decode()


def test_the_poster_shows_title_original_title_year_and_director():
    film = FilmFactory(
        title="The Cranes Are Flying",
        original_title="Летят журавли",
        original_language="ru",
        release_year=1957,
    )
    svg = film_poster_svg(film, ["Mikhail Kalatozov"])
    for text in (
        "The Cranes Are",
        "Flying",
        "Летят журавли",
        "1957",
        "Mikhail Kalatozov",
        'lang="ru"',
    ):
        assert text in svg
    assert f'fill="{decade_colours(1957)[0]}"' in svg


def test_each_decade_has_its_own_colour():
    assert decade_colours(1925) != decade_colours(1975)


def test_text_is_escaped_in_the_svg():
    svg = film_poster_svg(FilmFactory(title='<script>alert("x")</script> & co'), [])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_poster_is_made_once_and_changes_with_the_film(stored_files):
    film = FilmFactory(title="Stalker", release_year=1979)
    film.director_credits = [Director("Andrei Tarkovsky")]
    first = generated_film_poster(film)
    assert generated_film_poster(film) == first
    assert stored_files() == [first.name]
    assert "Andrei Tarkovsky" in poster_text(first)
    film.title = "Stalker (restored)"
    assert generated_film_poster(film).name != first.name


def test_a_person_gets_initials_and_years():
    person = PersonFactory(name="Larisa Shepitko", birth_year=1938, death_year=1979)
    poster = generated_portrait(person)
    svg = default_storage.open(poster.name).read().decode()
    assert ">LS<" in svg and "1938–1979" in svg


def test_a_russian_reader_gets_the_original_title_and_native_names_first(stored_files):
    film = FilmFactory(
        title="The Cranes Are Flying",
        original_title="Летят журавли",
        original_language="ru",
        release_year=1957,
    )
    film.director_credits = [Director("Mikhail Kalatozov", "Михаил Калатозов")]
    english = poster_text(generated_film_poster(film, "en"))
    russian = poster_text(generated_film_poster(film, "ru"))
    assert english.index("The Cranes Are") < english.index("Летят журавли")
    assert "Mikhail Kalatozov" in english
    assert '<svg xmlns="http://www.w3.org/2000/svg" lang="ru"' in russian
    assert russian.index("Летят журавли") < russian.index("The Cranes Are")
    assert 'lang="en">The Cranes Are' in russian  # the English title, marked as such
    assert "Михаил Калатозов" in russian and "Mikhail Kalatozov" not in russian
    assert len(stored_files()) == 2  # one poster per language, each made once


def test_the_poster_follows_the_active_language(stored_files):
    film = FilmFactory(title="Stalker", original_title="Сталкер", original_language="ru")
    with translation.override("ru"):
        poster = generated_film_poster(film)
    assert poster == generated_film_poster(film, "ru")
    assert poster != generated_film_poster(film, "en")


def test_a_russian_reader_gets_a_persons_native_name_and_initials():
    person = PersonFactory(name="Larisa Shepitko", native_name="Лариса Шепитько")
    svg = poster_text(generated_portrait(person, "ru"))
    assert ">ЛШ<" in svg and "Лариса Шепитько" in svg and "Larisa" not in svg


def test_a_poster_known_in_one_storage_is_still_made_in_another(settings, tmp_path):
    film = FilmFactory(title="Stalker", release_year=1979)
    first = generated_film_poster(film)
    assert default_storage.exists(first.name)

    # The process and the shared cache remember the posters stored, but only for the storage
    # they were stored in: a new media folder (another deploy, a restored backup) gets its own.
    settings.MEDIA_ROOT = tmp_path / "another-media"

    again = generated_film_poster(film)
    assert again.name == first.name
    assert default_storage.exists(again.name)


def test_a_poster_lost_from_storage_is_made_again_once_the_process_checks_again(monkeypatch):
    monkeypatch.setattr(posters, "KNOWN_HERE_SECONDS", 0)  # the process's minute is over
    film = FilmFactory(title="Stalker", release_year=1979)
    lost = generated_film_poster(film)
    default_storage.delete(lost.name)  # a media folder or bucket emptied behind our back
    cache.clear()  # and the shared cache's flag with it

    again = generated_film_poster(film)

    assert again.name == lost.name
    assert default_storage.exists(again.name)
