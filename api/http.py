"""HTTP conventions every API view follows: strict query parameters, Cache-Control and
Last-Modified on reads, Location on a 201."""

import datetime
import hashlib
import math

from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.permissions import SAFE_METHODS

from api.parameters import StrictQueryParametersMixin
from core.response_cache import HIT_HEADER, catalogue_changed_at

# Public reads may be kept this long by browsers and shared caches; ETags revalidate after.
PUBLIC_MAX_AGE = 60


def last_modified_date(changed_at, now):
    """The Last-Modified of a change at `changed_at` (an HTTP date has whole seconds): its
    second rounded up, and none until that second is over. Otherwise a second change within
    the same second would carry the same date, and a client holding the first answer would
    be told "not modified"."""
    if changed_at is None:
        return None
    second = math.ceil(changed_at.timestamp())
    if second > now.timestamp():
        return None
    return http_date(second)


def weak_etag(*parts):
    """A weak ETag made of `parts` (what the body is a function of), for a body that is
    streamed and so cannot be hashed."""
    return 'W/"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


class APIConventionsMixin(StrictQueryParametersMixin):
    """Unknown or repeated query parameters are 400s (StrictQueryParametersMixin); anonymous
    reads are public for a minute, an editor's (who may see drafts) private and revalidated;
    a visitor's read says when the catalogue last changed (`Last-Modified`, so
    If-Modified-Since answers 304); a 201 says where the new object lives (`Location`: its
    `url`)."""

    # When the catalogue last changed, read before the view reads any row: a write committing
    # meanwhile then only makes this time too early for the rows sent, never too late.
    changed_at = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in SAFE_METHODS and not request.user.is_authenticated:
            # Editors see drafts and previews through permissions the clock knows nothing of.
            self.changed_at = catalogue_changed_at()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS and response.status_code == 200:
            last_modified = last_modified_date(self.changed_at, timezone.now())
            if last_modified and self.changed_while_reading(response):
                # The rows sent may be newer than that date: a client holding older ones
                # would be told "not modified". The ETag still serves.
                last_modified = None
            if last_modified:  # a cached copy's own date is replaced by the current one
                response["Last-Modified"] = last_modified
        if request.method in SAFE_METHODS and response.status_code in (200, 304):
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            # What one client sees depends on who it is.
            patch_vary_headers(response, ["Authorization", "Cookie"])
        if response.status_code == 201 and isinstance(getattr(response, "data", None), dict):
            location = response.data.get("url") or self.created_location(response.data)
            if location:
                response["Location"] = str(location)  # not DRF's Hyperlink (a str subclass)
        return response

    def changed_while_reading(self, response):
        """Whether a write committed after `changed_at` was read and before `response`'s
        rows were: asked again only of a response just built, not one from the cache (its
        rows are those of its own time, which its stored date already covers)."""
        if response.get(HIT_HEADER) == "hit":
            return False
        return catalogue_changed_at() != self.changed_at

    def streamed_etag(self, request):
        """A weak ETag for a visitor's streamed read (an export), from when the catalogue last
        changed, the query and the language; None when that time is unknown."""
        if self.changed_at is None:
            return None
        changed = self.changed_at.astimezone(datetime.UTC).isoformat()
        return weak_etag(changed, request.get_full_path(), translation.get_language())

    def created_location(self, data):
        """The address of a created object whose body has no `url`; none by default."""
        return None
