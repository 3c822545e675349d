"""Give films and lists demo pictures drawn with Pillow, stored as an editor's upload would be
(validation, renditions, the configured storage): for `make lighthouse`, the page-weight
test and trying the site with pictures. Never part of the seed catalogue."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db.models import F
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from catalogue.models import Film
from lists.models import CuratedList
from pictures.choices import Licence, PictureKind
from pictures.services import add_picture

DEMO_AUTHOR = "Kinoteka demo"
POSTER_SIZE = (600, 900)
COVER_SIZE = (1440, 480)


def demo_image(size, seed, words=""):
    """A JPEG that compresses like a painted poster: a gradient, soft shapes and a title."""
    rng = random.Random(seed)
    width, height = size
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(10, 120) for _ in range(3))
    image = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), image)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(width // 10, width // 3)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(width // 60))
    if words:
        font = ImageFont.load_default(size=width // 12)
        ImageDraw.Draw(image).text(
            (width // 12, height * 3 // 4), words[:18], fill=(250, 245, 230), font=font
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def give_poster(film):
    content = demo_image(POSTER_SIZE, film.pk, film.title)
    return add_picture(
        film,
        SimpleUploadedFile(f"{film.slug}.jpg", content, content_type="image/jpeg"),
        kind=PictureKind.POSTER,
        alt_text=f"Demo poster of {film.title}",
        author=DEMO_AUTHOR,
        licence=Licence.CC0,
    )


def give_cover(curated_list):
    content = demo_image(COVER_SIZE, curated_list.pk)
    return add_picture(
        curated_list,
        SimpleUploadedFile(f"{curated_list.slug}.jpg", content, content_type="image/jpeg"),
        kind=PictureKind.COVER,
        alt_text=f"Demo cover of the list {curated_list.title}",
        author=DEMO_AUTHOR,
        licence=Licence.CC0,
    )


class Command(BaseCommand):
    help = (
        "Give films without a poster, and lists without a cover, demo pictures drawn with "
        "Pillow (CC0, author 'Kinoteka demo'). --films N (default 40) and --lists N (default 3)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=40)
        parser.add_argument("--lists", type=int, default=3)

    def handle(self, *args, films=40, lists=3, **options):
        # The first films of each list first, so list pages show pictures at their top.
        posterless = Film.objects.filter(pictures__isnull=True).order_by(
            F("list_entries__position").asc(nulls_last=True), "pk"
        )
        chosen = list(dict.fromkeys(posterless))[:films]  # a film in two lists comes twice
        for film in chosen:
            give_poster(film)
        coverless = CuratedList.objects.filter(covers__isnull=True).order_by("pk")[:lists]
        covered = [give_cover(curated_list) for curated_list in coverless]
        self.stdout.write(f"Demo posters: {len(chosen)}; demo covers: {len(covered)}.")
