"""generate_catalogue: a realistic synthetic catalogue, written in bulk, the same for a seed."""

import re

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import (
    Award,
    Country,
    Credit,
    CreditRole,
    Film,
    FilmLocation,
    FilmTitle,
    Genre,
    LocationKind,
    Organisation,
    Person,
    Place,
    Source,
)
from core import text_search as search
from discovery.search import search as site_search
from lists.models import CuratedList, CuratedListEntry

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
FILMS = 120
LISTS = 3


def generate(seed=7, films=FILMS, lists=LISTS):
    call_command("generate_catalogue", films=films, seed=seed, lists=lists, no_progress=True)


def snapshot():
    """Everything generated, keyed by natural values (slugs), never by primary keys."""
    films = Film.objects.prefetch_related(
        "titles", "credits__person", "countries", "genres", "studios", "locations__place"
    ).order_by("slug")
    return {
        "films": [
            (
                film.slug,
                film.title,
                film.original_title,
                film.release_year,
                film.release_date,
                film.search_text,
                sorted((t.title, t.kind) for t in film.titles.all()),
                sorted(
                    (c.person.slug, c.role, c.character, c.billing_order or 0)
                    for c in film.credits.all()
                ),
                sorted(country.code for country in film.countries.all()),
                sorted(genre.slug for genre in film.genres.all()),
                sorted(studio.slug for studio in film.studios.all()),
                sorted((loc.place.slug, loc.kind, loc.period) for loc in film.locations.all()),
            )
            for film in films
        ],
        "people": list(Person.objects.order_by("slug").values_list("slug", "native_name")),
        "awards": sorted(
            Award.objects.values_list("organisation__slug", "category", "film__slug", "outcome")
        ),
        "lists": [
            (
                curated_list.slug,
                curated_list.published_at,
                list(curated_list.entries.order_by("position").values_list("film__slug")),
            )
            for curated_list in CuratedList.objects.order_by("slug")
        ],
    }


def delete_catalogue():
    for model in (CuratedListEntry, CuratedList, Award, Credit, FilmLocation, FilmTitle, Film):
        model.objects.all().delete()
    for model in (Person, Place, Organisation, Genre, Country, Source):
        model.objects.all().delete()


def test_generates_the_requested_films_with_people_titles_places_and_awards():
    generate()

    assert Film.objects.count() == FILMS
    assert Person.objects.count() >= 50
    assert Award.objects.exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.STUDIO).exists()
    assert FilmLocation.objects.filter(kind=LocationKind.SETTING).count() == FILMS
    assert FilmLocation.objects.filter(kind=LocationKind.FILMING).exists()
    assert Place.objects.exclude(native_name="").exists()


def test_every_film_has_a_director_and_titles_in_cyrillic_and_latin():
    generate()

    films_without_director = Film.objects.exclude(credits__role=CreditRole.DIRECTOR)
    assert not films_without_director.exists()
    for film in Film.objects.prefetch_related("titles"):
        assert CYRILLIC.search(film.original_title), film.original_title
        latin_titles = [t.title for t in film.titles.all() if not CYRILLIC.search(t.title)]
        assert film.title in latin_titles
        assert film.romanized_title in latin_titles


def test_people_have_latin_and_cyrillic_names():
    generate()

    person = Person.objects.order_by("pk").first()
    assert CYRILLIC.search(person.native_name)
    assert not CYRILLIC.search(person.name)
    # The Latin name is the Cyrillic one transliterated, so either script finds the person.
    assert search.search_key(person.name) == search.search_key(person.native_name)


def test_lists_are_published_with_10_to_100_contiguous_entries():
    generate()

    assert CuratedList.objects.published().count() == LISTS
    for curated_list in CuratedList.objects.all():
        positions = list(curated_list.entries.values_list("position", flat=True))
        assert 10 <= len(positions) <= 100
        assert sorted(positions) == list(range(1, len(positions) + 1))


def same_words(text):
    # Names within a section follow each database's NULL ordering of billing; search
    # matches words, so compare each section's words.
    return [sorted(section.split()) for section in text.split(search.SECTION_SEPARATOR)]


def test_search_text_matches_what_the_signals_would_store():
    generate()

    films = Film.objects.prefetch_related("titles", "credits__person")
    for film in films:
        assert same_words(film.search_text) == same_words(film.compose_search_text())
    for person in Person.objects.all():
        assert person.search_text == person.compose_search_text()
    for curated_list in CuratedList.objects.all():
        assert curated_list.search_text == curated_list.compose_search_text()


def test_generated_films_are_found_by_the_search_service():
    generate()
    film = Film.objects.order_by("pk").first()

    results = site_search(film.original_title, limit=FILMS)

    assert film in results.films


def test_the_same_seed_gives_the_same_catalogue():
    generate(seed=11)
    first = snapshot()
    delete_catalogue()

    generate(seed=11)

    assert snapshot() == first


def test_a_different_seed_gives_a_different_catalogue():
    generate(seed=11)
    first = snapshot()
    delete_catalogue()

    generate(seed=12)

    assert snapshot()["films"] != first["films"]


def test_refuses_to_generate_twice_into_the_same_database():
    generate()

    with pytest.raises(CommandError, match="already holds a generated catalogue"):
        generate()
    assert Film.objects.count() == FILMS


def test_refuses_too_few_films_for_lists():
    with pytest.raises(CommandError, match="at least 100"):
        generate(films=10)
    assert not Film.objects.exists()
