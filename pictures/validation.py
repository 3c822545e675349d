"""Reading an upload into a clean picture, or refusing it with a message a person can act on.

Nothing here touches storage or the database: `clean_upload()` either returns the bytes to
store or raises `PictureRejected`. The checks run cheapest first: the size on disk, the header
(format and dimensions, read without decoding, so a decompression bomb is refused before its
pixels are allocated), then the full decode, which finds truncated files. The clean copy is
re-encoded from the pixels with the EXIF orientation applied, so no EXIF, XMP, comments or
text chunks survive; the ICC colour profile is kept because the colours depend on it.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError, features

from pictures import errors
from pictures.choices import PictureKind

# The formats editors may upload: what every browser shows and Pillow writes back losslessly
# enough. AVIF only where this Pillow was built with it.
ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP"] + (["AVIF"] if features.check("avif") else [])
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # a 7,500 × 5,300 scan; Pillow's own bomb limit is 89 MP
# The smallest (width, height) of each kind: as wide as its smallest rendition
# (pictures.renditions.WIDTHS), so every page gets a picture at least as large as the place
# it fills, and tall enough for the shape of the kind (posters and portraits are upright).
MINIMUM_SIZES = {
    PictureKind.POSTER: (160, 220),
    PictureKind.PORTRAIT: (160, 200),
    PictureKind.STILL: (480, 270),
    PictureKind.COVER: (480, 200),
}


class PictureRejected(ValueError):
    """An upload that is not stored, with the reason a person can read."""


@dataclass(frozen=True)
class CleanPicture:
    content: bytes
    format: str
    width: int
    height: int
    content_hash: str

    @property
    def extension(self):
        return EXTENSIONS[self.format]


def max_upload_bytes():
    return getattr(settings, "PICTURES_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "PICTURES_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def clean_upload(upload):
    """The upload (a Django UploadedFile or any binary file) as a CleanPicture, or
    PictureRejected saying why not."""
    size = upload.size if hasattr(upload, "size") else len(upload.read())
    limit = max_upload_bytes()
    if size > limit:
        raise PictureRejected(
            errors.TOO_LARGE.format(size=filesizeformat(size), limit=filesizeformat(limit))
        )
    if size == 0:
        raise PictureRejected(errors.EMPTY)
    upload.seek(0)
    data = upload.read()
    picture = _open(data)
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise PictureRejected(errors.TRUNCATED) from error
    return _re_encode(picture)


def check_minimum_size(clean, kind):
    """Refuse a clean upload too small to be shown as a `kind` (MINIMUM_SIZES)."""
    width, height = MINIMUM_SIZES.get(kind, (1, 1))
    if clean.width < width or clean.height < height:
        raise PictureRejected(
            errors.TOO_SMALL.format(
                size=f"{clean.width} × {clean.height}",
                kind=PictureKind(kind).label.lower(),
                minimum=f"{width} × {height}",
            )
        )


def _open(data):
    """The image header: format and size checked before any pixel is decoded."""
    with warnings.catch_warnings():
        # Pillow warns between 1 and 2 times its limit: our own limit below is lower anyway.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as error:
            raise PictureRejected(_too_many_pixels()) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise PictureRejected(errors.NOT_AN_IMAGE) from error
    if picture.format not in ACCEPTED_FORMATS:
        raise PictureRejected(
            errors.UNSUPPORTED_FORMAT.format(
                format=picture.format or "This", allowed=", ".join(ACCEPTED_FORMATS)
            )
        )
    width, height = picture.size
    if width * height > max_pixels():
        raise PictureRejected(_too_many_pixels())
    return picture


def _too_many_pixels():
    return errors.TOO_MANY_PIXELS.format(limit_mp=max_pixels() / 1e6)


def _re_encode(picture):
    """The pixels, upright, in the upload's format, with nothing but the colour profile."""
    source_format = picture.format
    icc_profile = picture.info.get("icc_profile")
    upright = ImageOps.exif_transpose(picture)
    upright.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if source_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options.update(quality=92, optimize=True)
    elif source_format == "PNG":
        options.update(optimize=True)
    elif source_format in ("WEBP", "AVIF"):
        options.update(quality=90)
    buffer = io.BytesIO()
    upright.save(buffer, format=source_format, **options)
    content = buffer.getvalue()
    return CleanPicture(
        content=content,
        format=source_format,
        width=upright.width,
        height=upright.height,
        content_hash=hashlib.sha256(content).hexdigest(),
    )
