"""Endpoints for machines that run the site, not for visitors."""

import threading
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import CACHE_ERRORS, RedisCache

# A probe gets its answer within this many seconds, whatever hangs behind it.
HEALTH_DEADLINE = 0.8
# One thread per check: a check still hung from an earlier probe (a database holds it until
# its connect or statement timeout) is answered "unreachable" at once, and no second one is
# started, so probes of a sick node never pile up threads.
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
_running = {}
_running_lock = threading.Lock()


def database_answers():
    """SELECT 1 on a connection of the probe's own, closed afterwards: a hung one is never
    left behind for a request to pick up."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        connection.close()


def caches_answer():
    """Every Redis cache (none without REDIS_URL) answers a read; an open breaker is a no."""
    try:
        for alias in settings.CACHES:
            if isinstance(caches[alias], RedisCache):
                caches[alias].has_key("healthz")
        return True
    except CACHE_ERRORS:
        return False


CHECKS = {"database": database_answers, "cache": caches_answer}
# Without these the node cannot answer a request. Without Redis it still can (live renders,
# throttle counts in files): a shared Redis going down must not take every node out of the
# balancer at once, so that is 200 "degraded", not 503.
ESSENTIAL = {"database"}


def _start(name):
    """The running check `name`, or None when an earlier one is still hung."""
    with _running_lock:
        running = _running.get(name)
        if running is not None and not running.done():
            return None
        future = _running[name] = _checks.submit(CHECKS[name])
    return future


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database and the caches answer; 200 "degraded" naming the caches
    when only they do not; 503 when the database does not, so a load balancer drops the node.
    Always within HEALTH_DEADLINE, since the checks run in threads of their own."""
    checks = {name: _start(name) for name in CHECKS}
    wait([future for future in checks.values() if future], timeout=HEALTH_DEADLINE)
    failed = {
        name: "unreachable"
        for name, future in checks.items()
        if future is None or not future.done() or not future.result()
    }
    if failed.keys() & ESSENTIAL:
        return JsonResponse({"status": "unavailable", **failed}, status=503)
    if failed:
        return JsonResponse({"status": "degraded", **failed})
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
