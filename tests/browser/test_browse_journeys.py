"""The browse page (/films/) in a real Chromium, at a desktop's and a phone's width: a person
picks filters from the facets, sorts, and drops a filter by its chip; axe-core finds nothing."""

from pathlib import Path

import pytest

from catalogue.models import AwardOutcome, LocationKind, Verification
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    FilmLocationFactory,
    GenreFactory,
    OrganisationFactory,
    PlaceFactory,
    StudioFactory,
)

pytestmark = [pytest.mark.browser]

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalogue(transactional_db):
    """Five films: three Mosfilm comedies and dramas of the 1970s, a 1950s drama, a Russian
    thriller of the 1990s."""
    soviet_union = CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    russia = CountryFactory(code="RU", name="Russia", slug="russia")
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    mosfilm = StudioFactory(name="Mosfilm", slug="mosfilm")
    moscow = PlaceFactory(name="Moscow", slug="moscow")
    cannes = OrganisationFactory(name="Cannes Film Festival", slug="cannes")
    for title, year, country, genre, outcome in [
        ("The Cranes Are Flying", 1957, soviet_union, drama, AwardOutcome.WON),
        ("The Irony of Fate", 1975, soviet_union, comedy, None),
        ("Garage", 1979, soviet_union, comedy, None),
        ("Moscow Does Not Believe in Tears", 1979, soviet_union, drama, AwardOutcome.WON),
        ("Brother", 1997, russia, GenreFactory(name="Thriller"), AwardOutcome.NOMINATED),
    ]:
        film = FilmFactory(title=title, release_year=year, verification=Verification.CONFIRMED)
        film.countries.add(country)
        film.genres.add(genre)
        if country == soviet_union:
            film.studios.add(mosfilm)
            FilmLocationFactory(film=film, place=moscow, kind=LocationKind.SETTING)
        if outcome:
            AwardFactory(film=film, organisation=cannes, outcome=outcome, ceremony_year=year + 1)
        if genre == comedy:
            CuratedListEntryFactory(
                curated_list=CuratedListFactory(title="Ryazanov", slug="ryazanov")
                if title == "Garage"
                else CuratedListFactory(title="New Year", slug="new-year"),
                film=film,
            )


def card_titles(page):
    return page.locator(".film-card__title").all_inner_texts()


def chip_texts(page):
    """What each chip reads on screen (its hidden "(remove this filter)" left out)."""
    return page.locator(".chip").evaluate_all(
        "chips => chips.map(chip => chip.firstChild.textContent.trim())"
    )


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_a_visitor_picks_one_filter_and_gets_films(page, live_server, catalogue, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/films/")
    assert page.get_by_role("heading", name="5 films").is_visible()

    page.get_by_label("Award outcome").select_option(label="Won (2)")
    page.get_by_role("button", name="Show films").click()

    page.wait_for_url("**/films/?award_outcome=won&ordering=year")
    assert page.get_by_role("heading", name="2 films").is_visible()
    assert card_titles(page) == ["The Cranes Are Flying", "Moscow Does Not Believe in Tears"]
    assert page.get_by_role("link", name="Award outcome: Won").is_visible()
    assert fits_the_screen(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_a_visitor_combines_three_filters_and_sorts(page, live_server, catalogue, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/films/")

    page.get_by_label("Country").select_option(label="Soviet Union (4)")
    page.get_by_label("Studio").select_option(label="Mosfilm (4)")
    page.get_by_label("Set in").select_option(label="Moscow (4)")
    page.get_by_label("Sort by").select_option(label="Year, newest first")
    page.get_by_role("button", name="Show films").click()

    page.wait_for_url("**/films/?*ordering=-year*")
    assert page.get_by_role("heading", name="4 films").is_visible()
    # 1979 twice (the older row first), then 1975, then 1957.
    assert card_titles(page) == [
        "Garage",
        "Moscow Does Not Believe in Tears",
        "The Irony of Fate",
        "The Cranes Are Flying",
    ]
    assert chip_texts(page) == ["Country: Soviet Union", "Studio: Mosfilm", "Set in: Moscow"]
    assert page.locator(".chip__remove").first.is_visible()
    assert page.get_by_label("Sort by").input_value() == "-year"
    assert fits_the_screen(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_a_visitor_removes_a_filter_by_its_chip(page, live_server, catalogue, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/films/?genre=Drama&decade=1970s")
    assert card_titles(page) == ["Moscow Does Not Believe in Tears"]

    page.get_by_role("link", name="Decade: 1970s").click()

    page.wait_for_url("**/films/?genre=Drama")
    assert card_titles(page) == ["The Cranes Are Flying", "Moscow Does Not Believe in Tears"]
    assert chip_texts(page) == ["Genre: Drama"]
    assert page.get_by_label("Decade").input_value() == ""
    assert page.get_by_label("Genre").input_value() == "drama"


@pytest.fixture
def axe_page(chromium):
    # axe-core is injected as an inline script, which the site's CSP rightly refuses.
    context = chromium.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_the_browse_page_has_no_axe_violations(axe_page, live_server, catalogue):
    """Blank, with filters and chips, and with a name that matches nothing."""
    for path in [
        "/films/",
        "/films/?genre=drama&decade=1970&ordering=-year",
        "/films/?genre=Western",
    ]:
        axe_page.goto(live_server.url + path)
        axe_page.add_script_tag(path=str(AXE_JS))
        violations = axe_page.evaluate(
            """async () => (await axe.run(document)).violations.map(
                v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
        )
        assert violations == [], path
