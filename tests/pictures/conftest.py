"""Pictures made in memory for the tests, and a private media folder for each test."""

import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXIF_ORIENTATION = 0x0112
ROTATED_90_CW = 6  # "rotate 90° clockwise to display": a portrait photo taken sideways


def image_bytes(width=300, height=450, image_format="JPEG", colour=(180, 40, 40), **save):
    buffer = io.BytesIO()
    mode = "RGBA" if image_format == "PNG" else "RGB"
    Image.new(mode, (width, height), colour).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def upload(content, name="picture.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def sideways_photo_with_exif():
    """A 450×300 JPEG whose EXIF says to turn it upright (to 300×450), with a camera make
    and GPS-looking metadata that must not survive."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATED_90_CW
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS 55.75N 37.61E"  # Software
    return image_bytes(450, 300, exif=exif.tobytes())


def png_bomb(width=30_000, height=30_000):
    """A PNG that says it is width × height pixels: a few kilobytes on disk, gigabytes when
    decoded. Written chunk by chunk so the test never allocates those pixels itself."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Each test stores into its own folder of the file system storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    cache.clear()
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(media_root):
    """The names of every file now in the media folder."""

    def listing():
        if not media_root.exists():
            return []
        return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())

    return listing
