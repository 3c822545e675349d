"""Uploaded pictures stored on the file system go into `make backup` beside the database, and
`make restore` puts them back; an archive that is damaged, or would write outside the media
folder, is refused before the database is touched. A media bucket is not copied."""

import io
import stat
import tarfile

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Film
from ops.services import MEDIA_DAMAGED_MESSAGE, backup_media, media_archive_path
from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.services import add_picture
from tests.factories import FilmFactory
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def poster(media_root):
    return add_picture(
        FilmFactory(),
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="The poster",
        licence=Licence.CC0,
    )


def media_files(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )


def back_up(tmp_path):
    out = io.StringIO()
    call_command("backup", output=f"{tmp_path / 'backups'}/", stdout=out)
    return out.getvalue().splitlines()


def test_make_backup_archives_the_media_files_beside_the_database(poster, media_root, tmp_path):
    database, media = back_up(tmp_path)
    assert media == str(media_archive_path(database))
    with tarfile.open(media) as archive:
        assert sorted(archive.getnames()) == media_files(media_root)
    assert poster.file.name in media_files(media_root)
    assert stat.S_IMODE((tmp_path / "backups" / media).stat().st_mode) == 0o600


def test_make_restore_puts_the_pictures_back(poster, media_root, tmp_path):
    stored = media_files(media_root)
    database, _ = back_up(tmp_path)
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    FilmPicture.objects.all().delete()

    call_command("restore", database, interactive=False, stdout=io.StringIO())

    assert FilmPicture.objects.get().file.name == poster.file.name
    assert media_files(media_root) == stored


def test_a_damaged_media_archive_is_refused_before_the_database_changes(
    poster, media_root, tmp_path
):
    database, media = back_up(tmp_path)
    with open(media, "r+b") as archive:
        archive.truncate(40)
    FilmFactory()
    films = Film.objects.count()
    refusal = MEDIA_DAMAGED_MESSAGE.format(path=media, detail="")[: len(media) + 32]
    with pytest.raises(CommandError) as refused:
        call_command("restore", database, interactive=False, stdout=io.StringIO())
    assert str(refused.value).startswith(refusal)
    assert Film.objects.count() == films


def test_an_archive_that_would_write_outside_the_media_folder_is_refused(
    poster, media_root, tmp_path
):
    database, media = back_up(tmp_path)
    with tarfile.open(media, "w:gz") as archive:
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(CommandError, match="is not a readable media archive"):
        call_command("restore", database, interactive=False, stdout=io.StringIO())
    assert not (tmp_path / "outside.txt").exists()


def test_a_media_bucket_is_not_copied(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "kinoteka-media", "custom_domain": "media.example.org"},
        },
    }
    assert backup_media(tmp_path / "kinoteka.sqlite3") is None
    assert len(back_up(tmp_path)) == 1
