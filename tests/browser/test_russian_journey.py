"""A Russian reader in Chromium: the browser asks for Russian, the site answers in Russian
from the first page to a film page, and the switcher brings the same page in English."""

import re
from pathlib import Path

import pytest

from tests.pages.test_russian_pages import catalogue, english_left_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PATHS = ["/ru/films/moscow-tears/", "/ru/films/?decade=1980"]


@pytest.fixture
def russian_reader(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
        extra_http_headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_russian_reader_browses_searches_and_reads_in_russian(
    russian_reader,
    live_server,
    catalogue,  # noqa: F811
):
    page = russian_reader
    page.goto(live_server.url + "/")
    page.wait_for_url(live_server.url + "/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("navigation", name="Основная").get_by_role("link", name="Фильмы").click()
    page.wait_for_url("**/ru/films/")
    page.get_by_label("Десятилетие").select_option(label="1980-е (1)")
    page.get_by_role("button", name="Показать фильмы").click()
    page.wait_for_url(re.compile(r".*/ru/films/\?.*decade=1980"))
    assert page.get_by_role("heading", name="1 фильм", exact=True).is_visible()
    assert page.get_by_role("link", name="Москва слезам не верит").is_visible()

    search = page.get_by_role("search", name="По сайту")
    search.get_by_role("searchbox").fill("москва слезам")
    search.get_by_role("button", name="Найти").click()
    page.wait_for_url("**/ru/search/?q=*")
    page.get_by_role("link", name="Москва слезам не верит").click()

    page.wait_for_url("**/ru/films/moscow-tears/")
    assert page.get_by_role("heading", name="Москва слезам не верит (1980)", level=1).is_visible()
    for heading in ("Названия", "Актёры и съёмочная группа", "Награды", "Места", "Факты"):
        assert page.get_by_role("heading", name=heading, level=2).is_visible(), heading
    for label in ("Год", "Премьера", "Длительность", "Страна", "Жанр", "Студия"):
        assert page.locator("dt", has_text=label).first.is_visible(), label
    assert english_left_in(page.content()) == []

    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/films/moscow-tears/")
    assert page.locator("html").get_attribute("lang") == "en"
    heading = page.get_by_role("heading", name="Moscow Does Not Believe in Tears (1980)", level=1)
    assert heading.is_visible()

    assert axe_violations(page, live_server) == {path: [] for path in AXE_PATHS}


def axe_violations(page, live_server):
    """axe-core's violations on each of AXE_PATHS, in a context that lets its inline script
    run (the site's CSP rightly refuses it)."""
    context = page.context.browser.new_context(
        viewport=page.viewport_size, bypass_csp=True, locale="ru-RU"
    )
    checked = context.new_page()
    found = {}
    for path in AXE_PATHS:
        checked.goto(live_server.url + path)
        checked.add_script_tag(path=str(AXE_JS))
        found[path] = checked.evaluate(
            """async () => (await axe.run(document)).violations.map(
                v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
        )
    context.close()
    return found
