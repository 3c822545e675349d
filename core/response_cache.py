"""Whole-response cache for visitors' pages and API reads, in Redis via REDIS_URL.

Responses are versioned: each stored response carries the catalogue's version number at the
moment its request started, and any write to a row of a model registered with
`invalidate_on_change` (each app registers its models when it is ready) bumps that number
once its transaction commits (`invalidate`, also called by the bulk commands). A stored
response of another version is a miss and is replaced. The version and the response come
back in one Redis round trip (MGET).

Only visitors' reads are served from or stored in the cache: GET/HEAD, not signed in (site
or API token), and no session or flash-message cookie. Editors and token users may see
drafts, so they always get a live response; a page holding a CSRF token is never stored.
Redis being down is logged and the response is rendered live, never an error.

With no REDIS_URL there is no "responses" cache and every function here is a no-op.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from core.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

CACHE_ALIAS = "responses"
VERSION_KEY = "catalogue-version"
# Bumped when the stored entry's shape changes; with KINOTEKA_RELEASE (one value per deploy)
# it keeps one release's pages from being served by another.
ENTRY_FORMAT = 1
HIT_HEADER = "X-Kinoteka-Cache"
# Headers the view set that a cached copy must repeat; the middleware adds the rest
# (CSP, security headers, Vary) to every response, cached or not.
UNSTORED_HEADERS = {"set-cookie"}


def response_cache():
    """The cache of whole responses, or None when none is configured."""
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else None


# Callables answering "when does a page rendered now stop being true without any write?"
# (a scheduled publication): each returns an aware datetime or None. Apps register them.
_expiry_sources = []


def expire_at_most_by(source):
    """Register `source`, a callable returning the next moment (or None) at which pages change
    without a write, e.g. a list scheduled to go live."""
    if source not in _expiry_sources:
        _expiry_sources.append(source)
    return source


def cache_timeout():
    """Seconds a response rendered from now on may be served: the configured timeout, but
    never past the next moment a registered source names (no write then bumps the version).
    Called before the view runs, so a page rendered just before that moment expires at it."""
    timeout = settings.RESPONSE_CACHE_SECONDS
    for source in _expiry_sources:
        moment = source()
        if moment is not None:
            seconds_left = (moment - timezone.now()).total_seconds()
            timeout = min(timeout, int(seconds_left))  # 0: too close to store at all
    return timeout


# --- invalidation ------------------------------------------------------------------------
def catalogue_version(cache):
    version = cache.get(VERSION_KEY)
    if version is None:
        # An empty or flushed cache: start from the clock, so no old version comes back.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump_version():
    cache = response_cache()
    if cache is None:
        return
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # the key was evicted: any new number is as good
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    except CACHE_ERRORS:
        # Runs after the commit: the edit stands, and cached pages expire with their timeout.
        logger.exception("Could not invalidate the response cache")


def invalidate(using=DEFAULT_DB_ALIAS):
    """Make every cached response stale once the current transaction commits (at once
    outside one). Bumping before the commit would let a reader cache the old rows under
    the new version. Many writes in one transaction bump once."""
    if response_cache() is None:
        return
    connection = connections[using]
    if any(callback is _bump_version for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_bump_version, using=using)


def _row_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    invalidate(using)


def invalidate_on_change(models):
    """Make a write to any of `models` (their M2M tables included) stale every cached response.

    Receivers are connected by sender: a receiver for every sender would turn off Django's
    fast delete for all models, sessions and login attempts included."""
    for model in models:
        uid = f"response-cache:{model._meta.label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_row_changed, sender=model, dispatch_uid=uid)


# --- serving -----------------------------------------------------------------------------
def _django_request(request):
    """The HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def is_cacheable_request(request):
    """A visitor's read with nothing personal attached: no session (a login, flash messages)
    and no messages cookie, and not signed in through the API either."""
    cookies = _django_request(request).COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and not request.user.is_authenticated
    )


def response_key(request, variant=""):
    http_request = _django_request(request)
    # Pages hold absolute URLs (canonical, JSON-LD), so the host and scheme are part of it.
    identity = "|".join(
        (http_request.scheme, http_request.get_host(), http_request.get_full_path(), variant)
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"response:{ENTRY_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}:{digest}"


def lookup(cache, key):
    """The catalogue's current version and the stored response for `key` if it is of that
    version (else None)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return catalogue_version(cache), None
    entry = found.get(key)
    if entry is not None and entry["version"] != version:
        entry = None
    return version, entry


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _store(cache, key, version, timeout, request, response):
    if timeout < 1 or not is_cacheable_response(response):
        return
    if _django_request(request).META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # The page holds a CSRF token tied to this visitor's cookie (set later, by the
        # middleware): another visitor could not use it.
        return
    nonce = getattr(_django_request(request), "_csp_nonce", None)
    entry = {
        # The version read before the view ran: if a write committed meanwhile, this copy
        # is already stale and the next request renders again.
        "version": version,
        "content": response.content,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ],
        # A LazyNonce is truthy only once a template used it: then the body holds it.
        "nonce": str(nonce) if nonce else None,
    }
    try:
        cache.set(key, entry, timeout)
    except CACHE_ERRORS:
        logger.exception("Could not store a response in the cache")


def _replay(request, entry):
    """The stored response, with a fresh CSP nonce in place of the one it was rendered with."""
    content = entry["content"]
    if entry["nonce"]:
        # Reading the request's LazyNonce generates it, so the CSP header will carry it too.
        fresh = str(_django_request(request)._csp_nonce)
        content = content.replace(entry["nonce"].encode(), fresh.encode())
    response = HttpResponse(content)
    for name, value in entry["headers"]:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


def serve_cached(view, request, args, kwargs, variant=""):
    cache = response_cache()
    if cache is None or not is_cacheable_request(request):
        return view(request, *args, **kwargs)
    try:
        key = response_key(request, variant)
        version, entry = lookup(cache, key)
    except CACHE_ERRORS:
        logger.exception("The response cache is unavailable; serving live")
        return view(request, *args, **kwargs)
    if entry is not None:
        response = _replay(request, entry)
        http_request = _django_request(request)
        return get_conditional_response(
            http_request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
    timeout = cache_timeout()
    response = view(request, *args, **kwargs)
    response[HIT_HEADER] = "miss"
    if getattr(response, "is_rendered", True):
        _store(cache, key, version, timeout, request, response)
    else:
        response.add_post_render_callback(
            lambda rendered: _store(cache, key, version, timeout, request, rendered)
        )
    return response


def cache_public_page(view):
    """Decorate a public site view: visitors get a cached copy while nothing changed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return serve_cached(view, request, args, kwargs)

    return wrapped


def cache_api_read(handler):
    """Decorate a DRF viewset's list/retrieve: anonymous JSON reads come from the cache.
    It runs after authentication, permissions and throttling (DRF's `initial`)."""

    @wraps(handler)
    def wrapped(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") != "json":
            # The browsable API is per user (forms, CSRF): never cached.
            return handler(self, request, *args, **kwargs)
        bound = handler.__get__(self)
        # The media type with its parameters: `indent=4` renders differently.
        return serve_cached(bound, request, args, kwargs, variant=request.accepted_media_type)

    return wrapped


def cache_api_reads(view_class):
    """Class decorator for DRF views: their list, retrieve and get use `cache_api_read`."""
    for name in ("list", "retrieve", "get"):
        if hasattr(view_class, name):
            setattr(view_class, name, cache_api_read(getattr(view_class, name)))
    return view_class
