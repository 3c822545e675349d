"""The reader's language: English or Russian.

- The public site carries it in the URL: English unprefixed (`/films/stalker/`), Russian under
  `/ru/` (`/ru/films/stalker/`), so every page has one address per language for search engines,
  links and the response cache. A visitor arriving from elsewhere (no same-site Referer) at an
  English address whose browser prefers Russian is sent to the Russian one; moving around the
  site, the language switcher included, never redirects.
- The API reads `language=ru|en`, else Accept-Language, and says which it used in
  Content-Language (Vary: Accept-Language).
- The admin follows the editor's browser (Accept-Language), as Django's admin does.
"""

from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.spelling import mostly_cyrillic

# Paths outside the language-prefixed site: their language never comes from the URL.
API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
UNTRANSLATED_PREFIXES = ("/static/", "/media/", "/healthz", "/bench/", "/sitemap", "/robots.txt")
LANGUAGE_PARAMETER = "language"


def supported_language(code):
    """`code` if it names one of settings.LANGUAGES (any case, any region), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def api_language(request):
    """The API's language: `language=` if given and supported, else the Accept-Language."""
    asked = supported_language(request.GET.get(LANGUAGE_PARAMETER, ""))
    return asked or translation.get_language_from_request(request, check_path=False)


def arrived_from_elsewhere(request):
    """No Referer from this site: a first visit, a bookmark, a link from another site."""
    referer = request.headers.get("Referer", "")
    return not referer or urlsplit(referer).netloc != request.get_host()


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the prefixed site, plus the API's and the admin's rules."""

    def process_request(self, request):
        path = request.path_info
        if path.startswith(API_PREFIX):
            self._activate(request, api_language(request))
            return None
        if path.startswith(ADMIN_PREFIX) or path.startswith(UNTRANSLATED_PREFIXES):
            language = translation.get_language_from_request(request, check_path=False)
            self._activate(request, language if path.startswith(ADMIN_PREFIX) else None)
            return None
        super().process_request(request)
        return self._redirect_to_preferred_language(request)

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)

    @staticmethod
    def _activate(request, language):
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _redirect_to_preferred_language(request):
        if request.method not in ("GET", "HEAD") or not arrived_from_elsewhere(request):
            return None
        if translation.get_language_from_path(request.path_info):
            return None  # the address names its language
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return None
        preferred = translation.get_language_from_request(request, check_path=False)
        if preferred == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.path, preferred)
        if target == request.path:
            return None  # not a page of the site (or the same in every language)
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(f"{target}?{query}" if query else target)
        patch_vary_headers(response, ("Accept-Language", "Referer"))
        return response


class Name(NamedTuple):
    """A name or title and the language it is written in ("" when nobody knows)."""

    text: str
    language: str


def text_language(text, language=""):
    """The language of a fragment: the one given, else ru when most of its letters are
    Cyrillic, else English."""
    if language:
        return language
    return "ru" if mostly_cyrillic(text) else "en"


def names_in_reading_order(english, native, native_language, reader_language):
    """[leading, second] names of a film or person for a reader: the English one leads, but a
    Russian reader gets the native (original) one first. Empty names are left out. This is
    the one place that decides which name leads, on pages, cards and lists."""
    names = [Name(english, "en")]
    if native and native != english:
        native_name = Name(native, text_language(native, native_language))
        if reader_language == "ru":
            names.insert(0, native_name)
        else:
            names.append(native_name)
    return names
