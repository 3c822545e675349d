"""Fixtures of the API tests: an anonymous client and a small catalogue known by heart."""

from types import SimpleNamespace

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from catalogue.models import AwardOutcome, CreditRole, LocationKind, Organisation, Verification
from tests import factories as f


def pytest_collection_modifyitems(items):
    """Give each API operation's schemathesis test its own node id.

    schemathesis names them `test_…[GET /api/v1/films/]`, but under pytest 9.2 they all share
    the node id `…::test_…`; pytest-xdist's `--dist loadfile` keys tests by node id and would
    run the first operation only (tests/api/test_api_schema.py would then fall short of its cases).
    Drop this once schemathesis gives them distinct ids itself.
    """
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and item.nodeid.endswith(f"::{item.originalname}"):
            item._id = item._id.with_params(label)


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def catalogue(db):
    """The catalogue of build_catalogue, built for the test."""
    return build_catalogue()


@pytest.fixture(scope="module")
def catalogue_once(django_db_setup, django_db_blocker):
    """The catalogue of build_catalogue, built once for a module whose tests only read it, in
    a transaction rolled back at the module's end (each test's own writes still roll back
    after it). Such a module makes its `catalogue` a module-scoped alias of this one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        data = build_catalogue()
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def build_catalogue():
    """Five films with known credits, awards, places and lists (see each line), small enough
    that the API's filter tests assert exact slugs."""
    su = f.CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    ru = f.CountryFactory(code="RU", name="Russia", slug="russia")
    drama = f.GenreFactory(name="Drama", slug="drama")
    comedy = f.GenreFactory(name="Comedy", slug="comedy")
    romance = f.GenreFactory(name="Romance", slug="romance")
    mosfilm = f.StudioFactory(name="Mosfilm", slug="mosfilm")
    lenfilm = f.StudioFactory(name="Lenfilm", slug="lenfilm")
    moscow = f.PlaceFactory(name="Moscow", slug="moscow", country=su)
    leningrad = f.PlaceFactory(name="Leningrad", slug="leningrad", country=su)
    academy = f.OrganisationFactory(
        name="Academy Awards", slug="academy-awards", kind=Organisation.Kind.AWARD_BODY
    )
    cannes = f.OrganisationFactory(
        name="Cannes Film Festival", slug="cannes", kind=Organisation.Kind.FESTIVAL
    )
    people = {
        slug: f.PersonFactory(name=name, slug=slug)
        for slug, name in [
            ("menshov", "Vladimir Menshov"),
            ("alentova", "Vera Alentova"),
            ("batalov", "Aleksey Batalov"),
            ("ryazanov", "Eldar Ryazanov"),
            ("kalatozov", "Mikhail Kalatozov"),
            ("urusevsky", "Sergey Urusevsky"),
            ("balabanov", "Aleksei Balabanov"),
        ]
    }

    def film(slug, title, year, runtime, countries, genres, studios, **fields):
        film = f.FilmFactory(
            slug=slug, title=title, release_year=year, runtime_minutes=runtime, **fields
        )
        film.countries.set(countries)
        film.genres.set(genres)
        film.studios.set(studios)
        return film

    tears = film(
        "moscow-does-not-believe-in-tears",
        "Moscow Does Not Believe in Tears",
        1979,
        150,
        [su],
        [drama, romance],
        [mosfilm],
        verification=Verification.CONFIRMED,
        imdb_id="tt0079579",
        tmdb_id=21028,
    )
    irony = film(
        "the-irony-of-fate", "The Irony of Fate", 1975, 184, [su], [comedy, romance], [mosfilm]
    )
    cranes = film(
        "the-cranes-are-flying",
        "The Cranes Are Flying",
        1957,
        97,
        [su],
        [drama],
        [mosfilm],
        verification=Verification.CONFIRMED,
    )
    brother = film(
        "brother",
        "Brother",
        1997,
        96,
        [ru],
        [drama],
        [lenfilm],
        verification=Verification.DISPUTED,
    )
    garage = film("garage", "Garage", 1979, 95, [su], [comedy], [mosfilm])

    credit = f.CreditFactory
    credit(film=tears, person=people["menshov"], role=CreditRole.DIRECTOR)
    credit(film=tears, person=people["alentova"], role=CreditRole.ACTOR, character="Katerina")
    credit(film=tears, person=people["batalov"], role=CreditRole.ACTOR, character="Gosha")
    credit(film=irony, person=people["ryazanov"], role=CreditRole.DIRECTOR)
    credit(film=garage, person=people["ryazanov"], role=CreditRole.DIRECTOR)
    credit(film=garage, person=people["menshov"], role=CreditRole.ACTOR, character="Lyusya")
    credit(film=cranes, person=people["kalatozov"], role=CreditRole.DIRECTOR)
    credit(film=cranes, person=people["urusevsky"], role=CreditRole.CINEMATOGRAPHER)
    credit(film=brother, person=people["balabanov"], role=CreditRole.DIRECTOR)

    f.AwardFactory(
        organisation=academy,
        category="Best Foreign Language Film",
        ceremony_year=1981,
        film=tears,
        outcome=AwardOutcome.WON,
    )
    f.AwardFactory(
        organisation=cannes,
        category="Palme d'Or",
        ceremony_year=1958,
        film=cranes,
        person=people["kalatozov"],
        outcome=AwardOutcome.WON,
    )
    f.AwardFactory(
        organisation=cannes,
        category="Un Certain Regard",
        ceremony_year=1997,
        film=brother,
        person=people["balabanov"],
        outcome=AwardOutcome.NOMINATED,
    )

    location = f.FilmLocationFactory
    location(film=tears, place=moscow, kind=LocationKind.SETTING, period="1958–1978")
    location(film=tears, place=moscow, kind=LocationKind.FILMING)
    location(film=irony, place=moscow, kind=LocationKind.SETTING)
    location(film=irony, place=leningrad, kind=LocationKind.SETTING)
    location(film=cranes, place=moscow, kind=LocationKind.SETTING)
    location(film=cranes, place=moscow, kind=LocationKind.FILMING)
    location(film=brother, place=leningrad, kind=LocationKind.SETTING)
    location(film=brother, place=leningrad, kind=LocationKind.FILMING)

    source = f.SourceFactory(title="An encyclopedia article", slug="encyclopedia")
    fact = f.FactFactory(film=tears, key="oscar", text="It won the Oscar in 1981.")
    fact.sources.add(source)
    f.FilmTitleFactory(film=tears, title="Москва слезам не верит", kind="translation")

    love = f.CuratedListFactory(title="Soviet films about love", slug="soviet-love")
    f.CuratedListEntryFactory(curated_list=love, film=irony, position=1, blurb="New Year.")
    f.CuratedListEntryFactory(curated_list=love, film=tears, position=2, blurb="Three women.")
    draft = f.DraftListFactory(title="Work in progress", slug="work-in-progress")
    f.CuratedListEntryFactory(curated_list=draft, film=garage, position=1)

    return SimpleNamespace(
        tears=tears,
        irony=irony,
        cranes=cranes,
        brother=brother,
        garage=garage,
        people=people,
        love=love,
        draft=draft,
        academy=academy,
        cannes=cannes,
        source=source,
    )
