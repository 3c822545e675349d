"""The one search service for the site, the admin and the API.

PROVISIONAL: a plain substring match over each row's normalized `search_text`. The search
issue replaces the internals (transliteration, PostgreSQL full-text and trigram, typo
tolerance, ranking); the public functions below are the contract the rest of the code uses.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from catalogue.transliteration import romanize

MAX_QUERY_LENGTH = 200


def normalize(text):
    """Lower-case, accent-free, Latin-script, punctuation-free words separated by one space."""
    text = unicodedata.normalize("NFKD", romanize((text or "")[: MAX_QUERY_LENGTH * 10].lower()))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def film_search_text(film):
    """Everything a film may be searched by, normalized: all titles and credited names."""
    parts = [film.title, film.original_title, film.romanized_title]
    parts += [title.title for title in film.titles.all()]
    parts += [credit.person.name for credit in film.credits.select_related("person")]
    parts += [credit.person.native_name for credit in film.credits.select_related("person")]
    return normalize(" ".join(part for part in parts if part))


def person_search_text(person):
    return normalize(f"{person.name} {person.native_name}")


def list_search_text(curated_list):
    return normalize(f"{curated_list.title} {curated_list.introduction}")


def filter_queryset(queryset, query):
    """Rows of `queryset` (Film, Person or CuratedList) matching `query`, best first."""
    words = normalize(query[:MAX_QUERY_LENGTH]).split()
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


@dataclass
class SearchResults:
    query: str
    films: list = field(default_factory=list)
    people: list = field(default_factory=list)
    lists: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.films or self.people or self.lists)


def search(query, *, user=None, limit=20):
    """Films, people and (visible) lists matching `query`, each kind ranked."""
    from catalogue.models import Film, Person
    from lists.models import CuratedList

    lists = CuratedList.objects.visible_to(user) if user else CuratedList.objects.published()
    return SearchResults(
        query=query,
        films=list(filter_queryset(Film.objects.all(), query)[:limit]),
        people=list(filter_queryset(Person.objects.all(), query)[:limit]),
        lists=list(filter_queryset(lists, query)[:limit]),
    )
