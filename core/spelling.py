"""Transliteration between Cyrillic and Latin script, both ways, in the common schemes.

`romanize` spells Cyrillic in Latin letters (slugs use the everyday scheme, search keys the
same with ё → e); `cyrillize` reads Latin spellings back into Cyrillic, exactly for ISO 9
and by the usual conventions for the everyday and BGN/PCGN forms.

Schemes:
- "everyday": what people type and what slugs use (ё→yo, й→y, х→kh, ц→ts, щ→shch, ы→y,
  ь and ъ dropped).
- "bgn": BGN/PCGN 1947 (е→ye and ё→yë at the start of a word and after a vowel, й or a
  sign, else e/ë; ь→ʹ, ъ→ʺ).
- "iso9": ISO 9:1995, one Latin letter per Cyrillic letter, with diacritics (ж→ž, ч→č,
  ш→š, щ→ŝ, ю→û, я→â, х→h, ц→c, й→j); reversible.
- "iso9_simple": ISO 9 with its diacritic letters spelled plainly, as scholars and many
  library catalogues write it (ж→zh, ч→ch, ш→sh, щ→shch, ю→ju, я→ja, ё→jo, й→j, х→h, ц→c,
  ь and ъ dropped).
"""

from django.utils.text import slugify

_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

_EVERYDAY = dict(
    zip(
        _RUSSIAN,
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
_EVERYDAY.update({"ъ": "", "ь": "", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w"})

_BGN = {**_EVERYDAY, "ё": "ë", "ъ": "ʺ", "ь": "ʹ"}

_ISO9 = dict(
    zip(
        _RUSSIAN,
        "a b v g d e ë ž z i j k l m n o p r s t u f h c č š ŝ ʺ y ʹ è û â".split(),
        strict=True,
    )
)
_ISO9.update({"і": "ì", "ї": "ï", "є": "ê", "ґ": "g̀", "ў": "ŭ"})

_ISO9_SIMPLE = {
    **_ISO9,
    "ё": "jo", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "э": "e",
    "ю": "ju", "я": "ja", "і": "i", "ї": "ji", "є": "je", "ґ": "g", "ў": "w",
}  # fmt: skip

SCHEMES = {"everyday": _EVERYDAY, "bgn": _BGN, "iso9": _ISO9, "iso9_simple": _ISO9_SIMPLE}

# Kept under its old name: code outside this module imported the everyday table.
CYRILLIC_TO_LATIN = _EVERYDAY

_VOWELS = set("аеёиоуыэюяіїє")
# BGN/PCGN writes е and ё with a y where they are iotated: word-initially and after these.
_BGN_IOTATING = _VOWELS | set("йъь")


def _with_case(latin, original):
    """`latin` capitalized like the Cyrillic letter it replaces ("Щ" → "Shch")."""
    if original.isupper() and latin:
        return latin[0].upper() + latin[1:]
    return latin


def romanize(text, scheme="everyday", *, yo="yo"):
    """`text` with Cyrillic letters spelled in Latin in `scheme`; other characters unchanged.

    `yo` is the everyday spelling of ё ("yo", or "e" as most Russian text writes it).
    """
    table = SCHEMES[scheme]
    if scheme == "everyday" and yo != "yo":
        table = {**table, "ё": yo}
    out = []
    previous = ""
    for char in text:
        lower = char.lower()
        latin = table.get(lower)
        if latin is None:
            out.append(char)
        else:
            if (
                scheme == "bgn"
                and lower in "её"
                and (not previous.isalpha() or previous in _BGN_IOTATING)
            ):
                latin = "y" + latin
            out.append(_with_case(latin, char))
        previous = lower
    return "".join(out)


def make_slug(text, max_length=120):
    """A kebab-case ASCII slug for any title or name, Cyrillic included."""
    return slugify(romanize(text))[:max_length].strip("-")


# --- Latin to Cyrillic -------------------------------------------------------------------

_FROM_ISO9 = {latin: cyrillic for cyrillic, latin in _ISO9.items() if cyrillic in _RUSSIAN}

# Longest spellings first, so "shch" wins over "sh" + "ch", and "kh" over "k" + "h".
_FROM_LATIN = {
    "shch": "щ", "sch": "щ", "shh": "щ",
    "zh": "ж", "kh": "х", "ts": "ц", "tz": "ц", "cz": "ц", "ch": "ч", "sh": "ш",
    "yu": "ю", "ju": "ю", "ya": "я", "ja": "я", "yo": "ё", "jo": "ё", "ye": "е", "je": "е",
    "yë": "ё",
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
    "j": "й", "k": "к", "q": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
    "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "c": "ц", "x": "кс", "y": "ы",
    # Diacritic letters of ISO 9 and BGN/PCGN, and the soft and hard signs.
    "ž": "ж", "č": "ч", "š": "ш", "ŝ": "щ", "û": "ю", "â": "я", "ë": "ё", "è": "э",
    "ʹ": "ь", "'": "ь", "’": "ь", "ʺ": "ъ", '"': "ъ",
}  # fmt: skip
_LATIN_VOWELS = set("aeiouyëèûâ")
_LATIN_CONSONANTS = set("bcdfghjklmnpqrstvwxzžčšŝ")


def cyrillize(text, scheme=None):
    """`text` with Latin letters read back as Cyrillic.

    With scheme="iso9" the reading is exact (ISO 9 is one letter for one letter). Otherwise
    any of the everyday, BGN/PCGN and simplified ISO 9 spellings is accepted, with their
    usual conventions: a final "ky", "gy" or "hy" is "-кий" (Tarkovsky), a "y" or "i" after a
    vowel at the end of a word or before a consonant is "й" (Andrei), "ye" after a consonant is
    "ые", a word-initial "e" is "э". Soft signs that were dropped cannot come back.
    """
    if scheme == "iso9":
        return "".join(
            _with_case(_FROM_ISO9.get(char.lower(), char), char) if char.isalpha() else char
            for char in text
        )
    out = []
    lower = text.lower()
    index = 0
    while index < len(text):
        for size in (4, 3, 2, 1):
            chunk = lower[index : index + size]
            if len(chunk) == size and chunk in _FROM_LATIN:
                break
        else:
            out.append(text[index])
            index += 1
            continue
        cyrillic = _FROM_LATIN[chunk]
        before = lower[index - 1] if index else ""
        after = lower[index + size] if index + size < len(lower) else ""
        word_end = not after.isalpha()
        after_vowel = before in _LATIN_VOWELS
        if chunk == "y" and word_end and before in "kgh":
            cyrillic = "ий"
        elif chunk in ("y", "i") and after_vowel and (word_end or after not in _LATIN_VOWELS):
            cyrillic = "й"
        elif chunk == "ye" and before in _LATIN_CONSONANTS:
            cyrillic = "ые"
        elif chunk == "e" and not before.isalpha() and before not in ("'", "’"):
            cyrillic = "э"
        out.append(_with_case(cyrillic, text[index]))
        index += size
    return "".join(out)
