"""An editor in real Chromium: reorders a list by dragging, saves, checks, reverts it.

Also takes the screenshots of docs/admin.md: run with KINOTEKA_SCREENSHOTS=docs/img to
write them there (by default they go to a temporary folder and are only checked).
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import CreditRole, FilmTitle, LocationKind
from tests.conftest import EDITOR_PASSWORD
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
)
from tests.helpers import entry_titles, log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILMS = ["The Cranes Are Flying", "Office Romance", "Stalker"]


def public_order(page, live_server, curated_list):
    page.goto(live_server.url + curated_list.get_absolute_url())
    return page.locator(".film-card__title a").all_inner_texts()


def test_editor_reorders_a_list_by_dragging_then_reverts_it(page, live_server, editor):
    curated_list = CuratedListFactory(title="Three films")
    for position, title in enumerate(FILMS, start=1):
        CuratedListEntryFactory(
            curated_list=curated_list, position=position, film=FilmFactory(title=title)
        )
    log_in_to_admin(page, live_server, editor.username, EDITOR_PASSWORD)

    page.goto(live_server.url + reverse("admin:lists_curatedlist_change", args=[curated_list.pk]))
    rows = page.locator("fieldset.sortable tbody tr.has_original")
    assert rows.count() == 3
    # Drag the third film's handle onto the first row (SortableJS renumbers the rows).
    rows.nth(2).locator("td.original p").drag_to(rows.nth(0).locator("td.original p"))
    positions = page.locator("fieldset.sortable tr.has_original input._reorder_")
    assert [positions.nth(i).input_value() for i in range(3)] == ["1", "2", "3"]
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:lists_curatedlist_changelist") + "**")

    new_order = ["Stalker", "The Cranes Are Flying", "Office Romance"]
    assert entry_titles(curated_list) == new_order
    assert public_order(page, live_server, curated_list) == new_order

    # Revert: the list's first version, which had the original order.
    page.goto(live_server.url + reverse("admin:lists_curatedlist_history", args=[curated_list.pk]))
    page.locator("#change-history tbody tr").last.locator("a").first.click()
    # expect() waits for the version page to load; a plain read could race the navigation.
    expect(page.locator("#version-entries li")).to_have_text([f"{title} (1975)" for title in FILMS])
    page.click("input[name=_save][value=Revert]")
    page.wait_for_url(live_server.url + reverse("admin:lists_curatedlist_changelist") + "**")

    assert entry_titles(curated_list) == FILMS
    assert public_order(page, live_server, curated_list) == FILMS


def film_for_screenshot():
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        romanized_title="Moskva slezam ne verit",
        slug="moscow-does-not-believe-in-tears",
        release_year=1980,
        runtime_minutes=150,
        original_language="ru",
    )
    film.countries.add(CountryFactory())
    film.genres.add(GenreFactory(name="Drama"), GenreFactory(name="Romance"))
    menshov = PersonFactory(name="Vladimir Menshov", native_name="Владимир Меньшов")
    alentova = PersonFactory(name="Vera Alentova", native_name="Вера Алентова")
    CreditFactory(film=film, person=menshov, role=CreditRole.DIRECTOR)
    CreditFactory(film=film, person=alentova, role=CreditRole.ACTOR, character="Katerina")
    FilmTitleFactory(film=film, title="Moscow Distrusts Tears", kind=FilmTitle.Kind.TRANSLATION)
    AwardFactory(
        film=film,
        organisation=OrganisationFactory(name="Academy Awards"),
        category="Best Foreign Language Film",
        ceremony_year=1981,
    )
    FilmLocationFactory(
        film=film, place=PlaceFactory(name="Moscow"), kind=LocationKind.SETTING, period="1958"
    )
    FactFactory(film=film, key="oscar", text="Won the Academy Award in 1981.")
    return film


def test_screenshots_of_the_film_and_list_change_forms(page, live_server, editor, tmp_path):
    folder = Path(os.environ.get("KINOTEKA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    film = film_for_screenshot()
    curated_list = CuratedListFactory(title="Soviet films about love")
    for position, title in enumerate(FILMS, start=1):
        CuratedListEntryFactory(
            curated_list=curated_list,
            position=position,
            film=FilmFactory(title=title),
            blurb=f"Why {title} belongs here.",
            fact=f"A fact about {title}.",
        )
    log_in_to_admin(page, live_server, editor.username, EDITOR_PASSWORD)

    shots = {
        "admin-film-change.png": reverse("admin:catalogue_film_change", args=[film.pk]),
        "admin-list-change.png": reverse("admin:lists_curatedlist_change", args=[curated_list.pk]),
        "admin-verification-queue.png": reverse("admin:catalogue_verification_queue"),
    }
    for name, url in shots.items():
        page.goto(live_server.url + url)
        page.screenshot(path=folder / name, full_page=True)
        assert (folder / name).stat().st_size > 10_000
