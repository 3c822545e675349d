"""Anonymous rate limiting; the rate comes from DJANGO_API_THROTTLE_ANON (settings).

Clients are told apart by `core.network.client_address` (the trusted-proxy rule shared with
the login lockout), so a forged X-Forwarded-For neither escapes the limit nor spends another
client's budget.
"""

from contextlib import nullcontext

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core.cache import CACHE_ERRORS
from core.network import client_address

THROTTLE_CACHE = "throttle"


class AnonymousRateThrottle(AnonRateThrottle):
    """Limits anonymous clients per address; a refused request gets 429 and Retry-After."""

    @property
    def cache(self):
        # Shared by every worker: Redis with REDIS_URL, else a file cache on the host
        # (settings.CACHES); a setup naming no throttle cache counts in the default one.
        return caches[THROTTLE_CACHE if THROTTLE_CACHE in settings.CACHES else "default"]

    def get_rate(self):
        # Read at request time (not import time) so the setting can change in tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        # If the throttle's cache is unreachable the API keeps answering, unthrottled, rather
        # than failing every request (core/cache.py logs the outage once).
        try:
            # The file cache locks the read-count-write; Redis is fast enough not to need it.
            with getattr(self.cache, "locked", nullcontext)():
                return super().allow_request(request, view)
        except CACHE_ERRORS:
            return True
