"""The public site's template environment (Jinja2, through Django's own Jinja2 backend).

The site's pages render 100 cards, a filmography or 700 facet options per request. Django's
template engine walked every node of them on every request (76 % of a list page's CPU at
100,000 films); Jinja2 compiles each template to Python once. The admin keeps Django's engine.

What the pages call: the helpers of `pages.markup` and `pictures.display` as functions, Django's
own filters where Jinja2 has none or one that means something else (`default`, `dictsort`,
`striptags`, `truncatechars`), and gettext through Jinja2's i18n extension, reading the same
catalogue (locale/) as the rest of Django.
"""

from functools import lru_cache
from itertools import groupby
from types import SimpleNamespace

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from core.addresses import plain_url
from pages import markup
from pages.documents import PageTemplate
from pictures.display import list_cover, shown_film_poster, shown_picture, shown_portrait


def url(name, *args, **kwargs):
    if not args and not kwargs:
        return plain_url(name)
    return reverse(name, args=args or None, kwargs=kwargs or None)


def regroup(items, attribute):
    """Django's `{% regroup %}`: runs of items with the same `attribute`, in the order given
    (Jinja2's `groupby` sorts first, which would reorder a page)."""

    def key(item):
        return item.get(attribute) if isinstance(item, dict) else getattr(item, attribute)

    return [
        SimpleNamespace(grouper=grouper, list=list(members))
        for grouper, members in groupby(items, key=key)
    ]


def default(value, fallback=""):
    """Django's `default`: the fallback for any false value, not only an undefined one."""
    return value or fallback


def keeps_safety(django_filter):
    """A Django filter that Django marks `is_safe`: text already escaped (a translated
    message with its variables filled in, say) comes out still marked safe, so it is not
    escaped a second time. Django's own engine does this for its SafeString; Jinja2's is
    Markup, which Django's filters do not know."""

    def apply(value, *args):
        result = django_filter(value, *args)
        return Markup(result) if hasattr(value, "__html__") else result

    return apply


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


def date(value, format=None):
    """Django's `date`, in the current time zone as Django's engine shows a datetime."""
    return defaultfilters.date(template_localtime(value), format)


def translated_once(translate):
    """`translate` (gettext or one of its kin) remembered per language: a page asks for the
    same few dozen messages on every request, and each lookup reads the active translation
    through its chain of catalogues. Catalogues do not change while a process runs."""

    @lru_cache(maxsize=4096)
    def remembered(language, *args):
        return translate(*args)

    def translated(*args):
        return remembered(translation.get_language(), *args)

    return translated


class SilentUndefined(ChainableUndefined):
    """Django's engine shows nothing for a missing name, anything read from it, or a method
    called on it (`film.get_absolute_url()` with no film)."""

    def __call__(self, *args, **kwargs):
        return self


def environment(**options):
    # Django's backend sets Undefined (which raises on `missing.attribute`, a 500) or, in
    # DEBUG, DebugUndefined (which prints `{{ missing }}`): the pages behave as Django's did.
    options["undefined"] = SilentUndefined
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)
    env.template_class = PageTemplate  # keeps a page's blocks for its document
    env.install_gettext_callables(
        translated_once(translation.gettext),
        translated_once(translation.ngettext),
        newstyle=True,
        pgettext=translated_once(translation.pgettext),
        npgettext=translated_once(translation.npgettext),
    )

    def picture(shown):
        if shown is None:
            return ""
        return env.get_template("pictures/picture.html").module.picture(shown)

    env.globals.update(
        url=url,
        static=static,
        get_current_language=translation.get_language,
        # What a page says of its objects, in the reader's language.
        lang_attr=markup.lang_attr,
        field_lang=markup.field_lang,
        in_field_lang=markup.in_field_lang,
        in_lang=markup.in_lang,
        name=markup.name,
        person_row_name=markup.person_row_name,
        trust_badge=markup.trust_badge,
        facet_options=markup.facet_options,
        absolute_uri=pass_context(markup.absolute_uri),
        page_in_languages=pass_context(markup.page_in_languages),
        movie_json_ld=pass_context(markup.movie_json_ld),
        person_json_ld=pass_context(markup.person_json_ld),
        item_list_json_ld=pass_context(markup.item_list_json_ld),
        picture_head=pass_context(markup.picture_head),
        # Pictures: the primary one, a generated poster or portrait, or a list's cover.
        poster=lambda film, place="card": picture(shown_film_poster(film, place)),
        portrait=lambda person, place="page": picture(shown_portrait(person, place)),
        cover=lambda curated_list, place="wide": picture(
            shown_picture(cover, place) if (cover := list_cover(curated_list)) else None
        ),
    )
    env.filters.update(
        # Django's filters, where Jinja2's differ or are missing.
        date=date,
        default=default,
        dictsort=defaultfilters.dictsort,
        floatformat=keeps_safety(defaultfilters.floatformat),
        linebreaks=linebreaks,
        linebreaksbr=linebreaksbr,
        regroup=regroup,
        striptags=keeps_safety(defaultfilters.striptags),
        truncatechars=keeps_safety(defaultfilters.truncatechars),
        # The site's own.
        sentences=keeps_safety(markup.sentences),
        lead_name=markup.lead_name,
        second_name=markup.second_name,
        outcome_label=markup.outcome_label,
        external_links=markup.external_links,
    )
    return env
