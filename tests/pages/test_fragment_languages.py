"""Data in the other language than the page's carries its `lang`: Cyrillic on an English page
is marked ru, English on a Russian page en, and a fragment's language is that of most of its
letters."""

import pytest

from catalogue.models import CreditRole
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    FilmFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def film():
    return FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")


def test_a_russian_character_name_is_marked_russian_on_an_english_page(client, film):
    CreditFactory(film=film, role=CreditRole.ACTOR, character="Катерина")
    html = client.get("/films/moscow-tears/").text
    assert '<span class="character">as <span lang="ru">Катерина</span></span>' in html


def test_an_english_character_name_is_marked_english_on_a_russian_page(client, film):
    CreditFactory(film=film, role=CreditRole.ACTOR, character="Katerina")
    html = client.get("/ru/films/moscow-tears/").text
    assert '<span class="character">в роли: <span lang="en">Katerina</span></span>' in html


def test_a_character_name_in_the_pages_language_carries_no_lang(client, film):
    credit = CreditFactory(film=film, role=CreditRole.ACTOR, character="Katerina")
    html = client.get("/films/moscow-tears/").text
    assert '<span class="character">as Katerina</span>' in html
    html = client.get(credit.person.get_absolute_url()).text
    assert '<span class="character">as Katerina</span>' in html


def test_a_character_name_is_marked_on_the_persons_page_too(client, film):
    credit = CreditFactory(film=film, role=CreditRole.ACTOR, character="Катерина")
    html = client.get(credit.person.get_absolute_url()).text
    assert '<span class="character">as <span lang="ru">Катерина</span></span>' in html


def test_a_russian_ceremony_name_is_marked_russian_on_the_english_film_page(client, film):
    AwardFactory(film=film, ceremony_name="Кинофестиваль «Ника»", ceremony_year=1981)
    html = client.get("/films/moscow-tears/").text
    assert ' lang="ru">Кинофестиваль «Ника», 1981</a></h3>' in html


def test_an_english_ceremony_name_is_marked_english_on_the_russian_film_page(client, film):
    AwardFactory(film=film, ceremony_name="53rd Academy Awards", ceremony_year=1981)
    html = client.get("/ru/films/moscow-tears/").text
    assert ' lang="en">53rd Academy Awards, 1981</a></h3>' in html


def test_a_ceremony_named_by_a_translated_organisation_carries_no_lang(client, film):
    organisation = OrganisationFactory(name_en="Nika Awards", name_ru="Ника")
    AwardFactory(film=film, organisation=organisation, ceremony_year=1981)
    html = client.get("/ru/films/moscow-tears/").text
    assert f'<h3><a href="{organisation.get_awards_url()}">Ника 1981</a></h3>' in html


def test_an_english_note_quoting_russian_is_marked_english_on_a_russian_page(client, film):
    AwardFactory(film=film, nominee_note="The whole crew of the film «Гараж»")
    html = client.get("/ru/films/moscow-tears/").text
    assert '<span lang="en">The whole crew of the film «Гараж»</span>' in html


def test_a_country_named_as_nominee_reads_in_the_pages_language(client, film):
    soviet_union = CountryFactory(code="SU", name_en="Soviet Union", name_ru="СССР")
    AwardFactory(film=film, nominee_country=soviet_union, category="Best Foreign Language Film")

    russian = client.get("/ru/films/moscow-tears/").text
    english = client.get("/films/moscow-tears/").text

    assert "Best Foreign Language Film</span> — СССР" in russian
    assert "Soviet Union" not in russian
    assert "Best Foreign Language Film — Soviet Union" in english
    assert "(СССР)" in client.get("/ru/awards/").text
