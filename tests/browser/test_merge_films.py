"""An editor in real Chromium merges the duplicate film a list import created into the film
the catalogue had, then follows the duplicate's old address to the film kept."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import CreditRole, Film
from tests.conftest import EDITOR_PASSWORD
from tests.factories import CreditFactory, CuratedListEntryFactory, FilmFactory, PersonFactory
from tests.helpers import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_merges_a_duplicate_and_the_old_address_leads_to_the_film_kept(
    page, live_server, editor
):
    kept = FilmFactory(title="Stalker", slug="stalker", release_year=1979)
    duplicate = FilmFactory(
        title="Stalker", slug="stalker-1979", release_year=1979, is_published=False
    )
    actor = PersonFactory(name="Anatoly Solonitsyn")
    CreditFactory(film=duplicate, person=actor, role=CreditRole.ACTOR, character="Writer")
    CuratedListEntryFactory(film=duplicate)
    log_in_to_admin(page, live_server, editor.username, EDITOR_PASSWORD)

    page.goto(live_server.url + reverse("admin:catalogue_film_changelist"))
    for film in (kept, duplicate):
        page.check(f"input.action-select[value='{film.pk}']")
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")

    expect(page.locator("#merge-duplicate")).to_contain_text("/films/stalker-1979/")
    expect(page.locator("#merge-survivor")).to_contain_text("/films/stalker/")
    expect(page.locator(".merge-films-moves")).to_contain_text("1 credits")
    page.click("input[type=submit][value='Yes, merge']")
    page.wait_for_url(
        live_server.url + reverse("admin:catalogue_film_change", args=[kept.pk]) + "**"
    )
    expect(page.locator(".messagelist")).to_contain_text("now leads to it")
    assert not Film.objects.filter(pk=duplicate.pk).exists()

    # A visitor following an old link lands on the film kept, which now credits the actor.
    page.context.clear_cookies()
    page.goto(live_server.url + "/films/stalker-1979/")
    assert page.url == live_server.url + "/films/stalker/"
    expect(page.locator("h1")).to_contain_text("Stalker")
    expect(page.locator("main")).to_contain_text("Anatoly Solonitsyn")
