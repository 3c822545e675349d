"""Admin pages keep a fixed query budget: the same number of queries for 1 row and 50.

Each budget below is what the page costs as a superuser (session, user, then the page):
a new per-row query would make the 50-row count differ from the 1-row count, and a new
query of any kind would break the budget. Both are checked.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import AdaptedWork, Verification
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
    FilmLocationFactory,
    FilmTitleFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db


def make_films(count):
    country = CountryFactory()
    genre = GenreFactory()
    studio = StudioFactory()
    curated_list = CuratedListFactory()
    for i in range(count):
        film = FilmFactory()
        film.countries.add(country)
        film.genres.add(genre)
        film.studios.add(studio)
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=i + 1)


def make_people(count):
    for _ in range(count):
        CreditFactory()


def make_countries(count):
    for i in range(count):
        CountryFactory(code=f"C{i}", name=f"Country {i}")


def make_genres(count):
    for i in range(count):
        GenreFactory(name=f"Genre {i}")


def make_organisations(count):
    country = CountryFactory()
    for _ in range(count):
        OrganisationFactory(country=country)


def make_places(count):
    country = CountryFactory()
    for _ in range(count):
        PlaceFactory(country=country)


def make_lists(count):
    for _ in range(count):
        CuratedListEntryFactory()


def repeat(factory):
    def make(count):
        for _ in range(count):
            factory()

    return make


# (admin URL name, rows maker, query budget). Every changelist runs five: session, user,
# the filtered count, the full count, the page of rows (related rows joined, counts
# annotated); plus one per filter whose choices come from the database, named below.
CHANGELISTS = [
    # + decades, countries, genres, studios, lists filter choices
    ("catalogue_film_changelist", make_films, 10),
    ("catalogue_person_changelist", make_people, 5),
    # + organisations, ceremony years filter choices
    ("catalogue_award_changelist", repeat(AwardFactory), 7),
    ("catalogue_credit_changelist", repeat(CreditFactory), 5),
    ("catalogue_fact_changelist", repeat(FactFactory), 5),
    ("catalogue_organisation_changelist", make_organisations, 5),
    ("catalogue_place_changelist", make_places, 5),
    ("catalogue_country_changelist", make_countries, 5),
    ("catalogue_genre_changelist", make_genres, 5),
    ("catalogue_source_changelist", repeat(SourceFactory), 5),
    ("lists_curatedlist_changelist", make_lists, 5),
    # + lists filter choices
    ("lists_curatedlistentry_changelist", make_lists, 6),
]


def count_queries(client, url, warm=True):
    """The queries of one GET of url; warm=False when an earlier count already warmed the
    per-process caches (content types): a cold count could only be higher, never lower."""
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("url_name", "make_rows", "budget"), CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(client, superuser, url_name, make_rows, budget):
    client.force_login(superuser)
    url = reverse(f"admin:{url_name}")
    make_rows(1)
    one = count_queries(client, url)
    make_rows(49)
    fifty = count_queries(client, url, warm=False)
    assert one == fifty
    assert fifty == budget


def film_with_parts(count):
    film = FilmFactory()
    place, organisation = PlaceFactory(), OrganisationFactory()
    for i in range(count):
        person = PersonFactory()
        CreditFactory(film=film, person=person)
        FilmTitleFactory(film=film)
        AwardFactory(film=film, organisation=organisation, person=person, category=f"Cat {i}")
        FilmLocationFactory(film=film, place=place, period=str(1950 + i))
        AdaptedWork.objects.create(film=film, title=f"Novel {i}", author=person)
        FactFactory(film=film)
    return film


def person_with_credits(count):
    person = PersonFactory()
    for _ in range(count):
        CreditFactory(person=person)
    return person


def list_with_entries(count):
    curated_list = CuratedListFactory()
    for position in range(1, count + 1):
        CuratedListEntryFactory(curated_list=curated_list, position=position)
    return curated_list


# (admin URL name, maker of an object with N inline rows, query budget)
CHANGE_FORMS = [
    # session, user, film; its countries, genres, studios, sources (selected options);
    # one per inline with its related rows joined: credits, titles, locations, awards,
    # adapted works, facts, pictures.
    ("catalogue_film_change", film_with_parts, 14),
    # session, user, person, its sources, its credits (films joined), its portraits
    ("catalogue_person_change", person_with_credits, 6),
    # session, user, list, its entries (films joined), its covers
    ("lists_curatedlist_change", list_with_entries, 5),
]


@pytest.mark.parametrize(("url_name", "make_object", "budget"), CHANGE_FORMS)
def test_change_form_queries_do_not_grow_with_inline_rows(
    client, superuser, url_name, make_object, budget
):
    client.force_login(superuser)
    one = count_queries(client, reverse(f"admin:{url_name}", args=[make_object(1).pk]))
    fifty = count_queries(
        client, reverse(f"admin:{url_name}", args=[make_object(50).pk]), warm=False
    )
    assert one == fifty
    assert fifty == budget


SINGLE_CHANGE_FORMS = [
    ("catalogue_award_change", AwardFactory),
    ("catalogue_credit_change", CreditFactory),
    ("catalogue_fact_change", FactFactory),
    ("lists_curatedlistentry_change", CuratedListEntryFactory),
    ("catalogue_organisation_change", OrganisationFactory),
    ("catalogue_place_change", PlaceFactory),
    ("catalogue_country_change", CountryFactory),
    ("catalogue_genre_change", GenreFactory),
    ("catalogue_source_change", SourceFactory),
]


@pytest.mark.parametrize(("url_name", "factory"), SINGLE_CHANGE_FORMS)
def test_change_forms_without_inlines_render_in_few_queries(client, superuser, url_name, factory):
    client.force_login(superuser)
    assert count_queries(client, reverse(f"admin:{url_name}", args=[factory().pk])) <= 10


def test_verification_queue_queries_do_not_grow_with_rows(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:catalogue_verification_queue") + "?kind=credits"
    CreditFactory(verification=Verification.DISPUTED)
    one = count_queries(client, url)
    for _ in range(49):
        CreditFactory(verification=Verification.UNVERIFIED)
    fifty = count_queries(client, url, warm=False)
    assert one == fifty


@pytest.mark.parametrize(
    ("kind", "factory"), [("facts", FactFactory), ("entries", CuratedListEntryFactory)]
)
def test_verification_queue_with_texts_and_owners_does_not_grow_with_rows(
    client, superuser, kind, factory
):
    """The full texts, the film or list of each row and its public page come with the rows."""
    client.force_login(superuser)
    url = reverse("admin:catalogue_verification_queue") + f"?kind={kind}"
    factory()
    one = count_queries(client, url)
    for _ in range(49):
        factory()
    fifty = count_queries(client, url, warm=False)
    assert one == fifty
