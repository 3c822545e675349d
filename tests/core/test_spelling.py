"""core/spelling.py: romanization, the folded search keys that make spellings meet, title keys
and the typo distance."""

import pytest

from core.spelling import (
    canonical_title,
    edit_distance,
    make_slug,
    normalize,
    romanize,
    search_key,
    spell_out_contractions,
    without_article,
)


def test_romanize_writes_the_everyday_spelling():
    text = "Утомлённые солнцем, Андрей Рублёв, Щит, Подъезд, Ёжик"
    assert romanize(text) == "Utomlyonnye solntsem, Andrey Rublyov, Shchit, Podezd, Yozhik"


def test_romanize_keeps_what_is_not_cyrillic():
    assert romanize("Брат 2 (Brother 2)!") == "Brat 2 (Brother 2)!"


def test_everyday_romanization_can_write_yo_as_e():
    assert romanize("Рублёв", yo="e") == "Rublev"


def test_slugs_are_the_everyday_spelling():
    assert make_slug("Москва слезам не верит") == "moskva-slezam-ne-verit"
    assert make_slug("Ёжик в тумане") == "yozhik-v-tumane"


@pytest.mark.parametrize(
    "text", ["Утомлённые солнцем", "Утомленные солнцем", "Utomlyonnye solntsem"]
)
def test_normalize_is_lower_case_latin_with_yo_as_e(text):
    assert normalize(text).startswith("utoml")
    assert normalize("Утомлённые солнцем") == "utomlennye solntsem"


def test_normalize_drops_accents_punctuation_and_joins_apostrophes():
    assert normalize("Kin-dza-dza!") == "kin dza dza"
    assert normalize("Amélie, Ivan’s Childhood; Men'shov") == "amelie ivans childhood menshov"
    assert normalize("Miloš", iso9_letters=False) == "milos"
    assert normalize("Miloš") == "milosh"


@pytest.mark.parametrize(
    "spellings",
    [
        # Cyrillic, everyday, BGN/PCGN, ISO 9 and ISO 9 with plain digraphs
        [
            "Ирония судьбы, или С лёгким паром!",
            "Ironiya sudby, ili S lyogkim parom!",
            "Ironiya sudʹby, ili S lëgkim parom!",
            "Ironiâ sudʹby, ili S lëgkim parom!",
            "Ironija sudby, ili S ljogkim parom!",
        ],
        [
            "Утомлённые солнцем",
            "Utomlyonnye solntsem",
            "Utomlënnyye solntsem",
            "Utomlënnye solncem",
            "Utomljonnye solncem",
        ],
        ["Андрей Рублёв", "Andrey Rublyov", "Andrey Rublëv", "Andrej Rublëv", "Andrej Rubljov"],
        ["Ёжик в тумане", "Yozhik v tumane", "Yëzhik v tumane", "Ëžik v tumane", "Jozhik v tumane"],
        ["Щит и меч", "Shchit i mech", "Ŝit i meč"],
        ["Подъезд", "Podezd", "Podʺyezd", "Podʺezd"],
        [
            "Белое солнце пустыни",
            "Beloe solntse pustyni",
            "Beloye solntse pustyni",
            "Beloe solnce pustyni",
        ],
        [
            "Хрусталёв, машину!",
            "Khrustalyov, mashinu!",
            "Khrustalëv, mashinu!",
            "Hrustalëv, mašinu!",
            "Hrustaljov, mashinu!",
        ],
        ["Тарковский", "Tarkovsky", "Tarkovskiy", "Tarkovskij", "Tarkovskii", "Tarkowski"],
        ["Меньшов", "Menshov", "Men'shov", "Menʹshov"],
        ["Хрущёв", "Khrushchev", "Khrushchyov", "Hrushhev", "Hrushchev"],
        ["Андрей", "Andrey", "Andrei", "Andrej"],
        ["Достоевский", "Dostoyevsky", "Dostoevsky", "Dostoevskii", "Dostojevskij"],
        ["Ирония судьбы", "Ironiya sudby", "Ironija sud'by", "Ironiâ sudʹby"],
        ["Цой", "Tsoy", "Tsoi", "Czoj", "Coj"],
        ["Щука", "Shchuka", "Schuka", "Ŝuka"],
    ],
    ids=lambda spellings: spellings[0],
)
def test_spellings_of_one_name_share_one_search_key(spellings):
    assert len({search_key(spelling) for spelling in spellings}) == 1, {
        spelling: search_key(spelling) for spelling in spellings
    }


def test_search_key_expands_english_contractions():
    assert search_key("doesn't") == search_key("doesnt") == "does not"


def test_contraction_endings_are_spelled_out_only_with_their_apostrophe():
    assert spell_out_contractions("We’re Mustn't You'll") == "We are Must not You will"
    assert spell_out_contractions("Were Well Ill") == "Were Well Ill"


def test_a_russian_soft_sign_is_not_a_contraction():
    assert spell_out_contractions("Podʺm Sanʹt") == "Podʺm Sanʹt"


def test_canonical_title_spells_out_contractions_and_ampersands():
    assert canonical_title("Can't & Won’t") == canonical_title("Cannot and Will Not")


@pytest.mark.parametrize(
    ("title", "key"),
    [("Rocky IV", "rocky 4"), ("Brother II", "brother 2"), ("Part V", "part 5")],
)
def test_canonical_title_reads_roman_numerals_as_arabic(title, key):
    assert canonical_title(title) == key


def test_v_and_x_are_numerals_only_at_the_end_of_a_title():
    assert canonical_title("Ya v Moskve") == "ya v moskve"
    assert canonical_title("Malcolm X") == "malcolm 10"


def test_without_article_drops_only_a_leading_article():
    assert without_article("the irony of fate") == "irony of fate"
    assert without_article("an") == "an"
    assert without_article("irony of the fate") == "irony of the fate"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("tarkovsky", "tarkovsky", 0),
        ("tarkovsky", "tarkovky", 1),  # a letter left out
        ("tarkovsky", "tarkvosky", 1),  # two neighbours swapped count once
        ("tarkovsky", "trakvosky", 2),
        ("ca", "abc", 3),  # a swapped pair is not edited again (not 2, as unrestricted DL)
    ],
)
def test_edit_distance_counts_a_swap_of_neighbours_once(a, b, distance):
    assert edit_distance(a, b, limit=3) == distance


def test_edit_distance_stops_just_past_the_limit():
    assert edit_distance("tarkovsky", "menshov", limit=2) == 3
