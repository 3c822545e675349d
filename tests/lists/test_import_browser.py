"""An editor imports a list through the admin in a real browser: upload, preview, confirm."""

from pathlib import Path

import pytest

from lists.models import CuratedList
from tests.factories import FilmFactory

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
