"""Each endpoint's query budget, the same for 1 row as for 30 (and never above 8)."""

import pytest
from django.db import connection

from catalogue.models import AdaptedWork, CreditRole, Film, LocationKind
from ops import query_budgets as budget
from tests import factories as f

SIZES = [1, 30]
# The reader's language changes which names lead, never the queries.
LANGUAGES = ["en", "ru"]


def in_language(url, language):
    return f"{url}{'&' if '?' in url else '?'}language={language}"


def grow_catalogue(size):
    """`size` films, each with every kind of relation, all in one published list."""
    country = f.CountryFactory()
    genre = f.GenreFactory()
    studio = f.StudioFactory()
    organisation = f.OrganisationFactory()
    source = f.SourceFactory()
    curated_list = f.CuratedListFactory(slug="big-list")
    for position in range(1, size + 1):
        film = f.FilmFactory()
        film.countries.add(country)
        film.genres.add(genre)
        film.studios.add(studio)
        director = f.PersonFactory()
        f.CreditFactory(film=film, person=director, role=CreditRole.DIRECTOR)
        f.CreditFactory(film=film, role=CreditRole.ACTOR, character="Someone")
        f.AwardFactory(film=film, organisation=organisation, person=director)
        f.FilmLocationFactory(film=film, kind=LocationKind.SETTING)
        f.FactFactory(film=film).sources.add(source)
        f.CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)


def grow_film(size):
    """One film with `size` of each relation: credits, awards, places, facts, titles, lists."""
    film = f.FilmFactory(slug="big-film")
    organisation = f.OrganisationFactory()
    for number in range(size):
        film.countries.add(f.CountryFactory(code=f"C{number}", name=f"Country {number}"))
        film.genres.add(f.GenreFactory(name=f"Genre {number}"))
        film.studios.add(f.StudioFactory())
        person = f.PersonFactory()
        f.CreditFactory(film=film, person=person, role=CreditRole.ACTOR)
        f.AwardFactory(film=film, organisation=organisation, person=person, category=f"C{number}")
        f.FilmLocationFactory(film=film, kind=LocationKind.SETTING)
        f.FilmLocationFactory(film=film, kind=LocationKind.FILMING)
        fact = f.FactFactory(film=film)
        fact.sources.add(f.SourceFactory(), f.SourceFactory())
        f.FilmTitleFactory(film=film)
        AdaptedWork.objects.create(film=film, title=f"Novel {number}", author=person)
        f.CuratedListEntryFactory(film=film)
    return film


def grow_person(size):
    person = f.PersonFactory(slug="busy-person")
    for _ in range(size):
        film = f.FilmFactory()
        f.CreditFactory(film=film, person=person, role=CreditRole.DIRECTOR)
        f.AwardFactory(film=film, person=person)
    return person


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/films/?page_size=100", budget.API_FILM_LIST),
        # list positions and two Exists filters fold into the same queries
        (
            "/api/v1/films/?page_size=100&list=big-list&ordering=position&genre=drama",
            budget.API_FILM_LIST,
        ),
        # films, directors
        ("/api/v1/films/export.csv", 2),
        # a cursor walk: count, then the same page queries in id order
        ("/api/v1/films/?page_size=100&cursor=", budget.API_FILM_LIST),
        # count, people
        ("/api/v1/people/?page_size=100", 2),
        ("/api/v1/people/?page_size=100&cursor=", 2),
        # count, awards (organisation, film, person joined)
        ("/api/v1/awards/?page_size=100", 2),
        # count, organisations (country joined)
        ("/api/v1/organisations/?page_size=100", 2),
        # count, rows (country joined for places and studios)
        ("/api/v1/countries/?page_size=100", 2),
        ("/api/v1/genres/?page_size=100", 2),
        ("/api/v1/places/?page_size=100", 2),
        ("/api/v1/studios/?page_size=100", 2),
        # count, lists (entry counts annotated)
        ("/api/v1/lists/?page_size=100", 2),
        ("/api/v1/lists/big-list/", budget.API_LIST_DETAIL),
        ("/api/v1/lists/big-list/export.csv", 3),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_list_endpoints_have_a_constant_query_count(
    api, db, django_assert_num_queries, size, url, queries, language
):
    grow_catalogue(size)
    with django_assert_num_queries(queries):
        response = api.get(in_language(url, language))
        response.getvalue()  # a streamed export reads its rows as it is sent
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", ["solaris", "solyaris"])  # as written, and with a typo
def test_the_title_search_filter_adds_only_the_search_services_queries(
    api, db, django_assert_max_num_queries, size, query
):
    grow_catalogue(size)
    for film in Film.objects.all():
        film.title = f"Solaris {film.pk}"
        film.save()
    with django_assert_max_num_queries(budget.API_FILM_LIST + budget.SEARCH_FILTER_EXTRA):
        response = api.get("/api/v1/films/", {"q": query, "page_size": 100})
    assert response.json()["count"] == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_film_detail_has_a_constant_query_count(api, db, django_assert_num_queries, size, language):
    grow_film(size)
    # SQLite probes its JSON support once per connection: not part of the page's budget.
    assert connection.features.supports_json_field
    with django_assert_num_queries(budget.API_FILM_DETAIL):
        film = api.get("/api/v1/films/big-film/", {"language": language}).json()
    assert len(film["credits"]) == size and len(film["facts"][0]["sources"]) == 2
    assert len(film["countries"]) == len(film["titles"]) == len(film["lists"]) == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_person_detail_has_a_constant_query_count(
    api, db, django_assert_num_queries, size, language
):
    grow_person(size)
    with django_assert_num_queries(budget.API_PERSON_DETAIL):
        person = api.get("/api/v1/people/busy-person/", {"language": language}).json()
    assert len(person["credits"]) == len(person["awards"]) == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", [1, 2])
def test_search_has_a_constant_query_count(
    api, db, django_assert_max_num_queries, size, language, page
):
    for number in range(size):
        f.FilmFactory(title=f"Stalker {number}")
        f.PersonFactory(name=f"Stalker Person {number}", native_name=f"Сталкер {number}")
    with django_assert_max_num_queries(budget.API_SEARCH_MAX):
        response = api.get("/api/v1/search/", {"q": "stalker", "language": language, "page": page})
    assert len(response.json()["films"]) == max(0, min(size - 20 * (page - 1), 20))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("endpoint", ["organisations", "places", "countries", "genres", "awards"])
def test_reference_details_take_one_query(api, db, django_assert_num_queries, size, endpoint):
    grow_catalogue(size)
    url = api.get(f"/api/v1/{endpoint}/").json()["results"][0]["url"]
    # the row, its country (places, organisations) or film, person and organisation (awards)
    # joined in
    with django_assert_num_queries(1):
        response = api.get(url)
    assert response.status_code == 200
