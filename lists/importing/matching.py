"""Find the catalogue film a list entry names, by every title a film is known by.

A title is reduced to comparison keys of decreasing strictness (tiers), with the spelling
rules of core/spelling.py:
  0 exact      same words once case, accents, punctuation, script (Cyrillic is romanized),
               contractions ("doesn't" = "does not"), "&" and Roman numerals ("IV" = "4")
               are set aside (`canonical_title`);
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

from django.db.models import IntegerChoices, Prefetch, TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Film, FilmTitle
from core.spelling import canonical_title, fold_spelling, without_article


class Tier(IntegerChoices):
    """How strict the key was that matched, strictest first; the label goes in the reason."""

    EXACT = 0, _("same title")
    ARTICLE = 1, _("same title apart from a leading article")
    MAIN_TITLE = 2, _("same main title (subtitle ignored)")
    SPELLING = 3, _("same title in another romanization")


class MatchOutcome(TextChoices):
    """What the matcher found for an entry."""

    MATCHED = "matched"
    NEW = "new"
    AMBIGUOUS = "ambiguous"


TIER_CONFIDENCE = {Tier.EXACT: 1.0, Tier.ARTICLE: 0.95, Tier.MAIN_TITLE: 0.85, Tier.SPELLING: 0.75}
YEAR_TOLERANCE = 1
YEAR_DIFFERENCE_PENALTY = 0.1

SUBTITLE_RE = re.compile(r",\s*or\s+|:\s+|\s+[-–—]\s+|\s*\(.*\)\s*$", re.IGNORECASE)


def title_keys(title):
    """{key: tier} for one title string, the strictest tier winning for a repeated key."""
    keys = {}

    def add(key, tier):
        if key and (key not in keys or tier < keys[key]):
            keys[key] = tier

    full = canonical_title(title)
    add(full, Tier.EXACT)
    bare = without_article(full)
    add(bare, Tier.ARTICLE)
    main_part = SUBTITLE_RE.split(title or "", maxsplit=1)[0]
    if main_part.strip() and main_part.strip() != (title or "").strip():
        add(without_article(canonical_title(main_part)), Tier.MAIN_TITLE)
    add(fold_spelling(bare), Tier.SPELLING)
    return keys


def film_title_variants(film):
    """(label, title) for every title the film is known by; `titles` should be prefetched."""
    variants = [(gettext("title"), film.title)]
    if film.original_title:
        variants.append((gettext("original title"), film.original_title))
    if film.romanized_title:
        variants.append((gettext("romanized title"), film.romanized_title))
    variants += [(title.get_kind_display().lower(), title.title) for title in film.titles.all()]
    return variants


@dataclass
class Candidate:
    film: Film
    tier: Tier
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
            return MatchOutcome.MATCHED
        return MatchOutcome.AMBIGUOUS if self.candidates else MatchOutcome.NEW


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
                    if entry_tier == film_tier == Tier.MAIN_TITLE:
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
            return Match(reason=gettext("no catalogue film has this title within a year"))
        ranked = sorted(best.values(), key=lambda candidate: (candidate.score, candidate.film.pk))
        leaders = [candidate for candidate in ranked if candidate.tier == ranked[0].tier]
        if len(leaders) > 1:
            names = "; ".join(f"{c.film} [{c.film.slug}]" for c in leaders)
            return Match(
                reason=gettext("ambiguous: {count} films match ({names})").format(
                    count=len(leaders), names=names
                ),
                candidates=[candidate.film for candidate in leaders],
            )
        chosen = ranked[0]
        confidence = TIER_CONFIDENCE[chosen.tier] - YEAR_DIFFERENCE_PENALTY * chosen.year_difference
        reason = f"{chosen.tier.label} ({chosen.via} “{chosen.matched_title}”)"
        if chosen.year_difference:
            reason += gettext(", year {year} differs by one").format(year=chosen.film.release_year)
        return Match(film=chosen.film, confidence=round(confidence, 2), reason=reason)
