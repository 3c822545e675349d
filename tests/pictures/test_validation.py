"""An upload is either a clean picture or refused with a message a person can act on."""

import io

import pytest
from PIL import Image

from pictures import errors
from pictures.validation import PictureRejected, clean_upload
from tests.pictures.conftest import image_bytes, png_bomb, sideways_photo_with_exif, upload


def rejection(content, **kwargs):
    with pytest.raises(PictureRejected) as refused:
        clean_upload(upload(content, **kwargs))
    return str(refused.value)


def test_a_text_file_is_not_an_image():
    assert rejection(b"Stalker (1979), dir. Tarkovsky\n") == errors.NOT_AN_IMAGE


def test_an_empty_file_is_refused():
    assert rejection(b"") == errors.EMPTY


def test_a_gif_is_an_unsupported_format():
    message = rejection(image_bytes(image_format="GIF"), name="poster.gif")
    assert message.startswith("GIF pictures are not accepted")
    assert "JPEG" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PICTURES_MAX_UPLOAD_BYTES = 2048
    content = image_bytes(600, 900, quality=100)
    assert (
        rejection(content)
        == f"The file is {len(content) / 1024:.1f}\xa0KB; pictures may be at most 2.0\xa0KB."
    )


def test_a_decompression_bomb_is_refused_from_its_header():
    message = rejection(png_bomb(), name="bomb.png")
    assert message == errors.TOO_MANY_PIXELS.format(limit_mp=40)


def test_a_bomb_past_pillows_own_limit_is_refused_too():
    assert "megapixels" in rejection(png_bomb(20_000, 10_000), name="bomb.png")


def test_a_truncated_file_is_refused():
    whole = image_bytes(600, 900, colour=(10, 200, 90), quality=95)
    assert rejection(whole[: len(whole) // 2]) == errors.TRUNCATED


def test_exif_is_stripped_and_the_orientation_applied():
    clean = clean_upload(upload(sideways_photo_with_exif()))
    stored = Image.open(io.BytesIO(clean.content))
    assert (clean.width, clean.height) == (300, 450) == stored.size
    assert dict(stored.getexif()) == {}
    assert b"SecretCam" not in clean.content


def test_a_png_keeps_its_format_and_transparency():
    clean = clean_upload(upload(image_bytes(image_format="PNG", colour=(0, 0, 0, 0)), name="p.png"))
    assert clean.format == "PNG"
    assert Image.open(io.BytesIO(clean.content)).mode == "RGBA"
