"""Whole-response cache for visitors' pages and API reads, in Redis via REDIS_URL.

Responses are versioned: each stored response carries the catalogue's version number at the
moment its request started, and any write to a row of a model registered with
`invalidate_on_change` (each app registers its models when it is ready) bumps that number
once its transaction commits (`invalidate`, also called by the bulk commands). A stored
response of another version is a miss and is replaced. The version and the response come
back in one Redis round trip (MGET).

Only visitors' reads are served from or stored in the cache: GET/HEAD, not signed in (site
or API token), no flash-message cookie and no session holding anything. Editors and token
users may see drafts, so they always get a live response; a made-up or expired session
cookie does not get past the cache. A page holding a CSRF token is never stored. Redis being
down is logged once (core/cache.py) and the response is rendered live, never an error.
RESPONSE_CACHE_PAGES false stores no response at all.

Counts are kept for everyone (`remembered`): a query's result, keyed by its SQL, so an
editor's counts (drafts included) are another query's than a visitor's, stale after any write
like a listing.

A response is keyed by the query parameters its view reads, sorted, not by the raw query
string: `?utm_source=N` or a reordered query is the same page, not a new render. Each view's
set of parameter names is learnt as it renders (`QueryReadRecorder`); see `response_key`.

A write that cannot reach Redis (down, hung, or skipped by the breaker) leaves a
`MissedInvalidation` row in the database. Before serving, a process checks for such rows
(`settle_missed_invalidations`) the first time Redis answers it after an outage, and, in
every process, whenever the short-lived CHECKED_KEY is gone from Redis (a frozen Redis wakes
up with it expired, a restarted one without it); rows found make everything stale.

With no REDIS_URL there is no "responses" cache and nothing is cached; writes still tell
the listeners registered with `when_stale` (the read documents, core/read_documents.py)
what they made stale.
"""

import contextlib
import contextvars
import datetime
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from functools import cache, wraps
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Max, Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import Promise
from django.utils.http import parse_http_date_safe
from simple_history.models import HistoricalChanges

from core.cache import CACHE_ERRORS, when_a_cache_recovers

logger = logging.getLogger(__name__)

CACHE_ALIAS = "responses"
VERSION_KEY = "catalogue-version"
# Present while no write is known to have missed the cache: its absence sends a process to
# the database to look for missed invalidations (settings.RESPONSE_CACHE_OUTAGE_CHECK_SECONDS).
CHECKED_KEY = "missed-invalidations-checked"
# Bumped when the stored entry's shape changes; with KINOTEKA_RELEASE (one value per deploy)
# it keeps one release's pages from being served by another.
ENTRY_FORMAT = 2
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


def next_scheduled_moment():
    """The next moment (an aware datetime) at which pages change without a write, or None:
    the earliest any registered source names."""
    moments = [moment for source in _expiry_sources if (moment := source()) is not None]
    return min(moments) if moments else None


def cache_timeout():
    """Seconds a response rendered from now on may be served: the configured timeout, but
    never past the next scheduled moment (no write then bumps the version). Called before the
    view runs, so a page rendered just before that moment expires at it."""
    return timeout_until(next_scheduled_moment())


def timeout_until(moment):
    """The configured timeout, or the whole seconds left until `moment` (None: no moment) if
    fewer; 0 means too close to store at all."""
    timeout = settings.RESPONSE_CACHE_SECONDS
    if moment is not None:
        timeout = min(timeout, int((moment - timezone.now()).total_seconds()))
    return timeout


# --- invalidation ------------------------------------------------------------------------
# Two kinds of page. A listing (home, browse, search, indexes, collections in the API) may show
# any row, so any write makes it stale: it is checked against the catalogue's version, which
# every write bumps. A per-object page (a film, a person, a list) is checked against tags
# naming what it showed: each object of a tracked model it loaded ("catalogue.film:12"), the
# collections it asked for ("lists.curatedlist:*", bumped by any write to that model), and
# EVERY_OBJECT_TAG, bumped by writes no row tag describes (a genre renamed, bulk commands).
# A write bumps the tags of its row and of the tracked rows it belongs to (a credit: its film
# and its person), so an edit empties the pages that show what changed, not every page.
EVERY_OBJECT_TAG = "objects"
TAG_PREFIX = "tag:"

_tracked_models = set()
# The tracked objects a per-object page loads while it renders (None outside one).
_loaded_tags = contextvars.ContextVar("response_cache_loaded_tags", default=None)


def object_tag(model, pk):
    return f"{model._meta.concrete_model._meta.label_lower}:{pk}"


def collection_tag(model):
    return f"{model._meta.concrete_model._meta.label_lower}:*"


def catalogue_version(cache):
    version = cache.get(VERSION_KEY)
    if version is None:
        # An empty or flushed cache: start from the clock, so no old version comes back.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def settled_catalogue_version(cache):
    """The catalogue's version once writes that missed Redis are settled, as `lookup` settles
    them: what a process's own copy of the catalogue (the film index) is checked against."""
    found = cache.get_many([VERSION_KEY, CHECKED_KEY])
    if missed_invalidations_settled(cache, found):
        found = cache.get_many([VERSION_KEY])
    return found.get(VERSION_KEY) or catalogue_version(cache)


def tag_versions(cache, tags):
    """The current version of each tag, starting (from the clock) those never bumped."""
    keys = [TAG_PREFIX + tag for tag in tags]
    found = cache.get_many(keys)
    for key in set(keys) - found.keys():
        cache.add(key, time.time_ns(), timeout=None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    return found


def _bump(cache, tags):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted: any new number is as good
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    for tag in tags:
        try:
            cache.incr(TAG_PREFIX + tag)
        except ValueError:
            pass  # never started or evicted: no stored page can match it
    _note_change(cache)


# Callables told the tags a committed transaction made stale (the read documents).
_stale_listeners = []


def when_stale(listener):
    """Call `listener(tags)` after each commit of writes, with the tags they made stale."""
    if listener not in _stale_listeners:
        _stale_listeners.append(listener)
    return listener


class _PendingTags:
    """The tags one transaction's writes made stale, acted on together once it commits."""

    def __init__(self):
        self.tags = set()


class _PendingStale(_PendingTags):
    """Tells the listeners (`when_stale`)."""

    def __call__(self):
        for listener in _stale_listeners:
            try:
                listener(self.tags)
            except DatabaseError:
                logger.exception("Could not tell %r what a write made stale", listener)


class _PendingBump(_PendingTags):
    """Bumps the tags in the response cache."""

    def __call__(self):
        cache = response_cache()
        if cache is None:
            return
        try:
            _bump(cache, self.tags)
        except CACHE_ERRORS:
            # Runs after the commit: the edit stands. Remember that pages cached before it
            # may now be wrong, for whichever process reaches Redis next.
            logger.debug("Could not invalidate the response cache", exc_info=True)
            record_missed_invalidation()


def _missed_invalidations():
    # Looked up when used: apps import this module before models may be loaded.
    return apps.get_model("core", "MissedInvalidation").objects.using(DEFAULT_DB_ALIAS)


def record_missed_invalidation():
    """Note in the database that a committed write could not make cached pages stale."""
    try:
        # The primary, whatever the router says: it is what every process reads back.
        _missed_invalidations().create()
    except DatabaseError:
        logger.exception("A write could not invalidate the response cache, nor record it")


# Set when a Redis this process had been skipping answers again: check before serving.
_outage_ended = threading.Event()
when_a_cache_recovers(_outage_ended.set)


def settle_missed_invalidations(cache):
    """If writes missed the cache during an outage, make every cached response stale and
    forget them; then mark the cache checked for a while. Returns whether it bumped."""
    _outage_ended.clear()
    try:
        # One query on the primary: a replica may not have the row yet.
        latest = _missed_invalidations().aggregate(last=Max("pk"))["last"]
        if latest is not None:
            _bump(cache, {EVERY_OBJECT_TAG})
            # Rows recorded after the read above stay for the next check.
            _missed_invalidations().filter(pk__lte=latest).delete()
            logger.warning("Writes missed the response cache during an outage: all made stale")
        cache.set(CHECKED_KEY, True, timeout=settings.RESPONSE_CACHE_OUTAGE_CHECK_SECONDS)
    except (*CACHE_ERRORS, DatabaseError):
        _outage_ended.set()  # not settled: try again on the next request
        raise
    return latest is not None


def missed_invalidations_settled(cache, found):
    """Settle missed invalidations when due (`found`, read with CHECKED_KEY, lacks the mark,
    or this process saw an outage end); whether that made everything stale, and so `found`
    stale too."""
    if CHECKED_KEY in found and not _outage_ended.is_set():
        return False
    return settle_missed_invalidations(cache)


# --- when the catalogue last changed ------------------------------------------------------
# The time of the last change visitors can see, for the API's Last-Modified: raised after each
# write commits (so never earlier than the write), and when a scheduled publication's moment
# passes (no write marks it). Coarse (any change moves it) but never too early: a
# Last-Modified from it cannot answer "not modified" for something that changed. Kept per
# release, so a deploy (new fields, new shapes) counts as a change too.
def _clock_keys():
    release = f"{ENTRY_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}"
    return f"catalogue-changed-at:{release}", f"catalogue-next-scheduled:{release}"


def _now_ms():
    return time.time_ns() // 1_000_000


def _raise_clock(cache, key, moment_ms):
    """Move the clock at `key` forward to `moment_ms`, never back. `incr` is atomic, so two
    writers racing can only overshoot (a later time: still honest), never lower it."""
    current = cache.get(key)
    if current is None:
        if cache.add(key, moment_ms, timeout=None):
            return
        current = cache.get(key) or 0
    if moment_ms > current:
        try:
            cache.incr(key, moment_ms - current)
        except ValueError:  # evicted meanwhile
            cache.add(key, moment_ms, timeout=None)


def _next_scheduled_ms():
    """When pages next change without a write (0: no such moment is known)."""
    moment = next_scheduled_moment()
    return int(moment.timestamp() * 1000) if moment else 0


def _note_change(cache):
    changed_at, next_scheduled = _clock_keys()
    _raise_clock(cache, changed_at, _now_ms())
    cache.set(next_scheduled, _next_scheduled_ms(), timeout=None)


def catalogue_changed_at():
    """The time (an aware datetime) since which nothing a visitor sees has changed, or None
    when no response cache keeps the clock. A clock lost (flushed, evicted) starts again now."""
    cache = response_cache()
    if cache is None:
        return None
    changed_at, next_scheduled = _clock_keys()
    try:
        found = cache.get_many([changed_at, next_scheduled, CHECKED_KEY])
        # Writes that missed the cache during an outage move the clock first: else this
        # read's date would be from before them, and "not modified" to those who hold what
        # they changed.
        if missed_invalidations_settled(cache, found):
            found = cache.get_many([changed_at, next_scheduled])
        now = _now_ms()
        scheduled = found.get(next_scheduled)
        moment = found.get(changed_at)
        if moment is None or scheduled is None:
            # Nothing says what happened while the clock was unknown: count it as a change now.
            _raise_clock(cache, changed_at, now)
            cache.set(next_scheduled, _next_scheduled_ms(), timeout=None)
            moment = cache.get(changed_at)  # another process may have raised it further
        elif scheduled and scheduled <= now:
            # A scheduled publication went live, with no write to say so.
            _raise_clock(cache, changed_at, scheduled)
            cache.set(next_scheduled, _next_scheduled_ms(), timeout=None)
            moment = cache.get(changed_at)
    except (*CACHE_ERRORS, DatabaseError):
        logger.debug("Could not read when the catalogue changed", exc_info=True)
        return None
    if moment is None:
        return None
    return datetime.datetime.fromtimestamp(moment / 1000, tz=datetime.UTC)


def invalidate(using=DEFAULT_DB_ALIAS, tags=(EVERY_OBJECT_TAG,)):
    """Make listings, and the per-object pages holding any of `tags` (by default every one),
    stale once the current transaction commits (at once outside one). Bumping before the
    commit would let a reader cache the old rows under the new version. Many writes in one
    transaction bump once. Listeners (`when_stale`) hear the tags at the same moment, with or
    without a response cache."""
    # Listeners first: a read between the two that misses the cache must not find the old
    # read document and cache it under the new version.
    kinds = [_PendingStale] if response_cache() is None else [_PendingStale, _PendingBump]
    connection = connections[using]
    for kind in kinds:
        pending = next(
            (callback for _, callback, _ in connection.run_on_commit if type(callback) is kind),
            None,
        )
        if pending is not None:
            pending.tags.update(tags)
            continue
        pending = kind()
        pending.tags.update(tags)
        transaction.on_commit(pending, using=using)


@cache  # runs for every row Django builds: look each model's fields up once
def _parent_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model._meta.concrete_model in _tracked_models
    ]


def _parent_tags(instance):
    """Tags of the tracked rows `instance` belongs to; EVERY_OBJECT_TAG if one is not loaded."""
    tags = set()
    for field in _parent_fields(type(instance)):
        if field.attname not in instance.__dict__:
            return {EVERY_OBJECT_TAG}
        pk = instance.__dict__[field.attname]
        if pk is not None:
            tags.add(object_tag(field.related_model, pk))
    return tags


def row_tags(instance):
    """What a write to `instance` makes stale: the row itself if its model is tracked, and the
    tracked rows it belongs to, now and as it was loaded (a credit moved to another person)."""
    model = type(instance)._meta.concrete_model
    tags = _parent_tags(instance) | instance.__dict__.get("_response_cache_parents", set())
    if model in _tracked_models:
        tags |= {object_tag(model, instance.pk), collection_tag(model)}
    return tags or {EVERY_OBJECT_TAG}


def revert_tags(current, restored):
    """What putting `restored` (a past version's copy of the row) in place of `current` (the
    row as it is) makes stale besides what its save names: the rows it belongs to now, and
    the pages it appears on or leaves when the revert shows or hides it."""
    tags = row_tags(current)
    model = type(current)
    if model in _visibility_fields and _visibility_of(current) != _visibility_of(restored):
        tags |= _visibility_fields[model].tags_of(restored)
    return tags


def _row_changed(sender, instance, using=DEFAULT_DB_ALIAS, created=False, **kwargs):
    tags = row_tags(instance)
    if sender in _visibility_fields:
        visibility = _visibility_fields[sender]
        now = _visibility_of(instance)
        before = instance.__dict__.get("_response_cache_visibility", UNKNOWN_VISIBILITY)
        if now != before and (visibility.new_rows_too or not created):
            tags = {*tags, *visibility.tags_of(instance)}
        instance.__dict__["_response_cache_visibility"] = now
    invalidate(using, tags)


# What a row showed before a write, when the instance written was not loaded from the
# database: a new row, or one rebuilt from its history by a revert (published again).
UNKNOWN_VISIBILITY = object()


def _note_how_loaded(sender, instance, **kwargs):
    if sender in _visibility_fields and instance._state.adding:
        instance.__dict__["_response_cache_visibility"] = UNKNOWN_VISIBILITY


def _relation_changed(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not action.startswith("post_"):
        return
    tags = set()
    if type(instance)._meta.concrete_model in _tracked_models:
        tags |= {object_tag(type(instance), instance.pk), collection_tag(type(instance))}
    if model._meta.concrete_model in _tracked_models:
        if pk_set is None:  # cleared: which rows were on the other side is gone
            tags.add(EVERY_OBJECT_TAG)
        else:
            tags |= {object_tag(model, pk) for pk in pk_set} | {collection_tag(model)}
    invalidate(using, tags or {EVERY_OBJECT_TAG})


def _remember_parents(sender, instance, **kwargs):
    # A row's parents as loaded, so a write moving it stales the page it left as well.
    parents = _parent_tags(instance)
    if parents:
        instance.__dict__["_response_cache_parents"] = parents
    if sender in _visibility_fields:
        instance.__dict__["_response_cache_visibility"] = _visibility_of(instance)


# Fields whose change shows or hides a row on pages that never loaded it, with the tags such
# a change makes stale: a person's page leaves an unpublished film out, so publishing the
# film must stale that page too. model -> Visibility.
_visibility_fields = {}


class Visibility(NamedTuple):
    fields: tuple
    tags_of: Callable  # instance -> the tags its showing or hiding makes stale
    new_rows_too: bool  # whether a new row counts as shown


def _visibility_of(instance):
    fields = _visibility_fields[type(instance)].fields
    return tuple(instance.__dict__.get(name) for name in fields)


def stale_every_object_when_changed(model, *fields):
    """A write changing any of `model`'s `fields` (a film's publication) makes every
    per-object page stale, not only those that loaded the row. Not a new row: a new film
    reaches other pages through the rows written after it (its credits, entries, places)."""
    _visibility_fields[model] = Visibility(fields, lambda instance: {EVERY_OBJECT_TAG}, False)


def stale_when_shown_or_hidden(model, fields, tags_of):
    """A write changing any of `model`'s `fields` (a list's publication), or a new row, also
    makes stale `tags_of(instance)`: the tracked rows whose pages show or hide it then (its
    films)."""
    _visibility_fields[model] = Visibility(fields, tags_of, True)


def _note_loaded(sender, instance, **kwargs):
    seen = _loaded_tags.get()
    if seen is not None and instance.pk is not None:
        seen.add(object_tag(sender, instance.pk))


@contextlib.contextmanager
def noting_loaded_objects():
    """Collect the tags of the tracked rows loaded inside the block (a set, yielded); an
    enclosing per-object page learns them too."""
    loaded = set()
    token = _loaded_tags.set(loaded)
    try:
        yield loaded
    finally:
        _loaded_tags.reset(token)
        note_loaded(loaded)


def note_loaded(tags):
    """Tell an enclosing per-object page it shows the rows of `tags` (read from elsewhere)."""
    seen = _loaded_tags.get()
    if seen is not None:
        seen.update(tags)


def tags_of_loaded(instance):
    """The tags of the tracked rows `instance` was loaded with: itself and the rows reached
    through its joined and prefetched relations, as `noting_loaded_objects` notes them while
    a single object loads (for objects loaded many at a time)."""
    tags, seen, rows = set(), set(), [instance]
    while rows:
        row = rows.pop()
        if id(row) in seen:
            continue
        seen.add(id(row))
        if type(row)._meta.concrete_model in _tracked_models and row.pk is not None:
            tags.add(object_tag(type(row), row.pk))
        rows.extend(related for related in row._state.fields_cache.values() if related)
        prefetched = row.__dict__.get("_prefetched_objects_cache", {})
        for value in [*row.__dict__.values(), *prefetched.values()]:
            if isinstance(value, QuerySet):  # prefetched: read what it holds, never run it
                value = value._result_cache or []
            if isinstance(value, Model):
                rows.append(value)
            elif isinstance(value, list):  # a prefetch `to_attr`
                rows.extend(item for item in value if isinstance(item, Model))
    return tags


def track_objects(models):
    """Give each row of `models` its own tag: a per-object page that loads a row is made stale
    by writes to that row and to the rows belonging to it (through their foreign keys)."""
    _parent_fields.cache_clear()  # which foreign keys point at a tracked model has changed
    for model in models:
        _tracked_models.add(model._meta.concrete_model)
        post_init.connect(
            _note_loaded, sender=model, dispatch_uid=f"response-cache-loaded:{model._meta.label}"
        )


def invalidate_on_change(models):
    """Make a write to any of `models` (their M2M tables included) stale the listings and
    the per-object pages showing what it changed (`row_tags`).

    Receivers are connected by sender: a receiver for every sender would turn off Django's
    fast delete for all models, sessions and login attempts included. History rows are left
    out: the write they record invalidates, and no public page shows them."""
    for model in models:
        if issubclass(model, HistoricalChanges):
            continue
        uid = f"response-cache:{model._meta.label}"
        pre_save.connect(_note_how_loaded, sender=model, dispatch_uid=uid)
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=uid)
        post_init.connect(_remember_parents, sender=model, dispatch_uid=uid)


# --- serving -----------------------------------------------------------------------------
def _django_request(request):
    """The HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def has_personal_session(http_request):
    """Whether the request carries a session that holds something (a login, a draft preview,
    flash messages). A session cookie that names no stored session is nobody's: the visitor
    gets the shared page and SessionMiddleware deletes the stale cookie."""
    if settings.SESSION_COOKIE_NAME not in http_request.COOKIES:
        return False
    session = getattr(http_request, "session", None)
    # Loading an unknown key leaves the session empty (and forgets the key).
    return session is not None and bool(session.keys())


def has_flash_messages(http_request):
    """Whether the request carries flash messages to show. Only a messages cookie we signed
    that holds some counts: a made-up or empty one gets the shared page. Counting the messages
    loads them without marking them shown, so the page the visitor gets still shows them.
    (Messages kept in the session are covered by `has_personal_session`.)"""
    if CookieStorage.cookie_name not in http_request.COOKIES:
        return False
    storage = getattr(http_request, "_messages", None)  # MessageMiddleware's, if it ran
    return len(storage if storage is not None else CookieStorage(http_request)) > 0


def is_cacheable_request(request):
    """A visitor's read with nothing personal attached: no session holding anything, no
    flash messages, and not signed in through the API either."""
    http_request = _django_request(request)
    return (
        request.method in ("GET", "HEAD")
        and not has_flash_messages(http_request)
        and not has_personal_session(http_request)
        and not request.user.is_authenticated
    )


ALL_PARAMETERS = "*"


class QueryReadRecorder(QueryDict):
    """`request.GET` that notes which parameter names the view reads.

    Reading a name (`get`, `[]`, `getlist`, `in`) notes that name; anything that sees every
    parameter (iterating, copying, `urlencode`, `len`) notes them all, so a view that echoes
    the whole query string is keyed by all of it."""

    def __init__(self, source):
        super().__init__(mutable=True)
        for name, values in source.lists():
            self.setlist(name, values)
        self._mutable = False
        self.names_read = set()

    def _note(self, name):
        if hasattr(self, "names_read"):
            self.names_read.add(name)

    def _note_all(self):
        self._note(ALL_PARAMETERS)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __iter__(self):
        self._note_all()
        return super().__iter__()

    def __len__(self):
        self._note_all()
        return super().__len__()

    def keys(self):
        self._note_all()
        return super().keys()

    def items(self):
        self._note_all()
        return super().items()

    def lists(self):
        self._note_all()
        return super().lists()

    def values(self):
        self._note_all()
        return super().values()

    def dict(self):
        self._note_all()
        return super().dict()

    def copy(self):
        self._note_all()
        return QueryDict(super().urlencode(), mutable=True, encoding=self.encoding)

    def urlencode(self, safe=None):
        self._note_all()
        return super().urlencode(safe)

    def __deepcopy__(self, memo):
        self._note_all()
        return super().__deepcopy__(memo)


# Each view's parameter names, learnt in this process as it renders (they only ever grow).
# The set is part of the key, so workers that learnt different sets never share a wrong page.
_parameters_read = {}


def _query_part(query, names):
    if ALL_PARAMETERS in names:
        chosen = sorted(set(query.keys()))
        signature = ALL_PARAMETERS
    else:
        chosen = sorted(names)
        signature = ",".join(chosen)
    pairs = [(name, query.getlist(name)) for name in chosen if name in query]
    return f"{signature}?{pairs!r}"


def response_key(request, view_name, names, variant=""):
    """The key of the response to `request`: scheme, host, path, the values of the query
    parameters in `names` (sorted), and which names those are."""
    http_request = _django_request(request)
    query = QueryDict(http_request.META.get("QUERY_STRING", ""), encoding=http_request.encoding)
    # Pages hold absolute URLs (canonical, JSON-LD), so the host and scheme are part of it;
    # the API's language comes from a header or a parameter the middleware read.
    identity = "|".join(
        (
            translation.get_language() or "",
            http_request.scheme,
            http_request.get_host(),
            http_request.path,
            view_name,
            _query_part(query, names),
            variant,
        )
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"response:{ENTRY_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}:{digest}"


# The tags of each entry this process last found, by its key: asked for with the entry, their
# versions come back in the same trip to Redis, where reading the entry first and then its
# tags took two (a cached page's biggest cost). Only a guess: tags not guessed are read after.
# Emptied when full rather than kept in order: a few hundred kilobytes, no lock.
_tags_last_found = {}
TAGS_LAST_FOUND_MAX = 1000


def lookup(cache, key):
    """The catalogue's current version and the stored response for `key` if it is of that
    version (else None)."""
    guessed = _tags_last_found.get(key, ())
    found = cache.get_many([VERSION_KEY, CHECKED_KEY, key, *guessed])
    if missed_invalidations_settled(cache, found):
        found = cache.get_many([VERSION_KEY, key, *guessed])  # read before the bump: stale
    version = found.get(VERSION_KEY)
    if version is None:
        return catalogue_version(cache), None
    entry = found.get(key)
    if entry is None:
        return version, None
    if "tags" in entry:
        if not _tags_are_current(cache, entry["tags"], found, guessed):
            entry = None
        if len(_tags_last_found) >= TAGS_LAST_FOUND_MAX:
            _tags_last_found.clear()
        _tags_last_found[key] = tuple(entry["tags"]) if entry else ()
    elif entry["version"] != version:
        entry = None
    return version, entry


def _tags_are_current(cache, tags, found, guessed):
    """Whether each of `tags` (tag: version) still has its version: `found` holds those read
    already (those `guessed`, when Redis had them); the others are read now."""
    guessed = set(guessed)
    current = {tag: found[tag] for tag in tags if tag in guessed and tag in found}
    not_read = [tag for tag in tags if tag not in guessed]
    if not_read:
        current.update(cache.get_many(not_read))
    return current == tags


# --- query results kept until anything changes -----------------------------------------------
# Counts over the whole catalogue (the browse page's facets, how many films a filter matches)
# cost a listing most, and the same few come back across many pages and parameters. They are
# kept like listings: checked against the catalogue's version, so any write makes them stale,
# and shared by every process. Each is keyed by its query's own SQL and parameters, so a reader
# who sees drafts, or reads another language, gets the result of exactly the query they asked.
def remembered(queryset, evaluate, shape=()):
    """`evaluate(queryset)`, from the response cache while the catalogue has not changed since
    it was stored; evaluated (and stored) otherwise. With no response cache, or none reachable,
    it is simply evaluated. `shape`: what, besides the SQL, makes the result differ."""
    cache = response_cache()
    if cache is None:
        return evaluate(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return evaluate(queryset)
    # A lazy translation in the parameters reads as its text, not as the object it is.
    params = tuple(str(param) if isinstance(param, Promise) else param for param in params)
    identity = repr((queryset.db, evaluate.__qualname__, shape, sql, params))
    digest = hashlib.sha256(identity.encode()).hexdigest()
    key = f"result:{ENTRY_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}:{digest}"
    try:
        version, entry = lookup(cache, key)
    except (*CACHE_ERRORS, DatabaseError):
        logger.debug("The response cache is unavailable; counting live", exc_info=True)
        return evaluate(queryset)
    if entry is not None:
        return entry["result"]
    timeout = _remembered_timeout(version)  # before evaluating: see cache_timeout
    result = evaluate(queryset)
    if timeout > 0:
        try:
            cache.set(key, {"version": version, "result": result}, timeout)
        except CACHE_ERRORS:
            logger.debug("Could not store a result in the cache", exc_info=True)
    return result


# This process's next scheduled moment, and the catalogue version it was read at: a browse
# page keeps ten results, and each would otherwise ask the database for it. Kept per process,
# on this process's clock (another host's clock may differ by seconds).
_next_moment = (None, None)


def _remembered_timeout(version):
    """`cache_timeout()`, asking the expiry sources again only when the catalogue changed or
    the moment they named has passed."""
    global _next_moment
    read_at_version, moment = _next_moment
    if read_at_version != version or (moment is not None and moment <= timezone.now()):
        moment = next_scheduled_moment()
        _next_moment = (version, moment)
    return timeout_until(moment)


def remembered_count(queryset):
    """How many rows `queryset` has (see `remembered`); its order does not change the key."""
    if not queryset.query.is_sliced:
        queryset = queryset.order_by()
    return remembered(queryset, count_rows)


def count_rows(queryset):
    return queryset.count()


def remembered_rows(queryset):
    """`queryset`'s rows as a list (see `remembered`): values() or values_list() rows, which
    pickle and need nothing but the SQL (model rows would need their prefetches)."""
    if issubclass(queryset._iterable_class, ModelIterable):
        raise ValueError("remembered_rows keeps values() or values_list() rows only")
    # values() and values_list() share their SQL: what the rows are made into is part of it.
    return remembered(queryset, list, shape=(queryset._iterable_class.__name__,))


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _store(cache, key, version, timeout, request, response, tags=None):
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
        if tags is not None:
            entry["tags"] = tag_versions(cache, tags)
            if cache.get(VERSION_KEY) != version:
                return  # a write committed while the page rendered: its tags may be newer
        cache.set(key, entry, timeout)
    except CACHE_ERRORS:
        logger.debug("Could not store a response in the cache", exc_info=True)


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


def _record_reads(request):
    """Swap the request's query for a recorder; return the recorder. A view that asks for
    the full path (`get_full_path`, `build_absolute_uri()`) echoes every parameter."""
    http_request = _django_request(request)
    recorder = QueryReadRecorder(http_request.GET)
    http_request.GET = recorder
    full_path = http_request.get_full_path

    def get_full_path(*args, **kwargs):
        recorder._note_all()
        return full_path(*args, **kwargs)

    http_request.get_full_path = get_full_path
    return recorder


def serve_cached(view, request, args, kwargs, variant="", view_name=None, collections=None):
    """Serve `view` from the cache for visitors. `collections` None: a listing, stale after any
    write; a tuple of models: a per-object page, stale when a row it loaded (or one belonging
    to it) changes, or any row of those models."""
    cache = response_cache()
    if cache is None or not settings.RESPONSE_CACHE_PAGES or not is_cacheable_request(request):
        return view(request, *args, **kwargs)
    view_name = view_name or f"{view.__module__}.{view.__qualname__}"
    names = frozenset(_parameters_read.get(view_name, ()))
    try:
        key = response_key(request, view_name, names, variant)
        version, entry = lookup(cache, key)
    except (*CACHE_ERRORS, DatabaseError):
        logger.debug("The response cache is unavailable; serving live", exc_info=True)
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
    recorder = _record_reads(request)
    loaded = set() if collections is not None else None
    loading = _loaded_tags.set(loaded)
    try:
        response = view(request, *args, **kwargs)
    except BaseException:
        _loaded_tags.reset(loading)
        raise
    response[HIT_HEADER] = "miss"

    def store(rendered):
        _loaded_tags.set(None)  # rendering is over: stop noting loaded rows
        # Stored under the names this render read as well, so the key covers them all.
        learnt = names | recorder.names_read
        _parameters_read[view_name] = learnt
        store_key = key if learnt == names else response_key(request, view_name, learnt, variant)
        tags = None
        if loaded is not None:
            tags = loaded | {collection_tag(model) for model in collections} | {EVERY_OBJECT_TAG}
        _store(cache, store_key, version, timeout, request, rendered, tags)

    if getattr(response, "is_rendered", True):
        store(response)
    else:
        response.add_post_render_callback(store)
    return response


def cache_public_page(view):
    """Decorate a public site listing: visitors get a cached copy until anything changes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return serve_cached(view, request, args, kwargs)

    return wrapped


def cache_object_page(*collections):
    """Decorate a public page about one object: visitors get a cached copy until a row it
    shows changes, or any row of `collections` (models whose rows it may show without
    loading them, e.g. a list's neighbours)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return serve_cached(view, request, args, kwargs, collections=collections)

        return wrapped

    return decorate


def rendering_variant(view, request):
    """What the negotiated renderer makes of the `Accept` header: its media type and, for
    JSON, the indent it honours. Nothing else a client writes there (`; x=N`) changes
    the body, so nothing else makes a new key."""
    renderer = request.accepted_renderer
    indent = None
    if hasattr(renderer, "get_indent"):
        indent = renderer.get_indent(request.accepted_media_type, view.get_renderer_context())
    return f"{renderer.media_type}; indent={indent}"


def cache_api_read(handler, collections=None):
    """Decorate a DRF viewset's list/retrieve: anonymous JSON reads come from the cache.
    It runs after authentication, permissions and throttling (DRF's `initial`)."""

    @wraps(handler)
    def wrapped(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") != "json":
            # The browsable API is per user (forms, CSRF): never cached.
            return handler(self, request, *args, **kwargs)
        bound = handler.__get__(self)
        return serve_cached(
            bound,
            request,
            args,
            kwargs,
            variant=rendering_variant(self, request),
            view_name=f"{type(self).__module__}.{type(self).__qualname__}.{handler.__name__}",
            collections=collections,
        )

    return wrapped


def cache_api_reads(view_class):
    """Class decorator for DRF views: their list, retrieve and get use `cache_api_read`.
    A view whose `cache_retrieve_per_object` is a tuple of models caches `retrieve` as a
    per-object page (see `cache_object_page`)."""
    per_object = getattr(view_class, "cache_retrieve_per_object", None)
    for name in ("list", "retrieve", "get"):
        if hasattr(view_class, name):
            collections = per_object if name == "retrieve" else None
            setattr(view_class, name, cache_api_read(getattr(view_class, name), collections))
    return view_class
