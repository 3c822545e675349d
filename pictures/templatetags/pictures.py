"""Pictures in templates: one tag per object kind, one line per template.

{% load pictures %}
{% poster film "card" %}      the primary poster, or the film's typographic poster
{% portrait person "page" %}  the primary portrait, or the person's typographic one
{% cover curated_list "wide" %}  the list's cover, or nothing
{% picture_head film %}       in <head>: preload the page's picture and its og:image
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pictures.display import (
    PLACES,
    largest_jpeg_url,
    list_cover,
    main_picture,
    shown_film_poster,
    shown_picture,
    shown_portrait,
)
from pictures.renditions import FORMATS, MIME_TYPES

register = template.Library()
PICTURE_TEMPLATE = "pictures/picture.html"


@register.inclusion_tag(PICTURE_TEMPLATE)
def poster(film, place="card"):
    return {"shown": shown_film_poster(film, place)}


@register.inclusion_tag(PICTURE_TEMPLATE)
def portrait(person, place="page"):
    return {"shown": shown_portrait(person, place)}


@register.inclusion_tag(PICTURE_TEMPLATE)
def cover(curated_list, place="wide"):
    picture = list_cover(curated_list)
    return {"shown": shown_picture(picture, place) if picture else None}


@register.simple_tag(takes_context=True)
def picture_head(context, obj, place="page"):
    """The <head> lines of a page whose main picture is `obj`'s primary one: a preload of its
    best format (the page's largest image, so it starts before the CSS is read) and og:image.
    Nothing for a generated poster. Its ImageObject goes in the page's JSON-LD
    (pictures.display.image_object)."""
    picture = main_picture(obj)
    if picture is None:
        return ""
    request = context.get("request")
    shown = shown_picture(picture, place)
    lines = []
    best = next(
        (fmt for fmt in FORMATS if any(r["format"] == fmt for r in picture.renditions)), None
    )
    if best:
        best_srcset = next(
            (s["srcset"] for s in shown.sources if s["type"] == MIME_TYPES[best]),
            shown.fallback_srcset,
        )
        lines.append(
            format_html(
                '<link rel="preload" as="image" type="{}" imagesrcset="{}" imagesizes="{}" '
                'fetchpriority="high">',
                MIME_TYPES[best],
                best_srcset,
                PLACES[place],
            )
        )
    image_url = _absolute(request, largest_jpeg_url(picture))
    lines.append(format_html('<meta property="og:image" content="{}">', image_url))
    lines.append(format_html('<meta property="og:image:alt" content="{}">', picture.alt_text))
    return mark_safe("\n".join(lines))


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url
