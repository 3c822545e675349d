"""core.languages.text_language: the language of a fragment goes by most of its letters."""

import pytest

from core.languages import text_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Москва слезам не верит", "ru"),
        ("Stalker", "en"),
        ("Known in Russia as «Москва слезам не верит», it won the Oscar.", "en"),
        ("Снят на «Мосфильме» (Mosfilm) в 1979 году", "ru"),
        ("1979", "en"),
    ],
)
def test_a_fragment_is_in_the_language_of_most_of_its_letters(text, language):
    assert text_language(text) == language


def test_a_language_given_wins_over_the_letters():
    assert text_language("Stalker", "ru") == "ru"
