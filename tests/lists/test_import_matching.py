"""Matching list entries to catalogue films by every title a film is known by."""

import pytest

from catalogue.models import FilmTitle
from core.spelling import canonical_title
from lists.importing.matching import FilmMatcher, MatchOutcome, Tier, title_keys
from tests.factories import FilmFactory, FilmTitleFactory

pytestmark = pytest.mark.django_db


def match(title, year, romanized=""):
    return FilmMatcher({year}).match(title, year, romanized)


def test_contraction_matches_the_spelled_out_title():
    film = FilmFactory(title="Moscow Does Not Believe in Tears", release_year=1980)

    result = match("Moscow Doesn't Believe in Tears", 1980)

    assert result.film == film
    assert result.confidence == 1.0


def test_curly_apostrophe_contraction_matches_too():
    assert canonical_title("Moscow Doesn’t Believe in Tears") == canonical_title(
        "Moscow Does Not Believe in Tears"
    )


def test_short_title_matches_the_full_title_without_article_and_subtitle():
    film = FilmFactory(title="The Irony of Fate, or Enjoy Your Bath!", release_year=1975)

    result = match("Irony of Fate", 1975)

    assert result.film == film
    assert result.confidence == 0.85
    assert "subtitle ignored" in result.reason


def test_year_may_differ_by_one_and_lowers_the_confidence():
    film = FilmFactory(title="The Irony of Fate, or Enjoy Your Bath!", release_year=1975)

    result = match("Irony of Fate", 1976)

    assert result.film == film
    assert result.confidence == 0.75
    assert "differs by one" in result.reason


def test_year_two_apart_is_another_film():
    FilmFactory(title="Solaris", release_year=1972)

    assert match("Solaris", 1974).outcome == MatchOutcome.NEW


def test_leading_article_is_ignored():
    film = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    result = match("Cranes Are Flying", 1957)

    assert (result.film, result.confidence) == (film, 0.95)


def test_sequel_number_must_match_exactly():
    brother = FilmFactory(title="Brother", release_year=1997)
    brother_2 = FilmFactory(title="Brother 2", release_year=2000)

    assert match("Brother 2", 2000).film == brother_2
    assert match("Brother", 1997).film == brother
    assert match("Brother 3", 2000).outcome == MatchOutcome.NEW
    assert match("Brother", 1999).outcome == MatchOutcome.NEW


def test_roman_and_arabic_sequel_numbers_are_the_same_number():
    rocky = FilmFactory(title="Rocky IV", release_year=1985)

    assert match("Rocky 4", 1985).film == rocky
    assert match("Rocky III", 1985).outcome == MatchOutcome.NEW


def test_singular_and_plural_titles_are_different_films():
    FilmFactory(title="The Musicians", release_year=1988)

    assert match("The Musician", 1988).outcome == MatchOutcome.NEW


def test_two_different_subtitles_of_one_main_title_are_different_films():
    FilmFactory(title="Beethoven - Symphony of Life", release_year=1976)

    assert match("Beethoven - Days in a Life", 1976).outcome == MatchOutcome.NEW


def test_romanized_entry_matches_the_films_cyrillic_original_title():
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        release_year=1980,
    )

    result = match("Moskva slezam ne verit", 1980)

    assert result.film == film
    assert "original title" in result.reason


def test_bracketed_romanized_title_is_matched_when_the_english_title_differs():
    film = FilmFactory(title="The Mermaid", romanized_title="Rusalka", release_year=2007)

    result = match("Mermaid of Moscow", 2007, romanized="Rusalka")

    assert result.film == film
    assert "romanized title" in result.reason


def test_another_romanization_matches_with_lower_confidence():
    film = FilmFactory(title="Andrei Rublev", release_year=1966)

    result = match("Andrey Rublyóv", 1966)

    assert result.film == film
    assert result.confidence == 0.75
    assert "romanization" in result.reason


def test_alternative_title_rows_are_matched():
    film = FilmFactory(title="Ya shagayu po Moskve", release_year=1964)
    FilmTitleFactory(film=film, title="Walking the Streets of Moscow", kind=FilmTitle.Kind.ENGLISH)

    result = match("Walking the Streets of Moscow", 1964)

    assert result.film == film
    assert "english title" in result.reason


def test_two_films_with_the_same_title_are_ambiguous_and_not_guessed():
    first = FilmFactory(title="Brother", release_year=1997)
    second = FilmFactory(title="Brother", slug="brother-1998", release_year=1998)

    result = match("Brother", 1997)

    assert result.outcome == MatchOutcome.AMBIGUOUS
    assert result.film is None
    assert set(result.candidates) == {first, second}
    assert "brother-1998" in result.reason


def test_a_stricter_title_match_wins_over_a_spelling_variant():
    exact = FilmFactory(title="Andrey Rublyov", release_year=1966)
    FilmFactory(title="Andrei Rublev", release_year=1966)

    assert match("Andrey Rublyov", 1966).film == exact


def test_title_keys_reach_every_tier_for_a_subtitled_title():
    keys = title_keys("The Irony of Fate, or Enjoy Your Bath!")

    assert keys["the irony of fate or enjoy your bath"] == Tier.EXACT
    assert keys["irony of fate or enjoy your bath"] == Tier.ARTICLE
    assert keys["irony of fate"] == Tier.MAIN_TITLE
    assert keys["ironi of fate or enei eur bath"] == Tier.SPELLING


def test_matcher_loads_the_catalogue_in_two_queries_however_many_films(
    django_assert_num_queries,
):
    for number in range(30):
        film = FilmFactory(release_year=1970 + number % 5)
        FilmTitleFactory(film=film)

    # 1: films of the document's years (±1); 2: their alternative titles.
    with django_assert_num_queries(2):
        matcher = FilmMatcher({1971, 1973})
        matcher.match("Nothing like this", 1971)
