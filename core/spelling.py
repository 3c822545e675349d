"""Kinoteka's one spelling module: how a title or a name is written in Latin letters, and
which spellings of it are the same.

It owns transliteration (Cyrillic → Latin), the normal form of text (case, accents,
punctuation, ISO 9 letters), the folding of romanization variants, the one table of English
contractions, leading articles, Roman numerals, and the typo distance. Who reads it: slugs
(`make_slug`) in core's slugged models, which catalogue builds on; the search key
(`search_key`, `edit_distance`) in core/text_search.py; the list importer's matcher in lists
(`canonical_title`, `without_article`, `fold_spelling`).

Hand-written here is only what no library does the way Kinoteka needs: the everyday
romanization and the folded search key. The typo distance is rapidfuzz's.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.text import slugify
from rapidfuzz.distance import OSA

# --- Cyrillic to Latin -------------------------------------------------------------------

# The everyday spelling, what people type and every slug was made with: ё→yo, й→y, х→kh,
# ц→ts, щ→shch, ы→y, ь and ъ dropped. No library spells so (unidecode writes я as "ia" and
# й as "i"; iuliia's schemes have "Podyezd", "Tarkovsky" or "Schit"), and another spelling
# would give new rows slugs unlike the old ones.
_CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
_CYRILLIC_TO_LATIN.update({"ъ": "", "ь": "", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w"})


@lru_cache(maxsize=4)
def _romanization(yo):
    """The str.translate table, capitals capitalized ("Щ" → "Shch"), with ё spelled `yo`."""
    table = {**_CYRILLIC_TO_LATIN, "ё": yo}
    return {
        **{ord(cyrillic): latin for cyrillic, latin in table.items()},
        **{ord(cyrillic.upper()): latin.capitalize() for cyrillic, latin in table.items()},
    }


_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")


def has_cyrillic(text):
    """Whether `text` holds a Cyrillic letter (a Russian title inside English prose)."""
    return bool(text) and _CYRILLIC_LETTER.search(str(text)) is not None


def mostly_cyrillic(text):
    """Whether most of the letters of `text` are Cyrillic: an English note quoting a Russian
    title is still English, a Russian one naming "Mosfilm" still Russian."""
    return _mostly_cyrillic(str(text or ""))


# Pages ask again and again about the same names (every facet option, every card's title).
@lru_cache(maxsize=16_384)
def _mostly_cyrillic(text):
    letters = [character for character in text if character.isalpha()]
    cyrillic = sum(1 for letter in letters if _CYRILLIC_LETTER.match(letter))
    return cyrillic * 2 > len(letters)


def romanize(text, *, yo="yo"):
    """`text` with Cyrillic letters spelled in Latin; other characters unchanged.

    `yo` is the spelling of ё ("yo", or "e" as most Russian text writes it).
    """
    return text.translate(_romanization(yo))


def make_slug(text, max_length=120):
    """A kebab-case ASCII slug for any title or name, Cyrillic included."""
    return slugify(romanize(text))[:max_length].strip("-")


# --- The normal form ---------------------------------------------------------------------

# Apostrophes join (Men'shov, doesn't, Ivan's); other punctuation separates words.
_APOSTROPHES = re.compile("['’`´ʹʺʼ\"]")
# ISO 9 and scholarly letters, read as the everyday spellings of the same Cyrillic letters.
_ISO9_LETTERS = str.maketrans({"ž": "zh", "č": "ch", "š": "sh", "ŝ": "shch", "û": "yu", "â": "ya"})
_WORD = re.compile(r"[a-z0-9]+")
_MAX_TEXT = 20_000


def normalize(text, *, iso9_letters=True):
    """Lower-case, accent-free, Latin-script, punctuation-free words separated by one space.

    Cyrillic is romanized (ё → e); ISO 9 letters (ž, č, š, ŝ, û, â) become zh, ch, sh, shch,
    yu, ya unless `iso9_letters` is false, when they just lose their accents.
    """
    text = unicodedata.normalize("NFC", str(text or "")[:_MAX_TEXT]).casefold()
    text = _APOSTROPHES.sub("", text)
    if iso9_letters:
        text = text.translate(_ISO9_LETTERS)
    text = unicodedata.normalize("NFKD", romanize(text, yo="e"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_WORD.findall(text))


# --- English contractions ----------------------------------------------------------------

# English contractions spelled out: the one table, for the search and the importer alike.
# Whole words, still unmistakable once the apostrophe is gone ("doesnt", "cannot"): the
# search, which drops apostrophes, spells these out too.
CONTRACTED_WORDS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "ain't": "is not",
    **{
        f"{verb}n't": f"{verb} not"
        for verb in "do does did is are was were could would should has have had".split()
    },
}
# Endings of any word, read only where the apostrophe is written ("mustn't", "we're"):
# without it they are other words ("were", "well", "ill").
CONTRACTED_ENDINGS = {"n't": " not", "'re": " are", "'ll": " will", "'ve": " have", "'m": " am"}

# Not ʹ and ʺ, which write Russian's soft and hard signs (Podʺezd).
_CONTRACTION_APOSTROPHE = re.compile("['’`ʼ]")
_CONTRACTION = re.compile(
    "|".join(
        [rf"\b{word}\b" for word in CONTRACTED_WORDS if "'" in word]
        + [rf"{ending}\b" for ending in CONTRACTED_ENDINGS]
    ).replace("'", _CONTRACTION_APOSTROPHE.pattern),
    re.IGNORECASE,
)
_CONTRACTIONS_WITHOUT_APOSTROPHE = {
    word.replace("'", ""): spelled for word, spelled in CONTRACTED_WORDS.items()
}


def spell_out_contractions(text):
    """`text` with every contraction written with its apostrophe spelled out."""

    def spelled(match):
        contraction = _CONTRACTION_APOSTROPHE.sub("'", match.group().lower())
        return CONTRACTED_WORDS.get(contraction) or CONTRACTED_ENDINGS[contraction]

    return _CONTRACTION.sub(spelled, text)


def _spell_out_words(words):
    """Normalized words with the contractions that lost their apostrophe spelled out."""
    spelled = []
    for word in words:
        spelled += _CONTRACTIONS_WITHOUT_APOSTROPHE.get(word, word).split()
    return spelled


# --- Romanization variants and the search key --------------------------------------------

# Spellings of the same Russian sound folded to one (order matters: longest first, and
# "yo"/"ye" before "y" → "i"; BGN/PCGN's "yye" is everyday "ye", as in Utomlënnyye).
_FOLDS = (
    ("shch", "sh"), ("sch", "sh"), ("shh", "sh"), ("tch", "ch"), ("kh", "h"), ("x", "ks"),
    ("ts", "c"), ("tz", "c"), ("cz", "c"), ("yye", "ye"), ("yo", "e"), ("jo", "e"), ("ye", "e"),
    ("je", "e"), ("w", "v"), ("y", "i"), ("j", "i"),
)  # fmt: skip
# A doubled letter is one (Rossiya/Rosiya, -skii/-ski); pairs only, so "zzzzzz" stays a word.
_REPEATS = re.compile(r"([a-z])\1")


@lru_cache(maxsize=4096)
def fold_word(word):
    """One spelling for the transliteration variants of a word: kh/h, ts/c, y/i/j, shch/sch,
    yo/e, doubled letters, -sky/-skiy/-skij."""
    for spelling, folded in _FOLDS:
        if spelling in word:
            word = word.replace(spelling, folded)
    return _REPEATS.sub(r"\1", word)


def fold_spelling(key):
    """A key of normalized words with each word's romanization variants folded."""
    return " ".join(fold_word(word) for word in key.split())


# Hand-written because it must equal, word for word, what core/text_search.py stores in
# search_text and what the PostgreSQL indexes hold: any change needs a rebuild_search_text.
@lru_cache(maxsize=32768)
def search_key(text, *, iso9_letters=True):
    """The folded key of `text`: what is stored in search_text and what queries are."""
    words = _spell_out_words(normalize(text, iso9_letters=iso9_letters).split())
    return fold_spelling(" ".join(words))


# --- Titles: articles and numerals -------------------------------------------------------

ARTICLES = ("the", "a", "an")
ROMAN_NUMERALS = {
    numeral: str(value)
    for value, numeral in enumerate(
        "ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=2
    )
}
# Single letters are words in romanized Russian ("v" = in): numerals only at a title's end.
_AMBIGUOUS_NUMERALS = {"v", "x"}


def canonical_title(title):
    """A title as normalized words, contractions spelled out, "&" as "and" and Roman
    numerals as Arabic ("Rocky IV" = "Rocky 4"): the importer's strictest key."""
    text = spell_out_contractions(title or "").replace("&", " and ")
    words = _spell_out_words(normalize(text).split())
    last = len(words) - 1
    return " ".join(
        ROMAN_NUMERALS[word]
        if word in ROMAN_NUMERALS and (word not in _AMBIGUOUS_NUMERALS or index == last)
        else word
        for index, word in enumerate(words)
    )


def without_article(key):
    """A key of normalized words without its leading English article."""
    first, _, rest = key.partition(" ")
    return rest if first in ARTICLES and rest else key


# --- Typos -------------------------------------------------------------------------------


def edit_distance(a, b, *, limit):
    """The edits that make `a` into `b`, a swap of neighbours counting as one (optimal string
    alignment, so a swapped pair is not edited again), or limit + 1 when more than `limit`."""
    return OSA.distance(a, b, score_cutoff=limit)
