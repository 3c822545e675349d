"""Conditional GET for pages and the API: an ETag made from the body, and 304 Not Modified when
If-None-Match matches it. A body ETag is never wrong: an edit that leaves every timestamp as
it was (an award renamed, a film unpublished) still changes it. With the response cache on,
a cached copy answers 304 without a render (core/response_cache.py)."""

import hashlib
from functools import wraps

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import get_conditional_response
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.utils.http import quote_etag

# For the API's class-based views.
conditional_get = method_decorator(decorator_from_middleware(ConditionalGetMiddleware), "dispatch")


def page_etag(request, content):
    """The ETag of a page's body, leaving out its CSP nonce, which is new on every response."""
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        content = content.replace(str(nonce).encode(), b"")
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


def conditional_page(view):
    """A site page answering 304 when If-None-Match matches its body's ETag (page_etag)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming or response.has_header("ETag"):
            return response
        response["ETag"] = page_etag(request, response.content)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapped
