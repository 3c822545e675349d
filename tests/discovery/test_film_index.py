"""The film index (discovery/film_index.py) answers exactly what SQL answers: the same films
in the same order, the same count and the same facet rows, for any filters it holds, in
either language, and the same row for any name the API takes. Checked against the seed
catalogue, with drafts beside it that a visitor must not count."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from catalogue.models import Country, Film, Genre, Organisation, Person, Place
from discovery import film_index
from discovery.facets import browse_facets
from discovery.film_index import IndexedFilmFilter, build_film_index, index_terms
from discovery.filters import BrowseFilmFilter, FilmFilter
from discovery.visibility import public_lists, visible_films
from tests.factories import CuratedListEntryFactory, DraftListFactory, FilmFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_catalogue", "drafts")]


@pytest.fixture
def drafts():
    """A draft film in a drama genre and a country, and a draft list: no visitor counts them."""
    draft = FilmFactory(slug="draft-film", is_published=False, release_year=1975)
    draft.genres.add(*Genre.objects.all()[:2])
    draft.countries.add(*Country.objects.all()[:1])
    CuratedListEntryFactory(film=Film.objects.published().first(), curated_list=DraftListFactory())


@pytest.fixture
def index(settings, monkeypatch):
    # Every facet also keeps each film's values, as the catalogue's many places and lists do
    # (the seed has few): its counts are checked both ways.
    monkeypatch.setattr(film_index, "MANY_VALUES", 0)
    return build_film_index()


def visitor_request():
    request = RequestFactory().get("/films/")
    request.user = AnonymousUser()
    return request


def browse_filter(query):
    films = visible_films(None).for_browse_page()
    return BrowseFilmFilter(QueryDict(query), queryset=films, request=visitor_request())


def queries_of_three(seed, count=40):
    """Queries of up to three filters the index holds, each a value some visitor's film has."""
    rng = random.Random(seed)
    films = list(Film.objects.published().prefetch_related("countries", "genres", "studios"))
    lists = list(public_lists().values_list("slug", flat=True))
    queries = []
    for _ in range(count):
        film = rng.choice(films)
        terms = {"decade": film.decade}
        for name, rows in (
            ("country", film.countries.all()),
            ("genre", film.genres.all()),
            ("studio", film.studios.all()),
        ):
            if rows:
                terms[name] = rng.choice(list(rows)).slug
        if lists and rng.random() < 0.3:
            terms["list"] = rng.choice(lists)
        if rng.random() < 0.3:
            terms["verification"] = film.verification
        chosen = rng.sample(sorted(terms), min(3, len(terms)))
        queries.append("&".join(f"{name}={terms[name]}" for name in chosen))
    return ["", *sorted(set(queries))]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_index_counts_and_pages_every_filter_as_sql_does(index, language):
    translation.activate(language)
    for query in queries_of_three(seed=language):
        by_sql = browse_filter(query)
        assert by_sql.is_valid(), query
        by_sql.index_selection = None
        by_index = browse_filter(query)
        by_index.is_valid()
        data = {k: v for k, v in by_index.form.cleaned_data.items() if k != "ordering"}
        by_index.index_selection = selection = index.select(index_terms(index, data))

        films = list(by_sql.qs.values_list("pk", flat=True))
        assert selection.count() == len(films), query
        if by_sql.form.cleaned_data.get("ordering"):  # a list's own order: SQL pages it
            assert sorted(selection.ids(0, len(films))) == sorted(films), query
        else:
            assert selection.ids(0, len(films)) == films, query
        assert browse_facets(by_index, by_index.queryset) == browse_facets(
            by_sql, by_sql.queryset
        ), query


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_a_browse_page_drawn_from_the_index_is_the_page_sql_draws(
    client, index, monkeypatch, prefix
):
    unusual = [
        "country=ussr",  # an alias
        "country=Soviet Union&genre=DRAMA",  # a name, a slug in capitals
        "country=%D0%A1%D0%A1%D0%A1%D0%A0",  # a Cyrillic name: SQL finds it
        "country=nowhere",  # no such country: the page says so
        "country=United%20%E2%84%AAingdom",  # a Kelvin sign for the K: no country, for SQL
        "decade=1977",  # not a decade
        "verification=verified&page=2",
        "studio=mosfilm&page=999",
        "country=su&ordering=-year",  # another order
        "genre=drama&year=1979",  # a filter the index does not hold
    ]
    for query in [*queries_of_three(seed=f"page{prefix}", count=15), *unusual]:
        url = f"{prefix}/films/?{query}"
        by_sql = client.get(url)
        with monkeypatch.context() as patched:
            patched.setattr(film_index, "film_index_for", lambda user: index)
            by_index = client.get(url)

        assert by_index.status_code == by_sql.status_code == 200, url
        assert by_index.content.decode() == by_sql.content.decode(), url


def test_a_page_is_the_slice_of_the_whole_order(index):
    selection = index.select({})
    everything = selection.ids(0, selection.count())

    assert selection.ids(20, 40) == everything[20:40]
    assert selection.ids(selection.count() - 3, selection.count() + 20) == everything[-3:]


def spellings(row, *fields):
    """How an API client may name `row`: its slug in any case, and its one-word names."""
    names = {row.slug, row.slug.upper()}
    for field in fields:
        text = getattr(row, field, None) or ""
        if text and text.replace("-", "").replace("_", "").isalnum() and text.isascii():
            names |= {text, text.lower(), text.upper()}
    return names


def named_values():
    for country in Country.objects.all():
        yield "country", spellings(country, "code", "name_en", "name_ru")
    for genre in Genre.objects.all():
        yield "genre", spellings(genre, "name_en", "name_ru")
    for organisation in Organisation.objects.all():
        yield "studio", spellings(organisation, "name_en", "native_name")
    for place in Place.objects.all()[:40]:
        yield "setting", spellings(place, "name_en", "native_name")
    for curated_list in public_lists():
        yield "list", spellings(curated_list, "title_en")
    yield "country", {"ussr", "USSR", "Soviet", "gdr", "uk", "usa", "nowhere"}
    yield "genre", {"western-spaghetti", "x"}


def test_every_name_the_api_takes_finds_the_row_sql_finds(index):
    for name, values in named_values():
        for value in sorted(values):
            query = QueryDict(mutable=True)
            query[name] = value
            by_sql = FilmFilter(query, queryset=visible_films(None), request=visitor_request())
            assert by_sql.is_valid(), (name, value)
            # The index finds the name itself, as the API's film list has it do.
            by_index = IndexedFilmFilter(query, queryset=visible_films(None))
            assert by_index.is_valid(), (name, value)
            terms = index_terms(index, by_index.form.cleaned_data)
            films = sorted(by_sql.qs.values_list("pk", flat=True))
            assert sorted(index.select(terms).ids(0, len(films) + 1)) == films, (name, value)


def test_filters_the_index_does_not_hold_are_left_to_sql(index):
    person = Person.objects.filter(credits__isnull=False).first()
    for query in (
        "q=war",
        "year=1979",
        "award_year=1980",
        "award_outcome=won",
        f"person={person.slug}",
    ):
        film_filter = browse_filter(query)
        assert film_filter.is_valid(), query
        data = {k: v for k, v in film_filter.form.cleaned_data.items() if k != "ordering"}

        assert index_terms(index, data) is None, query
