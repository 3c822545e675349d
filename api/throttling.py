"""Anonymous rate limiting; the rate comes from DJANGO_API_THROTTLE_ANON (settings)."""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


class AnonymousRateThrottle(AnonRateThrottle):
    """Limits anonymous clients per address; a refused request gets 429 and Retry-After."""

    def get_rate(self):
        # Read at request time (not import time) so the setting can change in tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The counts live in the default cache (Redis with REDIS_URL): if it is unreachable,
        # the API keeps answering, unthrottled, rather than failing every request.
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            logger.exception("API throttle cache unavailable; request allowed")
            return True
