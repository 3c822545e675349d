"""A list page of 100 films, each with its own uploaded poster, stays light on a phone: the
first load at 390 px (device pixel ratio 3) transfers less than 1.5 MB in all, because the
cards' posters load lazily and at the size the screen needs, and nothing shifts as they come.

The live server sends what Django sends: the HTML and the CSS uncompressed (production
compresses the static files, not the HTML), so the sum is an upper bound of production's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ops.management.commands.demo_pictures import POSTER_SIZE, demo_image
from pictures.choices import Licence, PictureKind
from pictures.services import add_picture
from tests.browser.test_pictures import LAYOUT_SHIFT_JS
from tests.factories import CreditFactory, CuratedListEntryFactory, CuratedListFactory, FilmFactory

pytestmark = [pytest.mark.browser]
FILMS = 100
BUDGET_BYTES = 1_500_000
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True}


@pytest.fixture
def list_of_100_posters(transactional_db):
    curated_list = CuratedListFactory(title="A hundred posters")
    for position in range(1, FILMS + 1):
        film = FilmFactory()
        CreditFactory(film=film)
        content = demo_image(POSTER_SIZE, position, film.title)
        add_picture(
            film,
            SimpleUploadedFile(f"{position}.jpg", content, content_type="image/jpeg"),
            kind=PictureKind.POSTER,
            alt_text=f"Poster {position}",
            licence=Licence.CC0,
        )
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)
    return curated_list


def test_a_list_of_100_posters_weighs_under_1_5_mb_on_a_phone_and_does_not_shift(
    live_server, chromium, list_of_100_posters
):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    transferred = {}

    def count(request):
        sizes = request.sizes()
        transferred[request.url] = sizes["responseHeadersSize"] + sizes["responseBodySize"]

    page.on("requestfinished", count)
    page.goto(live_server.url + list_of_100_posters.get_absolute_url(), wait_until="load")
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(LAYOUT_SHIFT_JS)
    context.close()

    posters = [url for url in transferred if "/pictures/renditions/" in url]
    total = sum(transferred.values())
    poster_bytes = sum(transferred[url] for url in posters)
    print(
        f"first load at 390 px: {total} bytes in {len(transferred)} responses, "
        f"{len(posters)} posters ({poster_bytes} bytes)"
    )
    # Lazy posters far below the first screen (past the list's jump menu) wait for the reader.
    assert len(posters) < FILMS // 4
    assert total < BUDGET_BYTES
    assert shift == 0
