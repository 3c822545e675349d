"""An editor uploads a picture in the film admin; a bad file is refused and nothing is stored."""

import pytest
from django.urls import reverse

from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.services import add_picture
from tests.factories import FilmFactory
from tests.helpers import change_form_data
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def picture_form(response, content, **fields):
    data = change_form_data(response)
    prefix = next(
        key[: -len("-TOTAL_FORMS")]
        for key in data
        if key.endswith("-TOTAL_FORMS") and "picture" in key
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-kind": "poster",
            f"{prefix}-0-alt_text": "The poster",
            f"{prefix}-0-licence": "public_domain",
            f"{prefix}-0-verification": "unverified",
            f"{prefix}-0-file": upload(content),
            **{f"{prefix}-0-{name}": value for name, value in fields.items()},
        }
    )
    return data


def test_an_editor_uploads_a_poster_in_the_film_admin(editor_client, stored_files):
    film = FilmFactory()
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    response = editor_client.post(url, picture_form(editor_client.get(url), image_bytes()))
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    poster = FilmPicture.objects.get(film=film)
    assert poster.is_primary and poster.renditions
    page = editor_client.get(url).content.decode()
    assert 'class="picture-preview"' in page


def test_a_file_that_is_not_an_image_is_refused_in_the_admin(editor_client, stored_files):
    film = FilmFactory()
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    response = editor_client.post(
        url, picture_form(editor_client.get(url), b"%PDF-1.4 not a poster")
    )
    assert response.status_code == 200
    assert "This file is not an image Kinoteka can read." in response.content.decode()
    assert FilmPicture.objects.count() == 0 and stored_files() == []


def test_a_poster_too_small_is_refused_in_the_admin_in_the_editors_language(
    editor_client, stored_files
):
    film = FilmFactory()
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    form = picture_form(editor_client.get(url), image_bytes(20, 30))
    response = editor_client.post(url, form)
    assert response.status_code == 200
    assert "a poster must be at least 160 × 220 pixels" in response.content.decode()
    assert FilmPicture.objects.count() == 0 and stored_files() == []
    form = picture_form(editor_client.get(url), image_bytes(20, 30))
    refused = editor_client.post(url, form, HTTP_ACCEPT_LANGUAGE="ru")
    assert "наименьший размер для вида «постер» — 160 × 220 пикселей" in refused.content.decode()


def make_poster_a_still(client, width, height):
    """A stored poster of `width` × `height`, and the admin's answer to making it a still."""
    poster = add_picture(
        FilmFactory(),
        upload(image_bytes(width, height)),
        kind=PictureKind.POSTER,
        alt_text="Poster",
        licence=Licence.PUBLIC_DOMAIN,
    )
    url = reverse("admin:pictures_filmpicture_change", args=[poster.pk])
    data = change_form_data(client.get(url))
    data["kind"] = PictureKind.STILL
    return poster, client.post(url, data)


def test_a_stored_poster_too_small_for_a_still_cannot_become_one(editor_client, stored_files):
    poster, response = make_poster_a_still(editor_client, 200, 400)

    assert response.status_code == 200
    assert "a still must be at least 480 × 270 pixels" in response.content.decode()
    poster.refresh_from_db()
    assert poster.kind == PictureKind.POSTER


def test_a_stored_picture_large_enough_for_another_kind_may_become_it(editor_client, stored_files):
    poster, response = make_poster_a_still(editor_client, 960, 540)

    assert response.status_code == 302
    poster.refresh_from_db()
    assert poster.kind == PictureKind.STILL
