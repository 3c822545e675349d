"""The public site in a real Chromium: journeys, responsive layout, accessibility (axe-core)."""

from pathlib import Path

import pytest

from catalogue.models import AwardOutcome, CreditRole, LocationKind, Verification
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

pytestmark = [pytest.mark.browser]

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def build_demo_catalogue():
    """A small catalogue: one list of two films, a director with an award, a few facts.

    Also used by `make lighthouse` (tests/browser/lighthouse.py) when there is no seed data.
    """
    soviet_union = CountryFactory()
    drama = GenreFactory(name="Drama")
    mosfilm = StudioFactory(name="Mosfilm", native_name="Мосфильм")
    menshov = PersonFactory(
        name="Vladimir Menshov", native_name="Владимир Меньшов", slug="vladimir-menshov"
    )
    alentova = PersonFactory(name="Vera Alentova", native_name="Вера Алентова")
    moscow_tears = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        slug="moscow-does-not-believe-in-tears",
        original_title="Москва слезам не верит",
        original_language="ru",
        romanized_title="Moskva slezam ne verit",
        release_year=1979,
        runtime_minutes=150,
        imdb_id="tt0079579",
    )
    moscow_tears.countries.add(soviet_union)
    moscow_tears.genres.add(drama)
    moscow_tears.studios.add(mosfilm)
    FilmTitleFactory(film=moscow_tears, title="Moscow Distrusts Tears", kind="variant")
    CreditFactory(film=moscow_tears, person=menshov, role=CreditRole.DIRECTOR)
    CreditFactory(film=moscow_tears, person=alentova, role=CreditRole.ACTOR, character="Katerina")
    academy = OrganisationFactory(name="Academy Awards", slug="academy-awards")
    AwardFactory(
        organisation=academy,
        film=moscow_tears,
        category="Best Foreign Language Film",
        ceremony_year=1981,
        outcome=AwardOutcome.WON,
    )
    AwardFactory(
        organisation=OrganisationFactory(name="Berlin Film Festival", slug="berlinale"),
        film=moscow_tears,
        person=menshov,
        category="Golden Bear",
        ceremony_year=1980,
        outcome=AwardOutcome.NOMINATED,
    )
    FilmLocationFactory(
        film=moscow_tears, place=PlaceFactory(name="Moscow"), kind=LocationKind.SETTING
    )
    source = SourceFactory(title="Ten films set in Moscow", url="https://example.com/moscow")
    FactFactory(
        film=moscow_tears,
        text="The film sold over 84 million tickets.",
        verification=Verification.CONFIRMED,
    ).sources.add(source)
    FactFactory(
        film=moscow_tears,
        text="It won two Oscars.",
        verification=Verification.DISPUTED,
        verification_note="It won one Oscar.",
    )
    walking = FilmFactory(
        title="I Walk Around Moscow",
        original_title="Я шагаю по Москве",
        original_language="ru",
        release_year=1964,
    )
    walking.countries.add(soviet_union)
    CreditFactory(film=walking, person__name="Georgiy Daneliya", role=CreditRole.DIRECTOR)
    moscow_list = CuratedListFactory(
        title="Films set in Moscow",
        slug="films-set-in-moscow",
        introduction="The city on screen.",
        featured=True,
        source=source,
    )
    CuratedListEntryFactory(
        curated_list=moscow_list,
        film=moscow_tears,
        position=1,
        blurb="Three friends arrive in Moscow in 1958.",
        fact="It won the Oscar.",
    )
    CuratedListEntryFactory(
        curated_list=moscow_list,
        film=walking,
        position=2,
        blurb="A day in the city.",
        fact="It was filmed in Leningrad.",
        verification=Verification.DISPUTED,
        verification_note="It was filmed in Moscow.",
    )
    return {"list": moscow_list, "film": moscow_tears, "person": menshov}


@pytest.fixture
def catalogue(transactional_db):
    return build_demo_catalogue()


def test_visitor_follows_list_to_film_to_director_to_award(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Films set in Moscow").first.click()
    page.wait_for_url("**/lists/films-set-in-moscow/")
    assert page.locator("h1").inner_text() == "Films set in Moscow"

    page.locator("#entry-1").get_by_role("link", name="Moscow Does Not Believe in Tears").click()
    page.wait_for_url("**/films/moscow-does-not-believe-in-tears/?list=films-set-in-moscow")
    assert "Москва слезам не верит" in page.locator("main [lang=ru]").first.inner_text()

    page.locator("main").get_by_role("link", name="Vladimir Menshov").first.click()
    page.wait_for_url("**/people/vladimir-menshov/")
    assert page.get_by_role("heading", name="Director").is_visible()

    page.get_by_role("link", name="Berlin Film Festival").click()
    page.wait_for_url("**/awards/?organisation=berlinale#berlinale")
    assert page.get_by_role("heading", name="Berlin Film Festival").is_visible()
    # The other organisations are a click away.
    assert page.get_by_role("link", name="Academy Awards").is_visible()


def test_visitor_filters_films_by_decade(page, live_server, catalogue):
    page.goto(live_server.url + "/films/")
    page.get_by_label("Decade").select_option("1960")
    page.get_by_role("button", name="Show films").click()
    page.wait_for_url("**/films/?*decade=1960*")

    cards = page.locator(".film-card__title")
    assert cards.all_inner_texts() == ["I Walk Around Moscow"]


def test_visitor_searches_from_the_header(page, live_server, catalogue):
    page.goto(live_server.url + "/lists/")
    page.get_by_label("Search films, people and lists").fill("Меньшов")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")

    assert page.locator("main").get_by_role("link", name="Vladimir Menshov").is_visible()


def test_keyboard_user_reaches_the_content_with_a_visible_focus(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.evaluate("element => element === document.activeElement")
    outline = skip_link.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"


def test_list_page_fits_a_360_pixel_phone_without_horizontal_scroll(page, live_server, catalogue):
    page.set_viewport_size({"width": 360, "height": 780})
    for path in ["/", "/lists/films-set-in-moscow/", "/films/moscow-does-not-believe-in-tears/"]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways: {width}px"
    page.goto(live_server.url + "/lists/films-set-in-moscow/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site-list-360px.png"), full_page=True)


def test_pages_run_under_the_content_security_policy(page, live_server, catalogue):
    """No inline script or style of ours is blocked by the CSP (the console would say so)."""
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    for path in ["/", "/lists/films-set-in-moscow/", "/films/moscow-does-not-believe-in-tears/"]:
        page.goto(live_server.url + path)
    assert not [text for text in violations if "Content Security Policy" in text]


@pytest.fixture
def axe_page(chromium):
    # axe-core is injected as an inline script, which the site's CSP rightly refuses.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/lists/films-set-in-moscow/",
        "/films/moscow-does-not-believe-in-tears/",
        "/people/vladimir-menshov/",
        "/films/?decade=abc",
        "/awards/",
        "/search/?q=moscow",
    ],
)
def test_page_has_no_axe_violations(axe_page, live_server, catalogue, path):
    axe_page.goto(live_server.url + path)
    axe_page.add_script_tag(path=str(AXE_JS))
    violations = axe_page.evaluate(
        """async () => (await axe.run(document)).violations.map(
            v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
    )
    assert violations == []


def test_printed_list_shows_the_films_without_site_chrome(page, live_server, catalogue):
    page.goto(live_server.url + "/lists/films-set-in-moscow/")
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".list-neighbours, .site-footer").first.is_visible()
    assert page.get_by_role("heading", name="Moscow Does Not Believe in Tears").is_visible()
