"""In a real Chromium enforcing our Content-Security-Policy, the admin and the public site
raise no CSP violation and the admin's JavaScript still works."""

import pytest
from django.urls import reverse

from catalogue.models import Film
from tests.conftest import SUPERUSER_PASSWORD
from tests.factories import CreditFactory, CuratedListEntryFactory, FilmFactory
from tests.helpers import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script and outside the page's CSP (Playwright injects it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def browser_page(page):
    console_errors = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_csp_errors = console_errors
    return page


def violations(page):
    return page.evaluate("window.__cspViolations") + page.console_csp_errors


@pytest.fixture
def entry():
    entry = CuratedListEntryFactory(blurb="A winter comedy.")
    CreditFactory(film=entry.film)
    FilmFactory.create_batch(2)
    return entry


def test_the_public_site_raises_no_csp_violation(browser_page, live_server, entry):
    for url in [
        reverse("lists:home"),
        entry.curated_list.get_absolute_url(),
        entry.film.get_absolute_url(),
        reverse("catalogue:film-browse"),
        reverse("catalogue:search") + "?q=film",
    ]:
        browser_page.goto(live_server.url + url)
        browser_page.wait_for_load_state("load")

        assert violations(browser_page) == [], url


def test_the_admin_raises_no_csp_violation_and_its_scripts_run(
    browser_page, live_server, superuser, entry
):
    log_in_to_admin(browser_page, live_server, superuser.username, SUPERUSER_PASSWORD)
    pages = [
        reverse("admin:index"),
        reverse("admin:catalogue_film_changelist"),
        reverse("admin:catalogue_film_add"),
        reverse("admin:lists_curatedlist_change", args=[entry.curated_list.pk]),
        reverse("admin:lists_curatedlist_changelist"),
    ]
    for url in pages:
        browser_page.goto(live_server.url + url)
        browser_page.wait_for_load_state("load")

        assert violations(browser_page) == [], url

    # The admin's own JavaScript runs under the policy: "select all" ticks every row...
    browser_page.goto(live_server.url + reverse("admin:catalogue_film_changelist"))
    browser_page.check("#action-toggle")
    rows = browser_page.locator("input.action-select")
    assert rows.count() == Film.objects.count()
    assert all(rows.nth(i).is_checked() for i in range(rows.count()))
    # ...and the slug is filled in from the title as the editor types (prepopulate.js).
    browser_page.goto(live_server.url + reverse("admin:catalogue_film_add"))
    browser_page.fill("#id_title", "Moscow Does Not Believe in Tears")
    browser_page.locator("#id_title").blur()
    assert browser_page.input_value("#id_slug") == "moscow-does-not-believe-in-tears"
    assert violations(browser_page) == []
