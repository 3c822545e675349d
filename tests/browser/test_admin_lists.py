"""An editor in real Chromium: after a reset seed, reorders a seeded list twice by dragging,
then reverts it to its first version from its history, confirming the revert.

Also takes the screenshots of docs/admin.md: run with KINOTEKA_SCREENSHOTS=docs/img to
write them there (by default they go to a temporary folder and are only checked).
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import CreditRole, FilmTitle, LocationKind
from lists.models import CuratedList
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
LOVE_LIST = "soviet-films-about-love"


def public_order(page, live_server, curated_list):
    page.goto(live_server.url + curated_list.get_absolute_url())
    return page.locator(".film-card__title a").all_inner_texts()


ENTRY_ROWS = "fieldset.sortable tbody tr.has_original"
# SortableJS slides the rows it moves aside (150 ms, with an inline transform): the order
# under the pointer is only final once no row carries one; a dropped row loses its
# "sortable-chosen" class.
ROWS_STILL = """() => [...document.querySelectorAll("fieldset.sortable tbody tr")]
    .every(row => !row.style.transform)"""
ROWS_DROPPED = """() => [...document.querySelectorAll("fieldset.sortable tbody tr")]
    .every(row => !row.style.transform && !row.classList.contains("sortable-chosen"))"""


def entry_labels(page):
    """The inline's entries as the editor sees them, top to bottom ("3. The Cranes…")."""
    return page.locator(f"{ENTRY_ROWS} td.original p").all_inner_texts()


def drag_row(page, from_row, to_row):
    """Press an entry's handle, move the pointer in steps onto another row, wait for the
    rows to stop sliding, settle on that row again, and let go."""
    rows = page.locator(ENTRY_ROWS)
    handle, target = (rows.nth(row).locator("td.original p") for row in (from_row, to_row))
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target_box = target.bounding_box()
    # In steps, so that the sorting script follows the pointer over the rows in between.
    page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 2, steps=20)
    page.wait_for_function(ROWS_STILL)
    page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 3, steps=2)
    page.mouse.up()
    page.wait_for_function(ROWS_DROPPED)


def drag_and_save(page, live_server, curated_list, from_row, to_row):
    """Drag one entry's handle onto another row, as an editor does, and save the list. On a
    loaded machine a drag can land one row off; the editor would see it and drag again, so
    this does too (at most three times) before saving: what is saved is still checked."""
    page.goto(live_server.url + reverse("admin:lists_curatedlist_change", args=[curated_list.pk]))
    moving = entry_labels(page)[from_row]
    for _attempt in range(3):
        now_at = entry_labels(page).index(moving)
        if now_at == to_row:
            break
        drag_row(page, now_at, to_row)
    assert entry_labels(page).index(moving) == to_row, entry_labels(page)
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:lists_curatedlist_changelist") + "**")


def test_editor_reorders_a_seeded_list_twice_then_reverts_it_to_its_first_version(
    page, live_server, monkeypatch
):
    # As the README has it: reset the seed, create an editor, log in.
    call_command("seed", "--reset", stdout=StringIO())
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command(
        "create_editor", "anna", "--password-from-env", "EDITOR_PASSWORD", stdout=StringIO()
    )
    love = CuratedList.objects.get(slug=LOVE_LIST)
    first_order = entry_titles(love)
    assert len(first_order) == 10 and first_order[2] == "The Cranes Are Flying"
    log_in_to_admin(page, live_server, "anna", EDITOR_PASSWORD)

    drag_and_save(page, live_server, love, from_row=2, to_row=0)  # the Cranes to the top
    assert entry_titles(love)[0] == "The Cranes Are Flying"
    drag_and_save(page, live_server, love, from_row=4, to_row=1)  # the fifth to second place
    reordered = entry_titles(love)
    assert reordered[:3] == ["The Cranes Are Flying", first_order[4], first_order[0]]
    assert public_order(page, live_server, love) == reordered

    # History: the oldest version is the seed's; its page says what reverting changes.
    page.goto(live_server.url + reverse("admin:lists_curatedlist_history", args=[love.pk]))
    expect(page.locator("#change-history")).to_contain_text(
        "moved The Cranes Are Flying from 3 to 1"
    )
    page.locator("#change-history tbody tr").last.locator("a").first.click()
    expect(page.locator("#version-entries li")).to_have_count(10)
    expect(page.locator("#revert-changes")).to_contain_text("moved The Cranes Are Flying")
    page.check("#id_confirm_revert")
    page.locator("input[name=_save][value=Revert]").first.click()
    page.wait_for_url(live_server.url + reverse("admin:lists_curatedlist_changelist") + "**")

    assert entry_titles(love) == first_order
    assert public_order(page, live_server, love) == first_order


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
