"""An editor imports a list through the admin in a real browser: upload, preview, confirm."""

from pathlib import Path

import pytest

from catalogue.models import Credit, CreditRole
from lists.models import CuratedList
from tests.conftest import EDITOR_PASSWORD
from tests.factories import FilmFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT = Path(__file__).parent / "import_documents" / "listicle-with-boilerplate.txt"


def test_editor_uploads_previews_and_confirms_a_list(page, live_server, superuser):
    FilmFactory(title="The Diamond Arm", release_year=1969)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "root-pass-1234")
    page.click("input[type=submit]")

    page.goto(live_server.url + "/admin/lists/curatedlist/")
    page.click("#import-list-link")
    page.set_input_files("input[name=document]", str(DOCUMENT))
    page.fill("input[name=title]", "Comedies for tonight")
    page.click("input[type=submit][value='Preview the import']")

    page.locator("#import-entries").wait_for()  # the preview page has loaded
    rows = page.locator("#import-entries tbody tr")
    assert rows.count() == 3
    assert "The Diamond Arm (1969)" in rows.nth(0).inner_text()
    assert "New film (unverified)" in rows.nth(1).inner_text()
    assert CuratedList.objects.count() == 0  # the preview wrote nothing

    page.click("#confirm-import input[type=submit]")

    assert "Imported “Comedies for tonight” as a draft" in page.locator(".messagelist").inner_text()
    curated_list = CuratedList.objects.get()
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.entries.count() == 3


PASTED = """Three by Tarkovsky

Stalker (1979)

Andrei Tarkovsky's Stalker follows three men into the Zone.

Zerkalo (1975)

Childhood and memory, in colour and black and white.

The Ocean Planet (1972)

A space station above a thinking ocean.
"""


def test_editor_pastes_a_list_overrides_a_match_and_confirms(page, live_server, editor):
    stalker = FilmFactory(title="Stalker", release_year=1979)
    # A long title: the widest film box an entry can have.
    solaris = FilmFactory(
        title="Solaris, or the Ocean That Thinks Above the Station Prometheus", release_year=1972
    )
    tarkovsky = PersonFactory(name="Andrei Tarkovsky")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")

    page.goto(live_server.url + "/admin/lists/curatedlist/import/")
    page.fill("textarea[name=text]", PASTED)
    page.click("input[type=submit][value='Preview the import']")

    page.locator("#import-entries").wait_for()  # the preview page has loaded
    rows = page.locator("#import-entries tbody tr")
    assert rows.count() == 3
    assert "Stalker (1979)" in rows.nth(0).inner_text()
    assert "Director: Andrei Tarkovsky" in rows.nth(0).inner_text()
    assert "New film (unverified)" in rows.nth(2).inner_text()
    # The Ocean Planet is Solaris: point the line at the catalogue's film.
    page.click("#import-line-3 .select2-selection")
    page.keyboard.type("Solaris")
    page.locator(".select2-results__option", has_text="Prometheus (1972)").click()
    assert page.locator("select[name=choice-3]").input_value() == "other"
    page.click("#confirm-import input[type=submit]")

    assert "Imported “Three by Tarkovsky” as a draft" in page.locator(".messagelist").inner_text()
    curated_list = CuratedList.objects.get()
    assert curated_list.status == CuratedList.Status.DRAFT
    films = [entry.film for entry in curated_list.entries.order_by("position")]
    assert films[0] == stalker and films[2] == solaris
    assert films[1].title == "Zerkalo"
    shown = page.locator("#entries-group").inner_text()
    assert "1. Stalker" in shown and "2. Zerkalo" in shown and "3. Solaris" in shown
    # At 1366 px every inline table fits its page, on the list and on a film with a credit
    # (the widest inlines): Verification and Delete in view, nothing to scroll sideways.
    page.set_viewport_size({"width": 1366, "height": 900})
    for url in [page.url, f"{live_server.url}/admin/catalogue/film/{stalker.pk}/change/"]:
        page.goto(url)
        tables = page.locator(".inline-related.tabular .wrapper")
        assert tables.count() >= 1
        for index in range(tables.count()):
            assert tables.nth(index).evaluate("box => box.scrollWidth <= box.clientWidth"), url
        delete_box = page.locator(".inline-related.tabular td.delete").first.bounding_box()
        assert delete_box["x"] + delete_box["width"] <= 1366
    assert Credit.objects.filter(film=stalker, person=tarkovsky, role=CreditRole.DIRECTOR).exists()
