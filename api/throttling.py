"""Anonymous rate limiting; the rate comes from DJANGO_API_THROTTLE_ANON (settings).

Clients are told apart by `core.network.client_address` (the trusted-proxy rule shared with
the login lockout), so a forged X-Forwarded-For neither escapes the limit nor spends another
client's budget.

Counts live in the "throttle" cache, shared by every worker (Redis with REDIS_URL). While
Redis is out (the breaker in core/cache.py skips it), they live in the file cache that the
workers of a node share, as when there is no Redis at all: each node then allows the rate
on its own, rather than the site letting everything through.
"""

from contextlib import nullcontext
from functools import cache

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core.cache import CACHE_ERRORS, SharedFileCache
from core.network import client_address

THROTTLE_CACHE = "throttle"


@cache
def outage_cache(location):
    """The file cache the throttle counts in while Redis is out (one per folder)."""
    return SharedFileCache(location, {"OPTIONS": {"MAX_ENTRIES": 50_000}})


class AnonymousRateThrottle(AnonRateThrottle):
    """Limits anonymous clients per address; a refused request gets 429 and Retry-After."""

    def shared_cache(self):
        # Shared by every worker: Redis with REDIS_URL, else a file cache on the host
        # (settings.CACHES); a setup naming no throttle cache counts in the default one.
        return caches[THROTTLE_CACHE if THROTTLE_CACHE in settings.CACHES else "default"]

    def get_rate(self):
        # Read at request time (not import time) so the setting can change in tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        try:
            return self._allow_counting_in(self.shared_cache(), request, view)
        except CACHE_ERRORS:
            pass  # Redis is out: core/cache.py logs it once and skips it for a while
        try:
            return self._allow_counting_in(outage_cache(settings.THROTTLE_CACHE_DIR), request, view)
        except OSError:
            # Not even the host's disk: answer unthrottled rather than fail every request.
            return True

    def _allow_counting_in(self, counts, request, view):
        self.cache = counts  # what SimpleRateThrottle reads and writes the history with
        # The file cache locks the read-count-write; Redis is fast enough not to need it.
        with getattr(counts, "locked", nullcontext)():
            return super().allow_request(request, view)
