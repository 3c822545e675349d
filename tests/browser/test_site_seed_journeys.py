"""A visitor's journeys through the seed catalogue, in Chromium at desktop and phone widths:
what they see on screen, not what the HTML holds.

Loading the seed takes seconds and a live server's test flushes the database after it, so
each width runs all its journeys in one test (and the desktop one runs axe-core too)."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser]

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = {"desktop": 1366, "phone": 390}

# The films of the seed the editors could not trace (tests/fixtures check the seed itself).
UNTRACED_MUSIC_FILMS = [
    "The Violin Player",
    "The Concert",
    "The Violinist",
    "The Return of the Violin",
]
UNTRACED_LOVE_FILM = "The Love of Mankind"


@pytest.fixture
def seed(transactional_db):
    call_command("seed", verbosity=0)


@pytest.fixture(params=WIDTHS.values(), ids=WIDTHS.keys())
def visitor(chromium, request):
    context = chromium.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_visitor_journeys_through_the_seed(visitor, live_server, seed):
    from_a_list_to_a_film_its_director_and_a_related_film(visitor, live_server)
    the_films_the_editors_could_not_trace(visitor, live_server)
    the_death_of_stalin_awards_without_a_won(visitor, live_server)
    if visitor.viewport_size["width"] == WIDTHS["desktop"]:
        assert axe_violations(visitor, live_server) == {path: [] for path in AXE_PATHS}


def from_a_list_to_a_film_its_director_and_a_related_film(visitor, live_server):
    visitor.goto(live_server.url + "/lists/movies-set-in-moscow/")
    visitor.get_by_role("heading", name="1. Moscow Does Not Believe in Tears").get_by_role(
        "link"
    ).click()
    visitor.wait_for_url("**/films/moscow-does-not-believe-in-tears/?list=movies-set-in-moscow")
    assert visitor.get_by_text("Number 1 in").is_visible()
    assert visitor.get_by_role("link", name="2. The Russia House →").is_visible()

    visitor.locator(".credit-group", has_text="Director").get_by_role(
        "link", name="Vladimir Menshov"
    ).click()
    visitor.wait_for_url("**/people/vladimir-menshov/")
    assert visitor.get_by_role("heading", name="Vladimir Menshov", level=1).is_visible()

    visitor.go_back()
    related = visitor.locator(".related")
    related.get_by_role("heading", name="Also set in Moscow").scroll_into_view_if_needed()
    assert related.get_by_role("heading", name="Also set in Moscow").is_visible()
    related.get_by_role("link", name="Andrei Rublev").click()
    visitor.wait_for_url("**/films/andrei-rublev/")
    assert visitor.get_by_role("heading", name="Andrei Rublev (1966)").is_visible()


def the_films_the_editors_could_not_trace(visitor, live_server):
    visitor.goto(live_server.url + "/lists/soviet-films-about-classical-music/?view=compact")
    for title in UNTRACED_MUSIC_FILMS:
        entry = visitor.locator(".compact-entries li", has_text=title).first
        assert entry.get_by_text("Unverified film").is_visible(), title

    visitor.goto(live_server.url + "/lists/soviet-films-about-love/")
    card = visitor.locator(".entry", has_text=UNTRACED_LOVE_FILM)
    card.scroll_into_view_if_needed()
    assert card.get_by_text("Unverified film").is_visible()
    assert card.get_by_text("Not verified:").is_visible()

    card.get_by_role("link", name=UNTRACED_LOVE_FILM).click()
    visitor.wait_for_url("**/films/the-love-of-mankind/?list=soviet-films-about-love")
    assert visitor.get_by_text("Unverified film").first.is_visible()
    assert visitor.get_by_text("Editors could not confirm that this film exists").is_visible()


def the_death_of_stalin_awards_without_a_won(visitor, live_server):
    visitor.goto(live_server.url + "/films/the-death-of-stalin/")
    awards = visitor.locator("section", has=visitor.locator("#awards-heading"))
    awards.scroll_into_view_if_needed()
    text = awards.inner_text()
    assert "71st British Academy Film Awards, 2018" in text
    assert text.count("Nominated") == 2
    assert "Won" not in text

    visitor.goto(live_server.url + "/awards/?organisation=bafta")
    bafta = visitor.locator("#bafta")
    assert bafta.get_by_text("Nominated").first.is_visible()
    assert "Won" not in bafta.inner_text()


AXE_PATHS = [
    "/",
    "/lists/movies-set-in-moscow/",
    "/lists/soviet-films-about-classical-music/?view=compact",
    "/films/the-death-of-stalin/?list=movies-set-in-moscow",
    "/films/the-love-of-mankind/",
    "/awards/",
    "/search/?q=Mosfilm",
]


def axe_violations(visitor, live_server):
    """axe-core's violations on each of AXE_PATHS, in a context that lets its inline script
    run (the site's CSP rightly refuses it)."""
    context = visitor.context.browser.new_context(viewport=visitor.viewport_size, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in AXE_PATHS:
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE_JS))
        found[path] = page.evaluate(
            """async () => (await axe.run(document)).violations.map(
                v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
        )
    context.close()
    return found
