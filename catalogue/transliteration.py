"""Cyrillic to Latin transliteration used for slugs (and, later, search keys)."""

from django.utils.text import slugify

# BGN/PCGN-style everyday romanization: ё→yo, й→y, х→kh, ц→ts, щ→shch, ь/ъ dropped.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip


def romanize(text):
    """Return `text` with Cyrillic letters spelled in Latin (lower-cased where replaced)."""
    return "".join(CYRILLIC_TO_LATIN.get(char.lower(), char) for char in text)


def make_slug(text, max_length=120):
    """A kebab-case ASCII slug for any title or name, Cyrillic included."""
    return slugify(romanize(text))[:max_length].strip("-")
