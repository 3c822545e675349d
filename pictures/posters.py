"""Typographic posters for films and people that have no picture, so no card looks empty.

They are SVG: a poster is about a kilobyte, sharp at every screen density, and its words stay
text. An SVG shown through <img> runs no script and loads nothing, and every value written
into it is XML-escaped. Its words follow the page's language: a Russian reader gets the
original title and the directors' native names first (core.languages.names_in_reading_order).
Each poster is made once: its name is the hash of its content (title, original title, year,
directors, colour, language), so a change to the film makes a new poster, each language has
its own, and an unchanged film is never drawn twice. Whether a name is stored is remembered
in the cache, so a page of cards asks the storage nothing once the posters exist.
"""

import hashlib
import textwrap
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from core.cache import CACHE_ERRORS

WIDTH, HEIGHT = 400, 600
# A colour for each decade (background, ink): the palette of the period's posters.
DECADE_COLOURS = {
    1890: ("#5b4636", "#f3e9d2"),
    1900: ("#6b5344", "#f3e9d2"),
    1910: ("#4a3b52", "#f1e4c6"),
    1920: ("#b3261e", "#f6efe2"),  # constructivist red
    1930: ("#2f4858", "#f2e8cf"),
    1940: ("#4b5320", "#efe6cf"),
    1950: ("#1d5c63", "#f4ecd8"),
    1960: ("#c8553d", "#fbf5e9"),
    1970: ("#8c5e19", "#fff4dc"),
    1980: ("#2b2d42", "#edf2f4"),
    1990: ("#3d405b", "#f4f1de"),
    2000: ("#264653", "#e9f5f2"),
}
DEFAULT_COLOURS = ("#333333", "#f5f5f5")
CACHE_PREFIX = "pictures:generated:"
TITLE_LINE_CHARACTERS = 16
TITLE_MAX_LINES = 5


@dataclass(frozen=True)
class GeneratedPoster:
    """A stored generated poster: where it is and how large it is drawn."""

    name: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def url(self):
        return default_storage.url(self.name)


def decade_colours(year):
    if not year:
        return DEFAULT_COLOURS
    return DECADE_COLOURS.get(year - year % 10, DEFAULT_COLOURS)


def film_poster_svg(film, director_names, language="en"):
    """The SVG text of a film's typographic poster for a reader of `language`: the leading
    title large, the other one under it, each marked with its language when it differs."""
    background, ink = decade_colours(film.release_year)
    leading, *others = film.names_in(language)
    lines = _wrap(leading.text, TITLE_LINE_CHARACTERS, TITLE_MAX_LINES)
    parts = [
        _frame(background, ink),
        _text(40, 92, str(film.release_year), ink, size=44, weight="bold"),
    ]
    top = 300 - len(lines) * 22
    for index, line in enumerate(lines):
        parts.append(
            _text(40, top + index * 44, line, ink, 38, "bold", extra=_lang(leading, language))
        )
    for second in others[:1]:
        for index, line in enumerate(_wrap(second.text, 24, 2)):
            y = top + len(lines) * 44 + 16 + index * 28
            parts.append(_text(40, y, line, ink, 22, extra=_lang(second, language)))
    if director_names:
        directors = _wrap(", ".join(director_names), 30, 2)
        for index, line in enumerate(directors):
            parts.append(_text(40, 520 + index * 26, line, ink, size=20))
    return _svg(parts, leading.text, language)


def person_portrait_svg(person, language="en"):
    """The SVG text of a person's typographic portrait: initials, name and years, the name
    a reader of `language` knows first."""
    background, ink = DEFAULT_COLOURS[0], DEFAULT_COLOURS[1]
    name = person.names_in(language)[0]
    initials = "".join(word[0] for word in name.text.split()[:3] if word).upper()
    years = "–".join(str(year) for year in (person.birth_year, person.death_year) if year)
    lang = _lang(name, language)
    parts = [
        _frame(background, ink),
        _text(200, 300, initials, ink, 120, "bold", anchor="middle", extra=lang),
    ]
    for index, line in enumerate(_wrap(name.text, 24, 2)):
        parts.append(_text(200, 420 + index * 30, line, ink, 24, anchor="middle", extra=lang))
    if years:
        parts.append(_text(200, 500, years, ink, size=20, anchor="middle"))
    return _svg(parts, name.text, language)


def poster_language():
    """The language of the page being drawn for: its posters' words follow it."""
    return (translation.get_language() or "en").split("-")[0]


def generated_film_poster(film, language=None):
    """The stored typographic poster of `film` for a reader of `language` (the active one by
    default), made now if it does not exist. Uses the film's `director_credits` when
    prefetched (cards and pages have them)."""
    language = language or poster_language()
    credits = getattr(film, "director_credits", None) or []
    names = [credit.person.names_in(language)[0].text for credit in credits]
    return _stored("films", film_poster_svg(film, names, language))


def generated_portrait(person, language=None):
    """The stored typographic portrait of `person`, made now if it does not exist."""
    language = language or poster_language()
    return _stored("people", person_portrait_svg(person, language))


def _lang(name, language):
    """The `lang` attribute of a name written in another language than the poster's."""
    if not name.language or name.language == language:
        return ""
    return f' lang="{escape(name.language)}"'


# Generated files this process has seen stored, by storage, and until when it believes it: a
# page of 100 cards asks for 100 posters on every render, and a poster named by its content
# never changes once stored. For a minute only: a media folder or bucket emptied behind its
# back gets its posters made again, as the shared cache's flag (cleared) would have it.
KNOWN_HERE_SECONDS = 60
_KNOWN_HERE_MAX = 20_000
_known_here = {}


def _storage_identity():
    return (
        getattr(default_storage, "bucket_name", None),
        str(getattr(default_storage, "location", "")),
    )


def _stored(folder, svg):
    digest = hashlib.sha256(svg.encode()).hexdigest()[:24]
    name = f"pictures/generated/{folder}/{digest}.svg"
    here = (_storage_identity(), name)
    if _known_here.get(here, 0) > time.monotonic():
        return GeneratedPoster(name)
    # Shared by the processes that use the same storage, not by another deploy's.
    flag = CACHE_PREFIX + hashlib.sha256(repr(here).encode()).hexdigest()[:32]
    try:
        known = cache.get(flag)
    except CACHE_ERRORS:  # the cache only saves a storage lookup: do without it
        known = False
    if not known:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(svg.encode()))
        try:
            cache.set(flag, True, timeout=None)
        except CACHE_ERRORS:
            pass
    if len(_known_here) >= _KNOWN_HERE_MAX:
        _known_here.clear()
    _known_here[here] = time.monotonic() + KNOWN_HERE_SECONDS
    return GeneratedPoster(name)


def _wrap(text, width, max_lines):
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _frame(background, ink):
    return (
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>'
        f'<rect x="16" y="16" width="{WIDTH - 32}" height="{HEIGHT - 32}" fill="none" '
        f'stroke="{ink}" stroke-width="3"/>'
    )


def _text(x, y, content, ink, size, weight="normal", anchor="start", extra=""):
    return (
        f'<text x="{x}" y="{y}" fill="{ink}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}"{extra}>{escape(content)}</text>'
    )


def _svg(parts, title, language):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" lang="{escape(language)}" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f"font-family=\"Georgia, 'Times New Roman', serif\">"
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
