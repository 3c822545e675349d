"""Query counts and EXPLAIN ANALYZE plans of every page, API endpoint, filter and search path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinoteka_bench .venv/bin/python bench/explain.py

Each path is requested through Django's test client against the bench database; every SQL
statement it runs is captured, then run again under EXPLAIN (ANALYZE). A sequential scan on
one of the large tables (films, credits, people, titles, locations, awards, list entries) is
flagged: on a hot path it means a missing index. `bench/run.py` calls this after loading the
catalogue and writes the result between the explain markers of docs/performance.md.
"""

import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The test client's host; DEBUG stays as configured (plans do not depend on it).
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["DJANGO_API_THROTTLE_ANON"] = "off"
# Every request renders live: a cached copy would run no queries at all.
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from discovery.filters import FilmFilter, NamedRowFilter  # noqa: E402
from ops import query_budgets as budget  # noqa: E402

LARGE_TABLES = {
    "catalogue_film",
    "catalogue_credit",
    "catalogue_person",
    "catalogue_filmtitle",
    "catalogue_filmlocation",
    "catalogue_award",
    "catalogue_film_countries",
    "catalogue_film_genres",
    "catalogue_film_studios",
    "lists_curatedlistentry",
}
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
EXPLAIN_START, EXPLAIN_END = "<!-- explain:start -->", "<!-- explain:end -->"


def samples():
    """Real values from the generated catalogue for every filter."""
    from django.db.models import Count

    from catalogue.models import Award, Credit, CreditRole, FilmLocation, LocationKind, Person
    from lists.models import CuratedList

    biggest = (
        CuratedList.objects.published().annotate(n=Count("entries")).order_by("-n", "slug").first()
    )
    film = biggest.entries.order_by("position").first().film
    director = Credit.objects.filter(film=film, role=CreditRole.DIRECTOR).first().person
    actor = Credit.objects.filter(film=film, role=CreditRole.ACTOR).first().person
    award = Award.objects.select_related("organisation").order_by("pk").first()
    setting = FilmLocation.objects.filter(kind=LocationKind.SETTING).order_by("pk").first().place
    filming = FilmLocation.objects.filter(kind=LocationKind.FILMING).order_by("pk").first().place
    # A little-credited person: what most person pages and person filters look like.
    rare = Person.objects.annotate(n=Count("credits")).filter(n__gte=1).order_by("n", "pk").first()
    return {
        "list": biggest.slug,
        "film": film.slug,
        "film_title": film.title,
        "original_title": film.original_title,
        "director": director.slug,
        "director_name": director.name,
        "actor": actor.slug,
        "rare_person": rare.slug,
        "award_organisation": award.organisation.slug,
        "award_year": award.ceremony_year,
        "setting": setting.slug,
        "filming": filming.slug,
    }


def typo(word):
    """The word with its 2nd and 3rd letters swapped: Kuznetsov → Kzunetsov."""
    return word[0] + word[2] + word[1] + word[3:]


READ_DOCUMENT_PATH = "API film detail (read document)"


def paths(sample):
    q = urllib.parse.quote
    filters = {
        "decade": "decade=1970",
        "country": "country=su",
        "genre": "genre=drama",
        "decade + country + genre": "decade=1970&country=su&genre=drama",
        "year range": "year_min=1960&year_max=1965",
        "studio": "studio=mosfilm",
        "director": f"director={sample['director']}",
        "actor": f"actor={sample['actor']}",
        "person (rarely credited)": f"person={sample['rare_person']}",
        "person + role": f"person={sample['director']}&role=director",
        "award": f"award_organisation={sample['award_organisation']}&award_outcome=won",
        "award year": f"award_year={sample['award_year']}",
        "list (ordered by position)": f"list={sample['list']}&ordering=position",
        "setting": f"setting={sample['setting']}",
        "filming location": f"filming_location={sample['filming']}",
        "verification": "verification=confirmed",
        "ordering by title": "ordering=title",
        "q (title search)": f"q={q(sample['film_title'])}",
    }
    searches = {
        "Cyrillic title": sample["original_title"],
        "Latin title": sample["film_title"],
        "person name": sample["director_name"],
        "typo (two letters swapped)": typo(sample["director_name"].split()[-1]),
        "one common word": "sun",
    }
    # (kind, name, path, the query budget the tests hold it to)
    result = [
        ("page", "home", "/", budget.HOME),
        ("page", "list page", f"/lists/{sample['list']}/", budget.LIST_PAGE),
        ("page", "film page", f"/films/{sample['film']}/", budget.FILM_PAGE),
        ("page", "person page", f"/people/{sample['director']}/", budget.PERSON_PAGE),
        ("page", "awards", "/awards/", budget.AWARD_INDEX),
        ("page", "browse (no filter)", "/films/", budget.browse_page()),
        ("api", "API film list (no filter)", "/api/v1/films/", budget.API_FILM_LIST),
        ("api", "API film detail", f"/api/v1/films/{sample['film']}/", budget.API_FILM_DETAIL),
        (
            "api",
            READ_DOCUMENT_PATH,
            f"/api/v1/films/{sample['film']}/",
            budget.API_FILM_DETAIL_FROM_DOCUMENT,
        ),
        ("api", "API person", f"/api/v1/people/{sample['director']}/", budget.API_PERSON_DETAIL),
    ]
    for name, query in filters.items():
        extra = budget.SEARCH_FILTER_EXTRA if query.startswith("q=") else 0
        named = sum(
            isinstance(FilmFilter.base_filters.get(key), NamedRowFilter)
            for key in urllib.parse.parse_qs(query)
        )
        browse = budget.browse_page(named, search=query.startswith("q="))
        result.append(("filter", f"browse: {name}", f"/films/?{query}", browse))
        result.append(
            ("filter", f"API: {name}", f"/api/v1/films/?{query}", budget.API_FILM_LIST + extra)
        )
    for name, query in searches.items():
        # A word matching nothing as written adds the typo pass (SEARCH_WITH_TYPOS).
        typo_pass = budget.SEARCH_WITH_TYPOS - budget.MAX_PAGE if "typo" in name else 0
        site, api = budget.MAX_PAGE + typo_pass, budget.API_SEARCH_MAX + typo_pass
        result.append(("search", f"site search: {name}", f"/search/?q={q(query)}", site))
        result.append(("search", f"API search: {name}", f"/api/v1/search/?q={q(query)}", api))
    return result


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def cpu_ms(client, path, repeat=3):
    """This process's CPU per request (Django, templates, serializers; not PostgreSQL's)."""
    started = time.process_time()
    for _ in range(repeat):
        client.get(path)
    return round((time.process_time() - started) / repeat * 1000, 1)


def analyse(client, kind, name, path, query_budget):
    # With DEBUG on, Django keeps the last 9,000 queries in a ring buffer; once it wraps,
    # CaptureQueriesContext's slice indexes point at the wrong queries. Start empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    captured_queries = list(captured.captured_queries)
    statements = []
    for query in captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue  # savepoints, session writes
        statements.append(sql)
    plans = []
    for sql in statements:
        # Re-run with the same literal SQL Django logged (psycopg2 inlines parameters).
        plan = explain(sql, None)
        total = re.search(r"Execution Time: ([\d.]+) ms", plan)
        plans.append(
            {
                "sql": sql,
                "plan": plan,
                "ms": float(total.group(1)) if total else None,
                "seq_scans": sorted(set(SEQ_SCAN.findall(plan)) & LARGE_TABLES),
            }
        )
    return {
        "kind": kind,
        "name": name,
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "app_cpu_ms": cpu_ms(client, path),
        "queries": len(captured_queries),
        "query_budget": query_budget,
        "within_budget": len(captured_queries) <= query_budget,
        "db_ms": round(sum(plan["ms"] or 0 for plan in plans), 2),
        "seq_scans": sorted({table for plan in plans for table in plan["seq_scans"]}),
        "plans": plans,
    }


def markdown(results):
    lines = [
        "| kind | path | status | KB | queries (budget) | DB time (ms, EXPLAIN ANALYZE) "
        "| app CPU ms | seq scan on a large table |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        seq = ", ".join(result["seq_scans"]) or "—"
        lines.append(
            f"| {result['kind']} | {result['name']}: `{result['path'].replace('|', '%7C')}` | "
            f"{result['status']} | {result['bytes'] / 1024:.1f} | {result['queries']} "
            f"({result['query_budget']}) {'✓' if result['within_budget'] else '✗'} | "
            f"{result['db_ms']} | {result['app_cpu_ms']} | {seq} |"
        )
    lines += ["", "<details><summary>Every plan (click)</summary>", ""]
    for result in results:
        if result["status"] != 200:
            continue
        lines += [f"#### {result['name']} — `{result['path']}`", ""]
        for number, plan in enumerate(result["plans"], start=1):
            sql = plan["sql"] if len(plan["sql"]) < 600 else plan["sql"][:600] + " …"
            lines += [
                f"Query {number} ({plan['ms']} ms):",
                "",
                "```sql",
                sql,
                "```",
                "",
                "```",
                plan["plan"],
                "```",
                "",
            ]
    lines.append("</details>")
    return "\n".join(lines)


def write_doc(text, doc=ROOT / "docs" / "performance.md"):
    current = doc.read_text() if doc.exists() else "# Performance\n\n"
    block = f"{EXPLAIN_START}\n{text}\n{EXPLAIN_END}"
    if EXPLAIN_START in current and EXPLAIN_END in current:
        before, rest = current.split(EXPLAIN_START, 1)
        current = before + block + rest.split(EXPLAIN_END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n## Query plans at scale\n\n" + block + "\n"
    doc.write_text(current)


def main():
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE plans are for PostgreSQL: set DATABASE_URL.")
    sample = samples()
    client = Client()
    # One warm-up request per path so plans show a warm cache, as under load.
    results = []
    for kind, name, path, query_budget in paths(sample):
        # Each path's plans as its budget counts them: the film detail built, and apart from
        # it, read from its document (core/read_documents.py).
        with override_settings(READ_DOCUMENTS=name == READ_DOCUMENT_PATH):
            client.get(path)
            results.append(analyse(client, kind, name, path, query_budget))
        result = results[-1]
        print(
            f"{result['status']} {result['queries']:>3} queries {result['db_ms']:>8.2f} ms DB "
            f"{result['app_cpu_ms']:>6.1f} ms CPU  "
            f"{name}" + (f"  SEQ SCAN {result['seq_scans']}" if result["seq_scans"] else ""),
            file=sys.stderr,
        )
    out = ROOT / "bench" / "results" / "explain.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"sample": sample, "paths": results}, indent=2) + "\n")
    if "--write-doc" in sys.argv:
        write_doc(markdown(results))
    print(f"Plans: {out.relative_to(ROOT)}")
    over = [result for result in results if not result["within_budget"]]
    for result in over:
        print(
            f"OVER BUDGET: {result['name']} ran {result['queries']} queries "
            f"(the tests allow {result['query_budget']})"
        )
    if not over:
        print(f"Query counts at this size: all {len(results)} paths within their test budgets.")


if __name__ == "__main__":
    main()
