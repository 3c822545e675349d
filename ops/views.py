"""Endpoints for machines that run the site, not for visitors."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 otherwise, so a load balancer drops the node."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# --- Benchmark ceiling -----------------------------------------------------------------------
BENCH_CEILING_BODY = b'{"status": "ok", "view": "bench-ceiling"}'


@never_cache
@require_safe
def bench_ceiling(request):
    """The cheapest Django answer through the full middleware stack: `make bench`'s yardstick.

    No database, no template, a constant body. Off (404) unless the environment sets
    KINOTEKA_BENCH_CEILING=1, so production does not grow an extra public endpoint.
    """
    if not settings.KINOTEKA_BENCH_CEILING:
        raise Http404("Not found.")
    return HttpResponse(BENCH_CEILING_BODY, content_type="application/json")
