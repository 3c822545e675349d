"""Storing a picture: the clean original and its renditions, one primary per kind, and
nothing stored when anything is refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image

from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.renditions import FORMATS
from pictures.services import PictureRejected, add_picture
from tests.factories import FilmFactory, PersonFactory
from tests.pictures.conftest import image_bytes, sideways_photo_with_exif, upload

CREDIT = {"alt_text": "The poster: a man walks a dark corridor", "licence": Licence.PUBLIC_DOMAIN}


def add_poster(film, content=None, **fields):
    return add_picture(
        film, upload(content or image_bytes()), kind=PictureKind.POSTER, **{**CREDIT, **fields}
    )


@pytest.mark.django_db
def test_a_poster_is_stored_with_renditions_in_every_format_and_width(stored_files):
    poster = add_poster(FilmFactory(), image_bytes(700, 1050))
    widths = sorted({r["width"] for r in poster.renditions})
    assert widths == [160, 320, 480, 640]  # never wider than the 700-pixel original
    assert {r["format"] for r in poster.renditions} == set(FORMATS)
    assert "avif" in FORMATS  # this Pillow writes AVIF
    for rendition in poster.renditions:
        with default_storage.open(rendition["name"]) as stored:
            image = Image.open(stored)
            assert image.format == rendition["format"].upper()
            assert image.size == (rendition["width"], rendition["height"])
    assert len(stored_files()) == 1 + len(poster.renditions)


@pytest.mark.django_db
def test_a_small_original_gets_no_rendition_wider_than_itself():
    poster = add_poster(FilmFactory(), image_bytes(200, 300))
    assert {(r["width"], r["height"]) for r in poster.renditions} == {(160, 240)}


@pytest.mark.django_db
def test_the_stored_original_is_upright_and_without_exif():
    poster = add_poster(FilmFactory(), sideways_photo_with_exif())
    with default_storage.open(poster.file.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.size == (300, 450) == (poster.width, poster.height)
    assert dict(image.getexif()) == {}


@pytest.mark.django_db
def test_a_refused_file_stores_nothing(stored_files):
    with pytest.raises(PictureRejected):
        add_poster(FilmFactory(), b"not a picture")
    assert stored_files() == []
    assert FilmPicture.objects.count() == 0


@pytest.mark.django_db
def test_missing_alt_text_is_refused_before_anything_is_stored(stored_files):
    with pytest.raises(ValidationError) as refused:
        add_poster(FilmFactory(), alt_text="  ")
    assert "alt_text" in refused.value.message_dict
    assert stored_files() == []


@pytest.mark.django_db
def test_fair_use_needs_a_note():
    with pytest.raises(ValidationError) as refused:
        add_poster(FilmFactory(), licence=Licence.FAIR_USE)
    assert "licence_note" in refused.value.message_dict
    assert add_poster(
        FilmFactory(),
        licence=Licence.FAIR_USE,
        licence_note="Low-resolution poster for identification.",
    )


@pytest.mark.django_db
def test_a_film_cannot_have_a_portrait():
    with pytest.raises(ValidationError) as refused:
        add_picture(FilmFactory(), upload(image_bytes()), kind=PictureKind.PORTRAIT, **CREDIT)
    assert "kind" in refused.value.message_dict


@pytest.mark.django_db
def test_the_first_poster_is_primary_and_a_new_primary_demotes_it():
    film = FilmFactory()
    first = add_poster(film)
    second = add_poster(film, image_bytes(colour=(0, 0, 200)))
    assert first.is_primary and not second.is_primary
    third = add_poster(film, image_bytes(colour=(0, 200, 0)), is_primary=True)
    primaries = list(FilmPicture.objects.filter(film=film).primary())
    assert primaries == [third]


@pytest.mark.django_db
def test_the_database_holds_one_primary_per_object_and_kind():
    film = FilmFactory()
    first = add_poster(film)
    duplicate = FilmPicture(
        film=film,
        kind=PictureKind.POSTER,
        is_primary=True,
        content_hash="x",
        file=first.file.name,
        **CREDIT,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_picture_removes_its_files(stored_files):
    poster = add_poster(FilmFactory())
    assert stored_files()
    poster.delete()
    assert stored_files() == []


@pytest.mark.django_db
def test_a_person_gets_a_portrait():
    portrait = add_picture(
        PersonFactory(), upload(image_bytes()), kind=PictureKind.PORTRAIT, **CREDIT
    )
    assert portrait.is_primary and portrait.person_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "owner_factory", "size"),
    [
        (PictureKind.POSTER, FilmFactory, (1, 1)),
        (PictureKind.POSTER, FilmFactory, (20, 30)),
        (PictureKind.POSTER, FilmFactory, (159, 240)),
        (PictureKind.STILL, FilmFactory, (400, 300)),
        (PictureKind.PORTRAIT, PersonFactory, (160, 199)),
    ],
)
def test_a_picture_smaller_than_its_kinds_minimum_is_refused(
    kind, owner_factory, size, stored_files
):
    with pytest.raises(PictureRejected, match=r"must be at least \d+ × \d+ pixels"):
        add_picture(owner_factory(), upload(image_bytes(*size)), kind=kind, **CREDIT)
    assert stored_files() == [] and not FilmPicture.objects.exists()


@pytest.mark.django_db
def test_a_picture_of_exactly_its_kinds_minimum_is_stored():
    assert add_poster(FilmFactory(), image_bytes(160, 220)).pk
