"""Pictures keep their versions like every claim: who stored or changed a picture's credit,
licence or primary flag, and why; editors read them in the admin."""

import pytest
from django.urls import reverse

from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.services import add_picture
from tests.factories import FilmFactory
from tests.helpers import change_form_data
from tests.pictures.conftest import image_bytes, upload
from tests.pictures.test_admin import picture_form

pytestmark = pytest.mark.django_db


def add_poster(film, **fields):
    return add_picture(
        film,
        upload(image_bytes(colour=fields.pop("colour", (180, 40, 40)))),
        kind=PictureKind.POSTER,
        alt_text="The poster",
        licence=Licence.CC0,
        **fields,
    )


def test_storing_a_picture_writes_its_first_version():
    poster = add_poster(FilmFactory())
    [version] = poster.history.all()
    assert version.history_type == "+" and version.history_change_reason == "Created"
    assert version.licence == Licence.CC0 and version.file == poster.file.name


def test_a_new_primary_poster_leaves_a_version_of_the_one_it_demoted():
    film = FilmFactory()
    first = add_poster(film)
    add_poster(film, colour=(20, 90, 160), is_primary=True)
    first.refresh_from_db()
    assert not first.is_primary
    assert [version.is_primary for version in first.history.all()] == [False, True]


def test_a_poster_added_in_the_film_admin_says_so(editor, editor_client, stored_files):
    film = FilmFactory()
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    editor_client.post(url, picture_form(editor_client.get(url), image_bytes()))
    [version] = FilmPicture.objects.get(film=film).history.all()
    assert version.history_change_reason == "Edited in the admin"
    assert version.history_user == editor


def test_an_editor_reads_a_pictures_changes_in_its_admin_history(editor_client, stored_files):
    poster = add_poster(FilmFactory(), author="Unknown")
    url = reverse("admin:pictures_filmpicture_change", args=[poster.pk])
    data = change_form_data(editor_client.get(url))
    data.update({"licence": Licence.PUBLIC_DOMAIN, "author": "Mosfilm"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert poster.history.count() == 2
    history = editor_client.get(reverse("admin:pictures_filmpicture_history", args=[poster.pk]))
    page = history.content.decode()
    assert history.status_code == 200
    assert "Edited in the admin" in page and "Mosfilm" in page
    change_page = editor_client.get(url).content.decode()
    assert reverse("admin:pictures_filmpicture_history", args=[poster.pk]) in change_page
