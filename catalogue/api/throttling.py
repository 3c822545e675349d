"""Anonymous rate limiting; the rate comes from DJANGO_API_THROTTLE_ANON (settings)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Limits anonymous clients per address; a refused request gets 429 and Retry-After."""

    def get_rate(self):
        # Read at request time (not import time) so the setting can change in tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
