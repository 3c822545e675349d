"""Where a live (uncached) request's milliseconds go: SQL, ORM compilation, serializer, JSON,
template, the rest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinoteka_bench \
        .venv/bin/python bench/request_profile.py

Against the bench catalogue, in one process with production settings and no response cache,
each page kind is requested REPEAT times over a few different objects. A first pass without a
profiler gives the wall time per request and the SQL time (every statement timed through
`connection.execute_wrapper`, so it includes the round trip to PostgreSQL). A second pass under
cProfile (counting this process's CPU time) splits the app's CPU time by the cumulative time
of the functions that stand for each part; the profiler's own overhead is taken out by scaling
those parts to the first pass's CPU time, which the machine's other load barely changes. The
parts can overlap where one calls another (a template evaluating a lazy queryset compiles
SQL): "rest" is what none of them covers (middleware, URL resolution, the view, building
model rows).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-" + os.urandom(16).hex())
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_API_THROTTLE_ANON", "off")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
os.environ.pop("REDIS_URL", None)  # every request rendered live

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from bench.samples import three_filters  # noqa: E402
from catalogue.models import CreditRole, Film  # noqa: E402
from discovery.visibility import public_films  # noqa: E402
from lists.models import CuratedList  # noqa: E402

# (file ending or endings, function name, how) whose cumulative time stands for each part.
# "outermost": the largest cumulative time among the matches (nested calls of other matching
# functions, such as a serializer's fields, are inside it); "sum": matches that do not nest in
# each other.
PARTS = {
    "ORM compile": ("django/db/models/sql/compiler.py", "as_sql", "sum"),
    "serializer": ("rest_framework/serializers.py", "to_representation", "outermost"),
    "JSON encode": ("rest_framework/renderers.py", "render", "outermost"),
    # Pages are Jinja2; Django's backend too, so that a commit before the move is measured alike.
    "template": (
        ("django/template/backends/jinja2.py", "django/template/backends/django.py"),
        "render",
        "outermost",
    ),
}


def sample_paths(objects):
    """A few objects of each kind: films with many credits, their directors, large lists."""
    films = list(
        public_films()
        .annotate(n=Count("credits"))
        .filter(n__gte=5)
        .order_by("pk")
        .values_list("slug", flat=True)[:objects]
    )
    directors = []
    for slug in films:
        film = Film.objects.get(slug=slug)
        credit = film.credits.filter(role=CreditRole.DIRECTOR).select_related("person").first()
        if credit:
            directors.append(credit.person.slug)
    lists = list(
        CuratedList.objects.published()
        .annotate(n=Count("entries"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:objects]
    )
    # Three filters each film really has (its decade, a country, a genre), as the bench's
    # live browse rows. No Redis here: every count is counted, as on a combination's first visit.
    filters = three_filters(Film.objects.filter(slug__in=films), lambda rows: rows[0])
    return {
        "film page": [f"/films/{slug}/" for slug in films],
        "person page": [f"/people/{slug}/" for slug in directors],
        "list page (largest lists)": [f"/lists/{slug}/" for slug in lists],
        "API film detail": [f"/api/v1/films/{slug}/" for slug in films],
        "browse, 3 filters (counted)": [f"/films/?{query}" for query in filters],
        "API film list, 3 filters (counted)": [f"/api/v1/films/?{query}" for query in filters],
    }


class SQLTimer:
    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def timed_pass(client, paths, repeat):
    timer = SQLTimer()
    walls = []
    cpu_started = time.process_time()
    with connection.execute_wrapper(timer):
        for index in range(repeat):
            path = paths[index % len(paths)]
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST="127.0.0.1")
            walls.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
    return {
        "cpu_ms": (time.process_time() - cpu_started) / repeat * 1000,
        "wall_ms": statistics.mean(walls) * 1000,
        "median_ms": statistics.median(walls) * 1000,
        "sql_ms": timer.seconds / repeat * 1000,
        "queries": timer.queries / repeat,
    }


def profiled_pass(client, paths, repeat):
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for index in range(repeat):
        client.get(paths[index % len(paths)], HTTP_HOST="127.0.0.1")
    profiler.disable()
    total = time.process_time() - started
    stats = pstats.Stats(profiler).stats
    parts = {}
    for part, (ending, function, how) in PARTS.items():
        matches = [
            cumulative
            for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items()
            if name == function and filename.endswith(ending)
        ]
        seconds = (sum(matches) if how == "sum" else max(matches)) if matches else 0.0
        parts[part] = seconds / repeat * 1000
    return {"profiled_ms": total / repeat * 1000, "parts_ms": parts}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--objects", type=int, default=8)
    parser.add_argument("--json", help="Write the figures to this file too.")
    options = parser.parse_args()

    client = Client()
    rows = {}
    for kind, paths in sample_paths(options.objects).items():
        for path in paths:  # warm: first imports, template loading, the connection
            client.get(path, HTTP_HOST="127.0.0.1")
        timed = timed_pass(client, paths, options.repeat)
        profiled = profiled_pass(client, paths, options.repeat)
        # This process's CPU time: what a request costs the app server, whatever else runs on
        # the machine (wall times swell with the load; CPU times much less). The profiler's
        # parts are scaled to the unprofiled CPU time.
        python_ms = timed["cpu_ms"]
        scale = python_ms / profiled["profiled_ms"] if profiled["profiled_ms"] > 0 else 1
        parts = {part: ms * scale for part, ms in profiled["parts_ms"].items()}
        rest = (
            python_ms
            - parts["ORM compile"]
            - max(parts["template"], parts["serializer"] + parts["JSON encode"])
        )
        rows[kind] = {**timed, "python_ms": python_ms, "parts_ms": parts, "rest_ms": rest}

    print(
        "| request | queries | wall ms | SQL ms (wall) | app CPU ms | ORM compile | serializer "
        "| JSON encode | template | rest |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, row in rows.items():
        parts = row["parts_ms"]
        print(
            f"| {kind} | {row['queries']:.0f} | {row['wall_ms']:.1f} | {row['sql_ms']:.1f} | "
            f"{row['python_ms']:.1f} | {parts['ORM compile']:.1f} | {parts['serializer']:.1f} "
            f"| {parts['JSON encode']:.1f} | {parts['template']:.1f} | {row['rest_ms']:.1f} |"
        )
    print(f"\n(mean of {options.repeat} requests each; load average {os.getloadavg()})")
    if options.json:
        Path(options.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
