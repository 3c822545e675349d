"""Shared test fixtures: the browser (real Chromium through Playwright) and users."""

import importlib
import os
import shutil

import pytest

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


@pytest.fixture(autouse=True)
def live_responses(settings):
    """Pages are rendered live unless a test turns the response cache on (a REDIS_URL in the
    environment would otherwise share cached pages between tests and their databases)."""
    if "responses" in settings.CACHES:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium, or a skip (a failure when KINOTEKA_REQUIRE_BROWSER=1)."""
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
def editor(django_user_model):
    """An editor as `make editor` makes one: staff in the Editors group the data migration
    creates, not a superuser. Log in with force_login or EDITOR_PASSWORD."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name="Editors").exists():
        # A transactional test (live_server) flushed what the data migration made.
        importlib.import_module("lists.migrations.0002_editors_group").create_editors_group(apps)
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user
