"""What the public site's templates say of its objects: names and `lang` attributes in the
reader's language, trust badges, structured data, absolute URLs (pages.templating gives them
to the templates; the ones taking `context` read the request and the CSP nonce from it)."""

import json
from functools import lru_cache

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalogue.models import AwardOutcome, Person, Verification
from core.languages import names_in_reading_order, text_language
from core.response_cache import ALL_PARAMETERS, note_loaded, object_tag
from core.translations import translated_text
from pages.prose import sentences_within
from pictures.display import PLACES, image_object, largest_jpeg_url, main_picture, shown_picture
from pictures.renditions import FORMATS, MIME_TYPES

SCHEMA_CONTEXT = "https://schema.org"

# The same escapes as django.utils.html.json_script: text in a <script> element can never
# close it ("</script>") or open markup, whatever an editor or a document wrote.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def render_json_ld(data, nonce):
    """A schema.org JSON-LD <script> block, escaped like `json_script`, with the CSP nonce."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    payload = payload.translate(JSON_SCRIPT_ESCAPES)
    # A LazyNonce is falsy until first used: compare with None, then str() generates it.
    nonce = "" if nonce is None else str(nonce)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload)
    )


def absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


def undisputed(claims):
    """Structured data states facts: a disputed claim is left out of it."""
    return [claim for claim in claims if claim.verification != Verification.DISPUTED]


def confirmed_wins(awards):
    """schema.org's `award` states a prize was won: only wins the editors confirmed say so."""
    return [
        award
        for award in awards
        if award.outcome == AwardOutcome.WON and award.verification == Verification.CONFIRMED
    ]


def award_name(award):
    return f"{award.organisation.name} {award.ceremony_year}: {award.category}"


# The links that name the same thing in another database (a redirect such as Wikipedia's
# through Wikidata, or Letterboxd's through IMDb, is not an identifier).
SAME_AS = {"IMDb", "Kinopoisk", "Wikidata", "TMDB"}


def person_reference(context, person):
    return {
        "@type": "Person",
        "name": lead_name(person).text,  # as the page names them
        "url": absolute(context, person.get_absolute_url()),
    }


def absolute_uri(context, path=None):
    """The absolute URL of `path` (default: the current page without its query string)."""
    request = context.get("request")
    if request is None:
        return path or ""
    return request.build_absolute_uri(path if path is not None else request.path)


def page_language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def lang_attr(text, language=""):
    """` lang="…"` for text in another language than the page: `language`, else ru for
    Cyrillic and en for the rest (an English title inside a Russian page)."""
    return mark_safe(lang_attribute(text, page_language(), language))


def lang_attribute(text, page, language=""):
    """The ` lang="…"` of `text` on a page in `page`'s language, as plain text ("" if none)."""
    if not text:
        return ""
    fragment = text_language(text, language)
    return f' lang="{escape(fragment)}"' if fragment != page else ""


def facet_options(options):
    """A browse facet's `<option>`s, each with its count and, when its label is not in the
    page's language, its `lang`. A facet lists every place and every list the films are in
    (700 options on a broad page): one loop here, not a template loop with a tag per option,
    took the browse page from 88 to 58 ms of CPU at 100,000 films."""
    page = page_language()
    html = []
    for option in options:
        value, lang, label = option_markup(option.value, str(option.label), page)
        selected = " selected" if option.selected else ""
        count = count_markup(option.count, page)
        html.append(f'<option value="{value}"{selected}{lang}>{label} ({count})</option>\n        ')
    return mark_safe("".join(html))


# The same few hundred places and lists come back on every browse page: their escaped value,
# label and `lang`, and each count as the page's language writes it, are worked out once.
@lru_cache(maxsize=20_000)
def option_markup(value, label, page):
    return escape(value), lang_attribute(label, page), escape(label)


@lru_cache(maxsize=20_000)
def count_markup(count, page):
    with translation.override(page):
        return number_format(count, 0, force_grouping=True)


def field_lang(obj, field):
    """` lang="…"` when the text of a translated field shown here is not in the page's language:
    an untranslated list keeps the language it was written in (core.translations)."""
    shown = translated_text(obj, field, page_language())
    return lang_attr(shown.text, shown.language)


def in_field_lang(obj, field):
    """The text of a translated field, in a <span lang="…"> when not in the page's language."""
    shown = translated_text(obj, field, page_language())
    return in_lang(shown.text, shown.language)


def lead_name(obj):
    """The name or title of a film or person that leads for this page's reader (a Name:
    `text`, `language`); the rule is the model's `names_in`."""
    return obj.names_in(page_language())[0]


def second_name(obj):
    """The other name or title of a film or person (after the leading one), or None."""
    names = obj.names_in(page_language())
    return names[1] if len(names) > 1 else None


def in_lang(text, language=""):
    """`text`, in a <span lang="…"> when it is not in the page's language (see lang_attr)."""
    attribute = lang_attr(text, language)
    if attribute:
        return format_html("<span{}>{}</span>", attribute, text)
    return text


def name(obj):
    """The leading name of a film or person, marked with `lang` when it is not the page's."""
    leading = lead_name(obj)
    return in_lang(leading.text, leading.language)


def person_row_name(row, prefix=""):
    """The leading name of a person given as a JSON row (`name`, `native_name`, or with a
    `prefix`: `author_name`, `author_native_name`), marked with `lang` when it is not the
    page's: what `{% name %}` gives for a Person. Read from a JSON column, the person's row is
    not loaded: the page says it shows them, so an edit to them makes it stale."""
    if (person_id := row.get(f"{prefix}id")) is not None:
        note_loaded({object_tag(Person, person_id)})
    name, native_name = row[f"{prefix}name"], row.get(f"{prefix}native_name") or ""
    names = names_in_reading_order(name, native_name, "", page_language())
    return in_lang(names[0].text, names[0].language)


def sentences(text, limit=200):
    """The leading whole sentences of `text` within `limit` characters: never a fragment."""
    return sentences_within(str(text or ""), int(limit))


def outcome_label(award):
    """An award's outcome as a reader should take it: "Won" only for a win nobody doubts;
    a disputed or unverified one says so ("Won (disputed)")."""
    label = AwardOutcome(award.outcome).label
    if award.verification != Verification.CONFIRMED:
        label = f"{label} ({Verification(award.verification).label.lower()})"
    return label


# The Wikipedia each reader's language goes to; any other language reads the English one.
WIKIPEDIAS = {"en": "enwiki", "ru": "ruwiki"}


def wikipedia_url(wikidata_id, language):
    """Wikidata's redirect to the item's article in the reader's Wikipedia (Russian on /ru/,
    English otherwise). Where that Wikipedia has no article, Wikidata shows the item itself,
    which links every article there is."""
    wiki = WIKIPEDIAS.get(language, WIKIPEDIAS["en"])
    return f"https://www.wikidata.org/wiki/Special:GoToLinkedPage/{wiki}/{wikidata_id}"


def external_links(obj):
    """(label, URL) pairs for the identifiers a film or person has in other databases.
    Wikipedia is reached through Wikidata's link to the article in the reader's language,
    Letterboxd through its IMDb (or TMDB) redirect: neither needs an identifier of its own."""
    links = []
    is_film = hasattr(obj, "kinopoisk_id")
    if obj.imdb_id:
        imdb_kind = "title" if obj.imdb_id.startswith("tt") else "name"
        links.append(("IMDb", f"https://www.imdb.com/{imdb_kind}/{obj.imdb_id}/"))
    if getattr(obj, "kinopoisk_id", None):
        links.append(("Kinopoisk", f"https://www.kinopoisk.ru/film/{obj.kinopoisk_id}/"))
    if obj.wikidata_id:
        links.append(
            (
                "Wikipedia",
                wikipedia_url(obj.wikidata_id, translation.get_language()),
            )
        )
        links.append(("Wikidata", f"https://www.wikidata.org/wiki/{obj.wikidata_id}"))
    if getattr(obj, "tmdb_id", None):
        links.append(("TMDB", f"https://www.themoviedb.org/movie/{obj.tmdb_id}"))
    if is_film and obj.imdb_id:
        links.append(("Letterboxd", f"https://letterboxd.com/imdb/{obj.imdb_id}/"))
    elif is_film and obj.tmdb_id:
        links.append(("Letterboxd", f"https://letterboxd.com/tmdb/{obj.tmdb_id}/"))
    return links


def movie_json_ld(context, film):
    """schema.org Movie for a film fetched with `Film.objects.for_detail_page()`."""
    credits = undisputed(film.credits.all())
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Movie",
        # The name the page leads with (the original title on a Russian page); the rest are
        # alternate names.
        "name": lead_name(film).text,
        "url": absolute(context, film.get_absolute_url()),
        "datePublished": (film.release_date or film.release_year),
    }
    alternate = [film.title, film.original_title, film.romanized_title]
    alternate += [
        row["title"]
        for row in film.title_rows or []
        if row["verification"] != Verification.DISPUTED
    ]
    if names := list(dict.fromkeys(name for name in alternate if name and name != data["name"])):
        data["alternateName"] = names
    if film.original_language:
        data["inLanguage"] = film.original_language
    if film.runtime_minutes:
        data["duration"] = f"PT{film.runtime_minutes}M"
    if film.synopsis:
        data["description"] = film.synopsis
    if image := image_object(film, lambda path: absolute(context, path)):
        data["image"] = image
    for key, role in (("director", "director"), ("actor", "actor"), ("author", "writer")):
        people = [person_reference(context, c.person) for c in credits if c.role == role]
        if people:
            data[key] = people
    if film.country_rows:
        data["countryOfOrigin"] = [
            {"@type": "Country", "name": row["name"]} for row in film.country_rows
        ]
    if film.genre_rows:
        data["genre"] = [row["name"] for row in film.genre_rows]
    if film.studio_rows:
        data["productionCompany"] = [
            {"@type": "Organization", "name": row["name"]} for row in film.studio_rows
        ]
    if awards := [award_name(award) for award in confirmed_wins(film.awards.all())]:
        data["award"] = awards
    if same_as := [url for label, url in external_links(film) if label in SAME_AS]:
        data["sameAs"] = same_as
    return render_json_ld(data, context.get("csp_nonce"))


def person_json_ld(context, person):
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Person",
        "name": lead_name(person).text,  # the name the page leads with; the other is alternate
        "url": absolute(context, person.get_absolute_url()),
    }
    if second := second_name(person):
        data["alternateName"] = second.text
    if person.birth_year:
        data["birthDate"] = str(person.birth_year)
    if person.death_year:
        data["deathDate"] = str(person.death_year)
    if image := image_object(person, lambda path: absolute(context, path)):
        data["image"] = image
    if same_as := [url for label, url in external_links(person) if label in SAME_AS]:
        data["sameAs"] = same_as
    return render_json_ld(data, context.get("csp_nonce"))


def item_list_json_ld(context, curated_list, entries):
    """schema.org ItemList of a curated list, each film a ListItem at its ranked position."""
    items = []
    for entry in entries:
        movie = {
            "@type": "Movie",
            "name": lead_name(entry.film).text,
            "url": absolute(context, entry.film.get_absolute_url()),
            "datePublished": entry.film.release_year,
        }
        if entry.blurb and not entry.is_disputed:
            movie["description"] = entry.blurb
        items.append({"@type": "ListItem", "position": entry.position, "item": movie})
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ItemList",
        "name": curated_list.title,
        "url": absolute(context, curated_list.get_absolute_url()),
        "numberOfItems": len(items),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": items,
    }
    if curated_list.introduction:
        data["description"] = curated_list.introduction
    if image := image_object(curated_list, lambda path: absolute(context, path)):
        data["image"] = image
    return render_json_ld(data, context.get("csp_nonce"))


def query_the_page_read(request):
    """The query parameters that shaped this page. Under the response cache only those the
    view read (the cached copy is shared by requests that differ in the others)."""
    pairs = list(MultiValueDict.lists(request.GET))  # the base class's: reads nothing
    names_read = getattr(request.GET, "names_read", None)
    if names_read is not None and ALL_PARAMETERS not in names_read:
        pairs = [(name, values) for name, values in pairs if name in names_read]
    return urlencode(sorted(pairs), doseq=True)


def path_in_language(path, code, current):
    """`path` in the language `code`, or None when it has no twin there: an address that is
    no page of the site (a 404's) cannot be translated."""
    translated = translate_url(path, code)
    if translated == path and code != current:
        return None
    return translated


def page_in_languages(context):
    """This page in each of settings.LANGUAGES: `code`, `name`, `url` (query kept),
    `absolute_url` and `is_current`, for the switcher and the hreflang alternates."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    query = query_the_page_read(request)
    pages = []
    for code, name in settings.LANGUAGES:
        path = path_in_language(request.path, code, current)
        if path is None:
            # No such page in that language: the switcher leads to its home instead.
            with translation.override(code):
                path = url = reverse("lists:home")
        else:
            url = f"{path}?{query}" if query else path
        pages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(path),
                "is_current": code == current,
            }
        )
    return pages


# The badge of an unverified or disputed claim, by what the claim is about.
TRUST_BADGES = {
    ("disputed", ""): pgettext_lazy("trust badge", "Disputed"),
    ("disputed", "film"): _("Disputed film"),
    ("disputed", "person"): _("Disputed person"),
    ("disputed", "entry"): _("Disputed entry"),
    ("disputed", "text"): _("Disputed text"),
    ("unverified", ""): pgettext_lazy("trust badge", "Unverified"),
    ("unverified", "film"): _("Unverified film"),
    ("unverified", "person"): _("Unverified person"),
    ("unverified", "entry"): _("Unverified entry"),
    ("unverified", "text"): _("Unverified text"),
}


def trust_badge(verification, subject=""):
    """The words on a trust badge: "Disputed film", "Unverified"."""
    return TRUST_BADGES.get((verification, subject or ""), "")


def picture_head(context, obj, place="page"):
    """The <head> lines of a page whose main picture is `obj`'s primary one: a preload of its
    best format (the page's largest image, so it starts before the CSS is read) and og:image.
    Nothing for a generated poster. Its ImageObject goes in the page's JSON-LD
    (pictures.display.image_object)."""
    picture = main_picture(obj)
    if picture is None:
        return ""
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
    image_url = absolute(context, largest_jpeg_url(picture))
    lines.append(format_html('<meta property="og:image" content="{}">', image_url))
    lines.append(format_html('<meta property="og:image:alt" content="{}">', picture.alt_text))
    return mark_safe("\n".join(lines))
