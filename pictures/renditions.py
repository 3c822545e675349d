"""The resized copies of a picture that pages and the API serve.

django-imagekit does the work (its specs run Pillow through pilkit's processors and its
cache files are named from a hash of the source and the spec, in the `default` storage);
this module decides which copies exist. Renditions are made once, when a picture is stored,
and described in the picture's `renditions` column (format, width, height, storage name), so
a page builds its `<picture>`/`srcset` without opening a file or asking the storage.
"""

from django.core.files.storage import default_storage
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import MakeOpaque, ResizeToFit
from PIL import features

from pictures.choices import PictureKind

# The widths (CSS pixels × 1 and × 2) of the places each kind is shown: a poster on a card
# (about 120 px wide), on the film page (about 300 px); stills and covers across the page.
WIDTHS = {
    PictureKind.POSTER: (160, 320, 480, 640),
    PictureKind.PORTRAIT: (160, 320, 480),
    PictureKind.STILL: (480, 960, 1440),
    PictureKind.COVER: (480, 960, 1440),
}
# Best first: a browser takes the first <source> whose type it knows. JPEG is the fallback
# every browser shows, in the <img> itself.
FORMATS = (["avif"] if features.check("avif") else []) + ["webp", "jpeg"]
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
# Encoder settings chosen for small files that still look right at 2× density.
OPTIONS = {
    "avif": {"quality": 55, "speed": 8},
    "webp": {"quality": 78, "method": 4},
    "jpeg": {"quality": 80, "optimize": True, "progressive": True},
}


class Rendition(ImageSpec):
    """One width in one format of a picture."""

    def __init__(self, source, *, width, image_format):
        self.processors = [ResizeToFit(width=width, upscale=False)]
        if image_format == "jpeg":
            self.processors.append(MakeOpaque())  # JPEG has no transparency: white behind
        self.format = image_format.upper()
        self.options = OPTIONS[image_format]
        super().__init__(source=source)


def widths_for(kind, source_width):
    """The widths to make for a source `source_width` pixels wide: never wider than the
    source, and the source's own width when it is narrower than the smallest."""
    widths = [width for width in WIDTHS[kind] if width <= source_width]
    return widths or [source_width]


def scaled_height(width, source_width, source_height):
    """The height ResizeToFit gives `width` (it keeps the ratio and rounds)."""
    return int(round(source_height * width / source_width))


def make_renditions(picture, source):
    """Make and store every rendition of `picture` from `source` (a File named like the
    stored original); returns their descriptions for `picture.renditions`."""
    made = []
    for width in widths_for(picture.kind, picture.width):
        height = scaled_height(width, picture.width, picture.height)
        for image_format in FORMATS:
            source.seek(0)
            cache_file = ImageCacheFile(
                Rendition(source, width=width, image_format=image_format),
                storage=default_storage,
            )
            cache_file.generate(force=True)
            made.append(
                {"format": image_format, "width": width, "height": height, "name": cache_file.name}
            )
    return made


def delete_renditions(renditions):
    """Remove stored renditions, as a picture's `renditions` column describes them."""
    for rendition in renditions:
        default_storage.delete(rendition["name"])
