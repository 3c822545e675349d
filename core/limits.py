"""How large a request body Kinoteka reads, decided before anything reads it.

A visitor has nothing to send but a login form or a search, so an anonymous body over
ANONYMOUS_BODY_MAX_BYTES is refused with 413 before Django parses it: a large multipart
POST to /admin/login/ is never spooled to disk. Signed-in editors (a session, or, on the
API only, an `Authorization` header DRF checks before it reads the body) may send up to
REQUEST_BODY_MAX_BYTES: the importer's documents and the API's JSON writes fit well within.
Django's own DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE (settings) then bound
what is held in memory.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse

BODY_TOO_LARGE = "The request body is too large: at most {limit} bytes are accepted here."
BAD_CONTENT_LENGTH = "The Content-Length header is not a number of bytes."


def body_limit(request):
    """The largest body this request may carry."""
    # Outside the API nothing checks the header before the body is parsed: anyone could send one.
    token_checked_first = request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META
    if token_checked_first or request.user.is_authenticated:
        return settings.REQUEST_BODY_MAX_BYTES
    return settings.ANONYMOUS_BODY_MAX_BYTES


def refuse(request, message, status):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """413 for a body over the limit, judged by Content-Length before any body is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return refuse(request, BAD_CONTENT_LENGTH, 400)
        if length > settings.ANONYMOUS_BODY_MAX_BYTES:
            limit = body_limit(request)  # only now: reading the session costs a query
            if length > limit:
                return refuse(request, BODY_TOO_LARGE.format(limit=limit), 413)
        return self.get_response(request)


CONTROL_CHARACTER_IN_QUERY = "The address holds a control character (such as NUL) no page reads."


class ControlCharacterQueryMiddleware:
    """400 for a site address whose query holds a control character: no form or link makes
    one, and a page that quoted it back (a search, a refused filter) would carry it. The API
    refuses such values itself, parameter by parameter, with its own error codes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and any(
            has_control_character(text)
            for name, values in request.GET.lists()
            for text in (name, *values)
        ):
            raise SuspiciousOperation(CONTROL_CHARACTER_IN_QUERY)
        return self.get_response(request)


def has_control_character(text):
    return any(unicodedata.category(c) == "Cc" and c != "\t" for c in text)
