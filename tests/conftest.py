"""Fixtures every test folder shares: fresh caches, users and logged-in clients (the test
client's and the API's), and the browser (real Chromium through Playwright)."""

import os
import shutil
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, override_settings
from django.utils import translation
from rest_framework.test import APIClient

from core import response_cache
from discovery import film_index
from lists.roles import apply_roles
from tests.core.cache_backends import (
    LOCMEM as LOCMEM_CACHE,
)
from tests.core.cache_backends import (
    REDIS_URL,
    forget,
    redis_cache_settings,
    redis_is_reachable,
)

# Real faults (a Redis of the tests' own, a database that never answers), for every folder.
from tests.faults import (  # noqa: F401
    hung_database,
    own_redis,
    redis_server,
    refusing_database,
)
from tests.seed import seeded_catalogue  # noqa: F401


def pytest_configure(config):
    """WhiteNoise serves STATIC_ROOT and warns, each time the middleware is built, when the
    folder is missing (a fresh clone has not run collectstatic): the tests need no collected
    files, only the folder."""
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


# --- Caches ---------------------------------------------------------------------------------


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(autouse=True)
def fresh_caches(settings):
    """Each test starts with empty in-process caches: no API throttle counts left by another
    test (the throttle's file cache is shared by every process on the host, other test
    workers included), and pages rendered live unless the test turns the response cache on
    (a REDIS_URL in the environment would otherwise share cached pages between tests and
    their databases)."""
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM},
        "throttle": {"BACKEND": LOCMEM, "LOCATION": "throttle"},
    }
    cache.clear()
    caches["throttle"].clear()
    # The film index is built in the request that needs it, never by a thread a test leaves.
    settings.FILM_INDEX = "inline"
    film_index.builder.forget()


@pytest.fixture(params=["in-process", "redis"])
def cached(request, settings):
    """Turn the response cache on, backed by LocMemCache or by the real Redis."""
    if request.param == "redis":
        if not redis_is_reachable():
            if os.environ.get("KINOTEKA_REQUIRE_REDIS") == "1":
                pytest.fail(f"KINOTEKA_REQUIRE_REDIS=1 but Redis at {REDIS_URL} is unreachable")
            pytest.skip(f"Redis at {REDIS_URL} is unreachable")
        backend = redis_cache_settings()
    else:
        backend = {**LOCMEM_CACHE, "LOCATION": uuid.uuid4().hex}
    settings.CACHES = {"default": LOCMEM_CACHE, response_cache.CACHE_ALIAS: backend}
    yield caches[response_cache.CACHE_ALIAS]
    forget(caches[response_cache.CACHE_ALIAS], backend)


@pytest.fixture(autouse=True)
def english_to_start():
    """Each test starts in English: a request to a /ru/ page leaves Russian active in the
    thread, and reverse() would then give /ru/ addresses to the next test."""
    translation.activate("en")
    yield
    translation.deactivate()


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
    """The Editors group, as `migrate`, `seed` and `create_editor` apply it (lists/roles.py).
    A transactional test (live_server, or writes that must commit) ends by flushing the
    database; the flush's post_migrate puts the group back, and this makes sure of it."""
    if not Group.objects.filter(name="Editors").exists():
        apply_roles()
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


@pytest.fixture
def editor_api(editor):
    """An API client authenticated as the editor."""
    client = APIClient()
    client.force_authenticate(editor)
    return client


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


@pytest.fixture(autouse=True, scope="session")
def database_features_probed(django_db_setup, django_db_blocker):
    """SQLite is asked once per connection whether it has JSON functions (a query of its own,
    the first time a JSON column is built): ask before any test counts a page's queries."""
    with django_db_blocker.unblock():
        connection.features.has_json_object_function  # noqa: B018


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded and generated pictures go to a temporary folder, never the project's media/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield
