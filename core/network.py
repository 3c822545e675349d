"""The one rule for "which address is this client?", used by the API throttle and the login
lockout alike.

`X-Forwarded-For` is written by whoever sends the request, so only the hops added by our own
proxies can be believed. With `DJANGO_TRUSTED_PROXIES = N` (settings.TRUSTED_PROXIES) the
last N hops are ours: REMOTE_ADDR is the nearest proxy, and each proxy appended the address
it saw to the header. The client is the address our outermost proxy saw, the N-th entry from
the right of `X-Forwarded-For + [REMOTE_ADDR]`. Anything a client put to the left of that is
ignored. With N = 0 (the default, no proxy) the header is ignored and REMOTE_ADDR is the
client.
"""

import ipaddress

from django.conf import settings


def _valid_address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request):
    """The address of the client behind `settings.TRUSTED_PROXIES` proxies of our own."""
    remote = _valid_address(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop] + [remote]
    # Fewer hops than proxies: the request reached us without passing all of them, so the
    # furthest hop we can see is the best (and only trustworthy) answer.
    candidate = hops[-(trusted + 1)] if len(hops) > trusted else hops[0]
    return _valid_address(candidate) or remote

