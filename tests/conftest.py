"""Fixtures every test folder shares: fresh caches, users and logged-in clients, the API's
clients and small catalogue, and the browser (real Chromium through Playwright)."""

import importlib
import os
import shutil
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
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


# --- Caches ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_caches(settings):
    """Each test starts with empty in-process caches: no API throttle counts left by another
    test, and pages rendered live unless the test turns the response cache on (a REDIS_URL in
    the environment would otherwise share cached pages between tests and their databases)."""
    if "responses" in settings.CACHES:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


# --- Users ----------------------------------------------------------------------------------

EDITOR_PASSWORD = "editor-pass-1234"
SUPERUSER_PASSWORD = "root-pass-1234"
# Password checks in microseconds: tests log in hundreds of times (never in production).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def superuser(django_user_model):
    """A superuser: log in with force_login or SUPERUSER_PASSWORD."""
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", SUPERUSER_PASSWORD
    )


@pytest.fixture
def editors_group(db):
    """The Editors group the data migration creates. A transactional test (live_server, or
    writes that must commit) ends by flushing the database, group included, and under
    pytest-xdist such a test may run earlier in the same worker: then it is made again."""
    if not Group.objects.filter(name="Editors").exists():
        importlib.import_module("lists.migrations.0002_editors_group").create_editors_group(apps)
    return Group.objects.get(name="Editors")


@pytest.fixture
def editor(django_user_model, editors_group):
    """An editor as `make editor` makes one: staff in the Editors group, not a superuser.
    Log in with force_login or EDITOR_PASSWORD."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(editors_group)
    return user


@pytest.fixture
def staff_user(django_user_model):
    """Staff in no group and with no permission: it may do exactly what a test grants it."""
    return django_user_model.objects.create_user("staff", "staff@example.com", is_staff=True)


@pytest.fixture
def editor_client(editor):
    """A test client logged in as the editor (`client` stays a visitor's)."""
    return logged_in_client(editor)


@pytest.fixture
def superuser_client(superuser):
    """A test client logged in as the superuser (`client` stays a visitor's)."""
    return logged_in_client(superuser)


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


# --- The API: clients and a small catalogue known by heart ----------------------------------


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def editor_api(editor):
    """An API client authenticated as the editor."""
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def catalogue(db):
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


# --- The browser ----------------------------------------------------------------------------

CHROMIUM_PATH = os.environ.get("KINOTEKA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# CI sets this so a missing browser fails the run instead of skipping browser tests.
BROWSER_REQUIRED = os.environ.get("KINOTEKA_REQUIRE_BROWSER", "") == "1"

# Playwright's sync API runs an event loop; live_server's ORM calls must be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium, or a skip (a failure when KINOTEKA_REQUIRE_BROWSER=1). Each
    pytest-xdist worker launches its own."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed"
    if reason is None and not shutil.which(CHROMIUM_PATH):
        reason = f"no Chromium at {CHROMIUM_PATH} (apt-get install chromium)"
    if reason:
        if BROWSER_REQUIRED:
            pytest.fail(f"Browser tests are required but cannot run: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
