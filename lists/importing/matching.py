"""Find the catalogue film a list entry names, by every title a film is known by.

A title is reduced to comparison keys of decreasing strictness (tiers):
  0 exact      same words once case, accents, punctuation, script (Cyrillic is romanized by
               core.text_search.normalize), contractions ("doesn't" = "does not"), "&" and
               Roman numerals ("IV" = "4") are set aside;
  1 article    and a leading "The/A/An";
  2 main title and a subtitle after ", or", ":" or " - " on ONE side only
               ("Irony of Fate" = "The Irony of Fate, or Enjoy Your Bath!");
  3 spelling   and romanization variants ("Rublyov" = "Rublev", "Zaschitniki" = "Zashchitniki").
Keys compare for equality only, so "Brother" never matches "Brother 2" and "The Musician" never
matches "The Musicians". The year may differ by one (release vs production year). When two
films tie on the best tier the entry is ambiguous: reported with its candidates, never guessed.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from catalogue.models import Film, FilmTitle
from core.text_search import fold_word, normalize

EXACT, ARTICLE, MAIN_TITLE, SPELLING = range(4)
TIER_NAMES = {
    EXACT: "same title",
    ARTICLE: "same title apart from a leading article",
    MAIN_TITLE: "same main title (subtitle ignored)",
    SPELLING: "same title in another romanization",
}
TIER_CONFIDENCE = {EXACT: 1.0, ARTICLE: 0.95, MAIN_TITLE: 0.85, SPELLING: 0.75}
YEAR_TOLERANCE = 1
YEAR_DIFFERENCE_PENALTY = 0.1

CONTRACTIONS = [
    (re.compile(r"\bcan['’`ʼ]t\b", re.IGNORECASE), "can not"),
    (re.compile(r"\bwon['’`ʼ]t\b", re.IGNORECASE), "will not"),
    (re.compile(r"\bain['’`ʼ]t\b", re.IGNORECASE), "is not"),
    (re.compile(r"n['’`ʼ]t\b", re.IGNORECASE), " not"),
    (re.compile(r"['’`ʼ]re\b", re.IGNORECASE), " are"),
    (re.compile(r"['’`ʼ]ll\b", re.IGNORECASE), " will"),
    (re.compile(r"['’`ʼ]ve\b", re.IGNORECASE), " have"),
    (re.compile(r"['’`ʼ]m\b", re.IGNORECASE), " am"),
]
ARTICLES = ("the", "a", "an")
SUBTITLE_RE = re.compile(r",\s*or\s+|:\s+|\s+[-–—]\s+|\s*\(.*\)\s*$", re.IGNORECASE)
ROMAN_NUMERALS = {
    numeral: str(value)
    for value, numeral in enumerate(
        "ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=2
    )
}
# Single letters are words in romanized Russian ("v" = in): numerals only at a title's end.
AMBIGUOUS_NUMERALS = {"v", "x"}


def canonical_title(title):
    """The exact-tier key: normalized words with contractions expanded and numerals unified."""
    text = title or ""
    for pattern, replacement in CONTRACTIONS:
        text = pattern.sub(replacement, text)
    words = normalize(text.replace("&", " and ")).split()
    keyed = []
    for index, word in enumerate(words):
        if word == "cannot":
            keyed += ["can", "not"]
        elif word in ROMAN_NUMERALS and (word not in AMBIGUOUS_NUMERALS or index == len(words) - 1):
            keyed.append(ROMAN_NUMERALS[word])
        else:
            keyed.append(word)
    return " ".join(keyed)


def _without_article(key):
    first, _, rest = key.partition(" ")
    return rest if first in ARTICLES and rest else key


def fold_spelling(key):
    """Romanization variants of one Cyrillic spelling folded onto one form, word by word."""
    return " ".join(fold_word(word) for word in key.split())


def title_keys(title):
    """{key: tier} for one title string, the strictest tier winning for a repeated key."""
    keys = {}

    def add(key, tier):
        if key and (key not in keys or tier < keys[key]):
            keys[key] = tier

    full = canonical_title(title)
    add(full, EXACT)
    bare = _without_article(full)
    add(bare, ARTICLE)
    main_part = SUBTITLE_RE.split(title or "", maxsplit=1)[0]
    if main_part.strip() and main_part.strip() != (title or "").strip():
        add(_without_article(canonical_title(main_part)), MAIN_TITLE)
    add(fold_spelling(bare), SPELLING)
    return keys


def film_title_variants(film):
    """(label, title) for every title the film is known by; `titles` should be prefetched."""
    variants = [("title", film.title)]
    if film.original_title:
        variants.append(("original title", film.original_title))
    if film.romanized_title:
        variants.append(("romanized title", film.romanized_title))
    variants += [(title.get_kind_display().lower(), title.title) for title in film.titles.all()]
    return variants


@dataclass
class Candidate:
    film: Film
    tier: int
    year_difference: int
    via: str
    matched_title: str

    @property
    def score(self):
        return (self.tier, self.year_difference)


@dataclass
class Match:
    """The outcome for one entry: a film, a new film (film None), or an ambiguity."""

    film: Film | None = None
    confidence: float | None = None
    reason: str = ""
    candidates: list = field(default_factory=list)

    @property
    def outcome(self):
        if self.film is not None:
            return "matched"
        return "ambiguous" if self.candidates else "new"


class FilmMatcher:
    """Matches entries against the films of the years the document names (two queries)."""

    def __init__(self, years):
        deltas = range(-YEAR_TOLERANCE, YEAR_TOLERANCE + 1)
        wanted = {year + delta for year in years for delta in deltas}
        films = (
            Film.objects.filter(release_year__in=wanted)
            .only("id", "slug", "title", "original_title", "romanized_title", "release_year")
            .prefetch_related(
                Prefetch("titles", queryset=FilmTitle.objects.only("film_id", "title", "kind"))
            )
        )
        # key -> [(film, tier, label, title)] over every title variant of every film.
        self.index = {}
        for film in films:
            for label, title in film_title_variants(film):
                for key, tier in title_keys(title).items():
                    self.index.setdefault(key, []).append((film, tier, label, title))

    def match(self, title, year, romanized_title=""):
        """The Match for an entry titled `title` (and its romanized title) from `year`."""
        best = {}
        for entry_title in filter(None, [title, romanized_title]):
            for key, entry_tier in title_keys(entry_title).items():
                for film, film_tier, label, film_title in self.index.get(key, []):
                    if entry_tier == MAIN_TITLE and film_tier == MAIN_TITLE:
                        continue  # two different subtitles of one main title are two films
                    difference = abs(film.release_year - year)
                    if difference > YEAR_TOLERANCE:
                        continue
                    candidate = Candidate(
                        film, max(entry_tier, film_tier), difference, label, film_title
                    )
                    if film.pk not in best or candidate.score < best[film.pk].score:
                        best[film.pk] = candidate
        if not best:
            return Match(reason="no catalogue film has this title within a year")
        ranked = sorted(best.values(), key=lambda candidate: (candidate.score, candidate.film.pk))
        leaders = [candidate for candidate in ranked if candidate.tier == ranked[0].tier]
        if len(leaders) > 1:
            names = "; ".join(f"{c.film} [{c.film.slug}]" for c in leaders)
            return Match(
                reason=f"ambiguous: {len(leaders)} films match ({names})",
                candidates=[candidate.film for candidate in leaders],
            )
        chosen = ranked[0]
        confidence = TIER_CONFIDENCE[chosen.tier] - YEAR_DIFFERENCE_PENALTY * chosen.year_difference
        reason = f"{TIER_NAMES[chosen.tier]} ({chosen.via} “{chosen.matched_title}”)"
        if chosen.year_difference:
            reason += f", year {chosen.film.release_year} differs by one"
        return Match(film=chosen.film, confidence=round(confidence, 2), reason=reason)
