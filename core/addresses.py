"""The address of an object's page from its slug, without walking the URLconf for each one.

A list page links each of its 100 films two or three times, and Django's `reverse()` costs
tens of microseconds a call. Addresses of one view differ only in the slug, so each view's is
reversed once per language, script prefix and URLconf, with a stand-in slug put in its place.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

STAND_IN = "kinoteka-stand-in-slug"
# What Django's <slug:> converter matches: it needs no quoting in an address.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

_addresses = {}


def slug_url(viewname, slug):
    """`reverse(viewname, kwargs={"slug": slug})`, the same address, reversed once."""
    if not PLAIN_SLUG.fullmatch(slug or ""):
        return reverse(viewname, kwargs={"slug": slug})  # raises as it always has
    return with_slug(_reversed_once(viewname, {"slug": STAND_IN}), slug)


def plain_url(viewname):
    """`reverse(viewname)` of a view that takes no arguments (the home page, the search),
    reversed once: every page's header links to half a dozen."""
    return _reversed_once(viewname, None)


def _reversed_once(viewname, kwargs):
    key = (
        viewname,
        kwargs is not None,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = reverse(viewname, kwargs=kwargs)
    return address


def with_slug(address, slug):
    """An address reversed with the stand-in slug, with `slug` in its place."""
    head, _, tail = address.rpartition(STAND_IN)
    return f"{head}{slug}{tail}"
