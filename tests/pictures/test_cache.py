"""A new or changed picture empties the cached pages that show it, and leaves other films'
pages cached. Runs on an in-process cache and on the real Redis (`cached`)."""

import pytest

from pictures.choices import Licence, PictureKind
from pictures.services import add_picture
from tests.factories import CuratedListEntryFactory, CuratedListFactory, FilmFactory
from tests.helpers import cache_state
from tests.pictures.conftest import image_bytes, upload

# Invalidation happens when a write commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_poster_stales_its_film_and_list_pages_only(cached, client):  # noqa: F811
    stalker = FilmFactory(title="Stalker", slug="stalker")
    FilmFactory(title="Solaris", slug="solaris")
    CuratedListEntryFactory(curated_list=CuratedListFactory(slug="zone"), film=stalker, position=1)
    pages = ["/films/stalker/", "/lists/zone/", "/films/solaris/", "/api/v1/films/stalker/"]
    for path in pages:
        client.get(path)
        assert cache_state(client.get(path)) == "hit", path

    add_picture(
        stalker,
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="Stalker poster",
        licence=Licence.PUBLIC_DOMAIN,
    )

    states = {path: cache_state(client.get(path)) for path in pages}
    assert states == {
        "/films/stalker/": "miss",
        "/lists/zone/": "miss",
        "/films/solaris/": "hit",
        "/api/v1/films/stalker/": "miss",
    }
    assert "Stalker poster" in client.get("/films/stalker/").content.decode()
