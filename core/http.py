"""Conditional GET: Last-Modified from the rows a page shows, and an ETag that also says who is
looking, so an editor's view (drafts, previews) is never a visitor's copy; and the API's ETag
made from the body."""

import hashlib

from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.views.decorators.http import condition

# ETag from the response body, and 304 Not Modified when If-None-Match matches it (API views).
conditional_get = method_decorator(decorator_from_middleware(ConditionalGetMiddleware), "dispatch")


def page_etag(last_modified, audience):
    """An ETag for a page that depends on its rows' last change and on who is looking."""
    return hashlib.sha256(f"{last_modified.isoformat()}|{audience}".encode()).hexdigest()[:32]


def page_condition(last_modified_func, *, audience):
    """`condition()` for a page: Last-Modified from `last_modified_func`, and an ETag made of it
    and `audience(request)`, a name for who is looking (e.g. "editor" or "visitor")."""

    def etag(request, *args, **kwargs):
        return page_etag(last_modified_func(request, *args, **kwargs), audience(request))

    return condition(etag_func=etag, last_modified_func=last_modified_func)
