"""A film's read document gives its pictures' addresses on the host each reader asked."""

import pytest
from rest_framework.test import APIClient

from core.models import ReadDocument
from pictures.choices import Licence, PictureKind
from pictures.services import add_picture
from tests.factories import FilmFactory
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_picture_addresses_follow_each_readers_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    film = FilmFactory(slug="stalker")
    add_picture(
        film,
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="Poster",
        licence=Licence.PUBLIC_DOMAIN,
    )
    client = APIClient()
    first = client.get("/api/v1/films/stalker/").json()
    assert ReadDocument.objects.filter(key="stalker").exists()
    assert "testserver" not in ReadDocument.objects.get(key="stalker").body

    mirrored = client.get("/api/v1/films/stalker/", HTTP_HOST="mirror.example").json()

    [picture] = mirrored["pictures"]
    assert picture["page_url"].startswith("http://mirror.example/")
    assert all(r["url"].startswith("http://mirror.example/media/") for r in picture["renditions"])
    assert mirrored["pictures"] != first["pictures"]
    assert str(mirrored).replace("mirror.example", "testserver") == str(first)
