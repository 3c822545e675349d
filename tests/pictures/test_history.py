"""Pictures keep their versions like every claim: who stored or changed a picture's credit,
licence or primary flag, and why; editors read them in the admin."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.services import ORIGINAL_GONE, add_picture, store_picture
from tests.factories import FilmFactory
from tests.helpers import change_form_data
from tests.pictures.conftest import image_bytes, upload
from tests.pictures.test_admin import picture_form
from tests.pictures.test_storage import s3_media, s3_server  # noqa: F401 (shared fixtures)

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


@pytest.fixture(params=["file system", "bucket"])
def storage(request):
    """The tests below run on the file system storage and on an S3 bucket (moto)."""
    if request.param == "bucket":
        request.getfixturevalue("s3_media")
    return request.param


def stored(name):
    return default_storage.exists(name)


def replace_file(poster, colour=(20, 90, 160)):
    return store_picture(poster, upload(image_bytes(colour=colour)))


def revert(client, picture, version, **changes):
    url = reverse("admin:pictures_filmpicture_simple_history", args=[picture.pk, version])
    page = client.get(url)
    return page, client.post(url, change_form_data(page, confirm_revert="yes", **changes))


def test_a_replaced_original_is_kept_for_its_versions_and_its_renditions_go(
    storage, django_capture_on_commit_callbacks
):
    poster = add_poster(FilmFactory())
    first_file, first_renditions = poster.file.name, poster.renditions
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(poster)
    assert poster.file.name != first_file and all(stored(r["name"]) for r in poster.renditions)
    assert stored(first_file)
    assert not any(stored(rendition["name"]) for rendition in first_renditions)


def test_reverting_to_a_replaced_picture_brings_back_its_image_and_renditions(
    storage, editor_client, django_capture_on_commit_callbacks
):
    poster = add_poster(FilmFactory())
    first_file, first_renditions = poster.file.name, poster.renditions
    [first_version] = poster.history.all()
    with django_capture_on_commit_callbacks(execute=True):
        replaced = replace_file(poster)
    second_renditions = replaced.renditions
    with django_capture_on_commit_callbacks(execute=True):
        _, response = revert(editor_client, poster, first_version.history_id)
    assert response.status_code == 302
    poster.refresh_from_db()
    assert poster.file.name == first_file and stored(first_file)
    assert poster.renditions == first_renditions
    assert all(stored(rendition["name"]) for rendition in poster.renditions)
    assert not any(stored(rendition["name"]) for rendition in second_renditions)
    assert poster.history.first().history_change_reason.startswith("Reverted to the version of")


def test_a_revert_to_a_version_whose_file_is_gone_is_refused_and_writes_nothing(
    storage, editor_client, django_capture_on_commit_callbacks
):
    poster = add_poster(FilmFactory())
    [first_version] = poster.history.all()
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(poster)
    default_storage.delete(first_version.file)  # gone, as replaced originals once were
    poster.refresh_from_db()
    current, versions = (poster.file.name, poster.renditions), poster.history.count()
    page, response = revert(editor_client, poster, first_version.history_id)
    assert str(ORIGINAL_GONE) in page.content.decode()
    url = reverse(
        "admin:pictures_filmpicture_simple_history", args=[poster.pk, first_version.history_id]
    )
    in_russian = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Файл изображения этой версии больше не хранится" in in_russian
    assert response.status_code == 302
    poster.refresh_from_db()
    assert (poster.file.name, poster.renditions) == current
    assert poster.history.count() == versions


def test_deleting_a_picture_removes_the_originals_its_versions_kept(
    stored_files, django_capture_on_commit_callbacks
):
    film = FilmFactory()
    poster = add_poster(film)
    other = add_poster(film, colour=(0, 0, 0))  # another picture, whose files stay
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(poster)
    kept = sorted([other.file.name, *(r["name"] for r in other.renditions)])
    with django_capture_on_commit_callbacks(execute=True):
        poster.delete()
    assert stored_files() == kept
