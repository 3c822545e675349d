"""A poster uploaded in the admin by an editor shows on the film page, the list page and its
browse card, on a wide and a narrow screen, and nothing on those pages shifts as it loads."""

import pytest
from django.urls import reverse

from catalogue.models import CreditRole
from tests.conftest import EDITOR_PASSWORD
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    PersonFactory,
)
from tests.helpers import log_in_to_admin
from tests.pictures.conftest import image_bytes

pytestmark = [pytest.mark.browser]
SCREENS = [(1366, 900), (390, 844)]
# Layout shifts since the page started, as the browser reports them (CLS, summed).
LAYOUT_SHIFT_JS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
})"""
POSTER_LOADED_JS = (
    """img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0"""
)


@pytest.fixture
def film_in_a_list(transactional_db, editor):
    film = FilmFactory(title="Stalker", original_title="Сталкер", release_year=1979)
    CreditFactory(
        film=film, person=PersonFactory(name="Andrei Tarkovsky"), role=CreditRole.DIRECTOR
    )
    curated_list = CuratedListFactory(title="Films of the Zone")
    CuratedListEntryFactory(curated_list=curated_list, film=film, position=1)
    return film, curated_list


def test_a_poster_uploaded_in_the_admin_shows_everywhere_without_shifting(
    live_server, page, film_in_a_list, tmp_path
):
    film, curated_list = film_in_a_list
    poster_file = tmp_path / "stalker.jpg"
    poster_file.write_bytes(image_bytes(500, 750, colour=(120, 110, 60)))

    log_in_to_admin(page, live_server, "editor", EDITOR_PASSWORD)
    page.goto(live_server.url + reverse("admin:catalogue_film_change", args=[film.pk]))
    page.get_by_text("Add another Film picture").click()
    page.set_input_files("#id_pictures-0-file", str(poster_file))
    chosen = page.locator("img.picture-upload-preview")
    chosen.wait_for()
    assert chosen.get_attribute("src").startswith("data:image/jpeg;base64,")
    page.fill("#id_pictures-0-alt_text", "Stalker poster: three men in the Zone")
    page.select_option("#id_pictures-0-licence", "public_domain")
    with page.expect_navigation(timeout=60_000):  # the renditions are made before the reply
        page.click("input[name=_continue]")
    assert page.locator(".errorlist, .errornote").all_inner_texts() == []
    assert page.locator(".picture-preview").count() == 1

    pages = [
        film.get_absolute_url(),
        curated_list.get_absolute_url(),
        reverse("catalogue:film-browse"),
    ]
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        for path in pages:
            page.goto(live_server.url + path)
            poster = page.locator('img[alt="Stalker poster: three men in the Zone"]')
            poster.scroll_into_view_if_needed()
            poster.evaluate("img => img.decode()")
            assert poster.evaluate(POSTER_LOADED_JS), (width, path)
            assert page.evaluate(LAYOUT_SHIFT_JS) == 0, (width, path)
            assert poster.get_attribute("width") and poster.get_attribute("height")


def test_a_short_page_ends_below_its_picture(live_server, page, transactional_db):
    """A person with one film: the generated portrait is taller than the text beside it, and
    the footer still starts below it, on a wide and a narrow screen."""
    person = PersonFactory(name="Aleksandr Blank")
    CreditFactory(person=person, film=FilmFactory(title="The Gypsy"), role=CreditRole.DIRECTOR)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + person.get_absolute_url())
        picture = page.locator(".picture--page").bounding_box()
        footer = page.locator(".site-footer").bounding_box()
        assert footer["y"] >= picture["y"] + picture["height"], width
