"""Conditional GET for pages: Last-Modified from the rows a page shows, and an ETag that also
says who is looking, so an editor's view (drafts, previews) is never a visitor's copy."""

import hashlib

from django.views.decorators.http import condition

from core.roles import may_see_drafts


def page_etag(request, last_modified):
    """An ETag for a page that depends on its rows' last change and on who is looking."""
    audience = "editor" if may_see_drafts(request.user) else "visitor"
    return hashlib.sha256(f"{last_modified.isoformat()}|{audience}".encode()).hexdigest()[:32]


def page_condition(last_modified_func):
    """`condition()` for a public page: Last-Modified from `last_modified_func`, and an ETag
    made of it and the audience (page_etag)."""

    def etag(request, *args, **kwargs):
        return page_etag(request, last_modified_func(request, *args, **kwargs))

    return condition(etag_func=etag, last_modified_func=last_modified_func)
