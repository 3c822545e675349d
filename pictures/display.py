"""How a picture is shown: the `<picture>` sources of its renditions, the sizes each place on
a page gives it, and the picture (or generated poster) that stands for an object. The pages
(pages/templating.py) and the API serializers both read these."""

from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from core.translations import translated_text
from pictures.choices import PictureKind
from pictures.models import pictures_from_rows
from pictures.posters import generated_film_poster, generated_portrait
from pictures.renditions import FORMATS, MIME_TYPES

# The `sizes` attribute for each place a picture is shown (CSS widths from static/css/site.css).
PLACES = {
    "thumb": "48px",
    "card": "(max-width: 600px) 80px, 112px",
    "page": "(max-width: 600px) 40vw, 280px",
    "wide": "(max-width: 1100px) 100vw, 1100px",
    "listcard": "(max-width: 600px) 100vw, 360px",
    "listcard-top": "(max-width: 600px) 100vw, 360px",  # the first card of a page
}
# Pictures in these places are at the top of their page: loaded at once, and with priority.
EAGER_PLACES = {"page", "wide", "listcard-top"}
# A 48-pixel thumbnail next to a link to the film carries no credit line: one hidden on
# screen would still be read aloud in every result. The film and picture pages credit it.
UNCREDITED_PLACES = {"thumb"}


@dataclass
class Shown:
    """Everything a template needs to draw one picture."""

    picture: object = None  # a Picture row, or None for a generated poster
    generated_url: str = ""
    width: int = 0
    height: int = 0
    place: str = "card"
    sources: list = field(default_factory=list)  # [{"type", "srcset"}], best format first
    fallback_src: str = ""
    fallback_srcset: str = ""

    @property
    def sizes(self):
        return PLACES[self.place]

    @property
    def eager(self):
        return self.place in EAGER_PLACES

    @property
    def credited(self):
        return self.place not in UNCREDITED_PLACES


def rendition_urls(picture):
    """The picture's renditions with their URLs: [{format, type, width, height, url}]."""
    return [
        {
            "format": rendition["format"],
            "type": MIME_TYPES[rendition["format"]],
            "width": rendition["width"],
            "height": rendition["height"],
            "url": default_storage.url(rendition["name"]),
        }
        for rendition in picture.renditions
    ]


def srcset(renditions):
    return ", ".join(f"{r['url']} {r['width']}w" for r in renditions)


def shown_picture(picture, place):
    """A stored picture's `<picture>`: a <source> per modern format, JPEG in the <img>."""
    renditions = rendition_urls(picture)
    by_format = {fmt: [r for r in renditions if r["format"] == fmt] for fmt in FORMATS}
    fallback = by_format["jpeg"] or renditions
    smallest = fallback[0] if fallback else {"width": picture.width, "height": picture.height}
    return Shown(
        picture=picture,
        width=smallest["width"],
        height=smallest["height"],
        place=place,
        sources=[
            {"type": MIME_TYPES[fmt], "srcset": srcset(by_format[fmt])}
            for fmt in FORMATS
            if fmt != "jpeg" and by_format[fmt]
        ],
        fallback_src=fallback[-1]["url"] if fallback else picture.file.url,
        fallback_srcset=srcset(fallback),
    )


def shown_generated(poster, place):
    return Shown(generated_url=poster.url, width=poster.width, height=poster.height, place=place)


def primary_picture(obj, attr, relation, kind):
    """The object's primary picture of `kind`: from `attr` when the page's query brought it,
    as a JSON column (pictures.models.poster_column) or a prefetched list
    (poster_prefetch), else one query."""
    if hasattr(obj, attr):
        found = getattr(obj, attr)
        if found and isinstance(found[0], dict):  # JSON rows: made into pictures once
            found = pictures_from_rows(obj._meta.get_field(relation).related_model, found)
            setattr(obj, attr, found)
        return found[0] if found else None
    return getattr(obj, relation).primary().of_kind(kind).first()


def film_poster(film):
    return primary_picture(film, "primary_posters", "pictures", PictureKind.POSTER)


def person_portrait(person):
    return primary_picture(person, "primary_portraits", "pictures", PictureKind.PORTRAIT)


def list_cover(curated_list):
    if getattr(curated_list, "cover_joined", False):  # pictures.models.with_cover_joined
        return getattr(curated_list, "joined_cover", None)
    return primary_picture(curated_list, "primary_covers", "covers", PictureKind.COVER)


def shown_film_poster(film, place):
    """The film's primary poster, or its typographic one."""
    picture = film_poster(film)
    if picture is not None:
        return shown_picture(picture, place)
    return shown_generated(generated_film_poster(film), place)


def shown_portrait(person, place):
    picture = person_portrait(person)
    if picture is not None:
        return shown_picture(picture, place)
    return shown_generated(generated_portrait(person), place)


MAIN_PICTURE = {"film": film_poster, "person": person_portrait, "curatedlist": list_cover}


def main_picture(obj):
    """The primary poster of a film, portrait of a person or cover of a list, or None."""
    finder = MAIN_PICTURE.get(obj._meta.model_name)
    return finder(obj) if finder else None


def image_object(obj, absolute):
    """schema.org ImageObject of `obj`'s main picture (or None), with its credit and licence:
    how search engines learn who made a picture and under which terms. `absolute` turns a
    path into a full URL."""
    picture = main_picture(obj)
    if picture is None:
        return None
    data = {
        "@type": "ImageObject",
        "contentUrl": absolute(largest_jpeg_url(picture)),
        "caption": picture.caption or picture.alt_text,
        "creditText": picture.author,
        "creator": {"@type": "Person", "name": picture.author} if picture.author else None,
        "license": picture.licence_url,
        "acquireLicensePage": absolute(picture.get_absolute_url()),
    }
    return {key: value for key, value in data.items() if value}


def largest_jpeg_url(picture):
    """The biggest JPEG rendition: what Open Graph and search engines are given."""
    jpegs = [r for r in rendition_urls(picture) if r["format"] == "jpeg"]
    return jpegs[-1]["url"] if jpegs else picture.file.url


def owner_name(picture, language):
    """The name of the pictured film, person or list that a reader of `language` reads first
    (a core.languages.Name): the original title leads on /ru/, a list's title is translated."""
    owner = picture.owner
    if hasattr(owner, "names_in"):
        return owner.names_in(language)[0]
    return translated_text(owner, "title", language)
