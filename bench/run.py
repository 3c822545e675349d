"""`make bench`: the site and API under load at 100,000 films, against Django's own ceiling.

    .venv/bin/python bench/run.py            # everything (what `make bench` runs)
    BENCH_DURATION=5 .venv/bin/python bench/run.py --no-soak   # a quick look

Steps: make sure wrk, PostgreSQL and Redis are there; create the `kinoteka_bench` database and
load the synthetic catalogue once (reused while it is complete); start gunicorn with production
settings on 127.0.0.1 (plain HTTP, API throttling off, /bench/ceiling on, the response cache in
Redis); for the ceiling view and every endpoint run wrk (8 connections, 20 s) and print req/s,
p50/p95/p99, errors and the ratio to the ceiling; measure gunicorn workers' memory; soak a mix
of pages and API (32 connections, 60 s) and check there are no errors and memory stays flat.
Then restart gunicorn storing no page (KINOTEKA_RESPONSE_CACHE_PAGES=false; counts are still
kept in Redis until the next write, and the warm-up counts them) and measure every endpoint
again (10 s each), rendered on every request: what a page miss costs while counts are warm.
Results go to bench/results/<date>.json and the table between the markers in
docs/performance.md.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
LUA = ROOT / "bench" / "wrk_report.lua"
TABLE_START, TABLE_END = "<!-- bench:start -->", "<!-- bench:end -->"

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "kinoteka_bench")
# A Redis database of the bench's own: it is flushed before each run.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
REDIS_MAXMEMORY = "256mb"
REDIS_EVICTION_POLICY = "allkeys-lru"
FILMS = int(os.environ.get("BENCH_FILMS", "100000"))
SEED = int(os.environ.get("BENCH_SEED", "42"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
# The second pass, without the response cache (0: skip it).
UNCACHED_DURATION = int(os.environ.get("BENCH_UNCACHED_DURATION", "10"))
SOAK_CONNECTIONS = int(os.environ.get("BENCH_SOAK_CONNECTIONS", "32"))
SOAK_DURATION = int(os.environ.get("BENCH_SOAK_DURATION", "60"))
WARMUP = 2  # seconds of load thrown away before each measured run
# Live random paths (no page stored): each request a page picked at random from
# BENCH_RANDOM_PATHS of its kind, the long tail of a large catalogue (0 s: skip).
RANDOM_DURATION = int(os.environ.get("BENCH_RANDOM_DURATION", "20"))
RANDOM_PATHS = int(os.environ.get("BENCH_RANDOM_PATHS", "2000"))
# The response cache while an editor works: random film pages among BENCH_EDIT_FILMS, one
# edit a second to one of those films (0 s: skip).
EDIT_DURATION = int(os.environ.get("BENCH_EDIT_DURATION", "30"))
EDIT_FILMS = int(os.environ.get("BENCH_EDIT_FILMS", "300"))
EDITS_PER_SECOND = 1

# The performance targets of docs/performance.md (a benchmark, not a test).
MIN_CEILING_RATIO = 0.40
MAX_P99_MS = 50
MAX_SEARCH_P95_MS = 25
MAX_WORKER_RSS_MB = 150
# "Memory flat" over the soak: no worker grows by more than this.
MAX_SOAK_GROWTH_MB = 10
# Live random paths: the share of the ceiling each kind should reach, and p99.
MIN_LIVE_RATIO = {
    "film pages": 0.15,
    "API film details": 0.15,
    "person pages": 0.15,
    "list pages": 0.05,
    "browse, 3 filters": 0.10,
    "API film list, 3 filters": 0.10,
}
MAX_LIVE_P99_MS = 100
# Editor at work: cached film pages stay cached but for what the edits touched.
MIN_EDIT_HIT_RATIO = 0.90
MAX_EDIT_P99_MS = 50


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(command, **kwargs):
    log("$ " + " ".join(str(part) for part in command))
    return subprocess.run(command, check=True, **kwargs)


# --- tools and services --------------------------------------------------------------------
def ensure_wrk():
    """wrk from Debian; installed here when missing (the bench runs as root on a fresh box)."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install wrk (or run make bench as root).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env).returncode != 0:
        run(["apt-get", "update", "-q"], env=env)
        run(["apt-get", "install", "-y", "-q", "wrk"], env=env)
    return shutil.which("wrk")


def ensure_postgres():
    host = urllib.parse.urlsplit(PG_SERVER).hostname or "127.0.0.1"
    if subprocess.run(["pg_isready", "-q", "-h", host]).returncode == 0:
        return
    log("Starting PostgreSQL")
    clusters = sorted(Path("/etc/postgresql").glob("*/main"))
    if not clusters:
        sys.exit("PostgreSQL is not running and no cluster was found to start.")
    version = clusters[-1].parent.name
    run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", host]).returncode == 0:
            return
        time.sleep(1)
    sys.exit("PostgreSQL did not start.")


def ensure_redis():
    """Redis for the response cache: started when down (as the machine's own service is),
    then the bench's database is emptied so no page of an earlier catalogue is served."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if not shutil.which("redis-server"):
            sys.exit(f"Redis is not answering at {REDIS_URL} and redis-server is not installed.")
        log("Starting Redis")
        run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(urllib.parse.urlsplit(REDIS_URL).port or 6379),
                "--save",
                "",
                "--appendonly",
                "no",
                # As production should run it (docs/security.md): a bounded cache that
                # evicts the least recently used entries instead of refusing writes.
                "--maxmemory",
                REDIS_MAXMEMORY,
                "--maxmemory-policy",
                REDIS_EVICTION_POLICY,
            ]
        )
        for _ in range(30):
            try:
                client.ping()
                break
            except redis.RedisError:
                time.sleep(1)
        else:
            sys.exit("Redis did not start.")
    policy = client.config_get("maxmemory-policy").get("maxmemory-policy", "")
    if policy != REDIS_EVICTION_POLICY:
        log(f"Warning: this Redis evicts with {policy!r}, not {REDIS_EVICTION_POLICY!r}")
    flush_redis()


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()


def database_url():
    return f"{PG_SERVER}/{DB_NAME}"


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", f"{PG_SERVER}/{database}", "-X", "-q", "-t", "-A", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def last_line(output):
    # `manage.py shell` may print its automatic-imports notice before the script's output.
    return output.strip().splitlines()[-1] if output.strip() else ""


def manage(*args, env=None, capture=False):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    # Loading 100,000 films runs statements longer than the web's statement_timeout.
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DB_STATEMENT_TIMEOUT_MS": "0",
        **(env or {}),
    }
    if capture:
        return subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    return run(command, env=env, cwd=ROOT)


def prepare_database():
    """Create and fill kinoteka_bench once; reuse it while it holds a complete catalogue."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") == "1"
    if exists:
        manage("migrate", "--no-input", "-v", "0")
        complete = manage(
            "shell",
            "-c",
            "from catalogue.models import Film, Source;"
            "print(Source.objects.filter(slug='synthetic-catalogue').exists()"
            f" and Film.objects.count() >= {FILMS})",
            capture=True,
        ).stdout
        complete = last_line(complete)
        if complete == "True":
            log(f"Reusing {DB_NAME} (a generated catalogue of at least {FILMS} films).")
            return {"reused": True}
        if complete != "False":
            sys.exit(f"Could not tell whether {DB_NAME} is complete: {complete!r}")
        log(f"{DB_NAME} holds no complete generated catalogue: recreating it.")
        psql(f'DROP DATABASE "{DB_NAME}"')
    psql(f'CREATE DATABASE "{DB_NAME}"')
    manage("migrate", "--no-input", "-v", "0")
    started = time.monotonic()
    manage("generate_catalogue", "--films", str(FILMS), "--seed", str(SEED))
    return {"reused": False, "seconds": round(time.monotonic() - started, 1)}


# The language of every request the bench sends (wrk sends no Accept-Language).
BENCH_LANGUAGE = "en"
# The API film details' read documents are built for the whole catalogue before the run;
# pages' documents are built by their first read (`read_each_once`): building 100,000 film
# pages takes over an hour of CPU on this machine (docs/performance.md, "Read documents").
DOCUMENTS_SCRIPT = f"""
from core import read_documents
from discovery.visibility import public_films
current = read_documents.current_documents().filter(kind="api-film", language="{BENCH_LANGUAGE}")
print(current.count() >= public_films().count())
"""
BUILD_PROCESSES = 2


def build_read_documents():
    """Build the API film details' read documents in the bench's language unless every one
    is there: a catalogue generated in bulk has none (core/read_documents.py). Reused
    afterwards. Two processes, one for each core, each building every other film."""
    complete = last_line(manage("shell", "-c", DOCUMENTS_SCRIPT, capture=True).stdout)
    if complete == "True":
        log("Reusing the read documents.")
        return {"reused": True}
    started = time.monotonic()
    builds = []
    for shard in range(1, BUILD_PROCESSES + 1):
        command = [sys.executable, str(ROOT / "manage.py"), "build_read_documents"]
        command += ["--language", BENCH_LANGUAGE, "--kind", "api-film", "--batch", "500"]
        command += ["--shard", f"{shard}/{BUILD_PROCESSES}"]
        log("$ " + " ".join(command))
        env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DB_STATEMENT_TIMEOUT_MS": "0"}
        builds.append(subprocess.Popen(command, env=env, cwd=ROOT))
    if any([build.wait() for build in builds]):
        sys.exit("build_read_documents failed")
    return {"reused": False, "seconds": round(time.monotonic() - started, 1)}


# --- gunicorn --------------------------------------------------------------------------------
# Thrown away with the run: the bench serves no real users. One for the whole run, so the
# editor process of the edit workload signs and keys exactly as the server does.
SECRET_KEY = "bench-" + os.urandom(24).hex()


def production_env(cached=True, documents=True):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_API_THROTTLE_ANON": "off",
        "KINOTEKA_BENCH_CEILING": "1",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    environment["REDIS_URL"] = REDIS_URL
    # Live: no page or API read is served from the cache, as for a page nobody asked for since
    # the last edit. Counts (browse facets, `count`) are still kept across pages until the next
    # write, as production keeps them.
    environment["KINOTEKA_RESPONSE_CACHE_PAGES"] = "true" if cached else "false"
    environment["KINOTEKA_READ_DOCUMENTS"] = "true" if documents else "false"
    return environment


def start_gunicorn(log_file, cached=True, documents=True):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=production_env(cached, documents),
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}; see {log_file.name}")
        try:
            if probe("/bench/ceiling")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer /bench/ceiling within 60 s.")


def probe(path, with_headers=False):
    connection = HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        # The Host wrk sends: the response cache keys pages by host, port included.
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{PORT}"})
        response = connection.getresponse()
        answer = (response.status, response.read())
        return (*answer, response.headers) if with_headers else answer
    finally:
        connection.close()


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def memory_of(pid):
    """RSS and PSS (RSS with shared pages divided among sharers) in MB, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss_kb = int(re.search(r"Pss:\s+(\d+)", rollup).group(1))
    except (OSError, AttributeError):
        pss_kb = None
    return {
        "pid": pid,
        "rss_mb": round(rss_kb / 1024, 1),
        "pss_mb": round(pss_kb / 1024, 1) if pss_kb is not None else None,
    }


def workers_memory(master_pid):
    return [memory_of(pid) for pid in worker_pids(master_pid)]


# --- load ------------------------------------------------------------------------------------
def wrk(path, *, connections, duration, mix=(), paths_file=None, count_cache=False):
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{PORT}{path}",
    ]
    if mix:
        command += ["--", *mix]
    env = {**os.environ}
    env.pop("BENCH_PATHS_FILE", None)
    env.pop("BENCH_COUNT_CACHE", None)
    if paths_file:
        env["BENCH_PATHS_FILE"] = str(paths_file)
    if count_cache:
        env["BENCH_COUNT_CACHE"] = "1"
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    latency = {key: round(value / 1000, 2) for key, value in raw["latency_us"].items()}
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": latency["p50"],
        "p95_ms": latency["p95"],
        "p99_ms": latency["p99"],
        "max_ms": latency["max"],
        "errors": sum(raw["errors"].values()),
        "error_detail": raw["errors"],
        "cache_hits": raw["cache"]["hit"],
        "cache_others": raw["cache"]["other"],
    }


def measure(name, path, kind="page", duration=DURATION):
    status, body = probe(path)
    if status != 200:
        log(f"  {name}: {path} answers {status}; not measured.")
        return {"name": name, "path": path, "kind": kind, "skipped": f"HTTP {status}"}
    wrk(path, connections=CONNECTIONS, duration=WARMUP)
    result = wrk(path, connections=CONNECTIONS, duration=duration)
    # Whether the measured responses came from the response cache (the warm-up filled it).
    cache_state = probe(path, with_headers=True)[2].get("X-Kinoteka-Cache") or "off"
    result.update(name=name, path=path, kind=kind, body_bytes=len(body), cache=cache_state)
    log(
        f"  {name:<16} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>6.1f}  "
        f"p95 {result['p95_ms']:>6.1f}  p99 {result['p99_ms']:>6.1f} ms  "
        f"errors {result['errors']}"
    )
    return result


# --- what to measure -------------------------------------------------------------------------
SAMPLE_SCRIPT = """
import json
from django.db.models import Count
from catalogue.models import Film
from lists.models import CuratedList
lists = CuratedList.objects.published().annotate(n=Count("entries")).order_by("-n", "slug")
biggest = lists.first()
film = biggest.entries.order_by("position").first().film
by_credits = Film.objects.annotate(n=Count("credits")).order_by("-n", "slug")
rich = list(by_credits.values_list("slug", flat=True)[:1])
director = film.credits.filter(role="director").select_related("person").first()
print(json.dumps({
    "list": biggest.slug,
    "list_entries": biggest.n,
    "film": film.slug,
    "film_title": film.title,
    "rich_film": rich[0],
    "director_surname": director.person.name.split()[-1] if director else film.title,
    "soak_films": list(Film.objects.order_by("?").values_list("slug", flat=True)[:40]),
    "soak_lists": list(lists.values_list("slug", flat=True)[:20]),
}))
"""


def pick_samples():
    """Real rows from the bench database: the largest list, a film on it, people to search."""
    return json.loads(last_line(manage("shell", "-c", SAMPLE_SCRIPT, capture=True).stdout))


def endpoints(sample):
    """Every benchmarked endpoint: the site's busiest pages and the API's reads and search."""
    query = urllib.parse.quote(sample["film_title"])
    filters = "decade=1970&country=su&genre=drama"
    return [
        ("home", "/", "page"),
        ("list page", f"/lists/{sample['list']}/", "page"),
        ("film page", f"/films/{sample['film']}/", "page"),
        ("browse", f"/films/?{filters}", "page"),
        ("site search", f"/search/?q={query}", "search"),
        ("API film list", f"/api/v1/films/?{filters}", "api"),
        ("API film detail", f"/api/v1/films/{sample['film']}/", "api"),
        ("API search", f"/api/v1/search/?q={query}", "search"),
    ]


def soak_paths(sample, measured):
    """A mix: every endpoint that answered, plus many different films and lists."""
    paths = [result["path"] for result in measured if "skipped" not in result]
    available = {result["name"] for result in measured if "skipped" not in result}
    if "film page" in available:
        paths += [f"/films/{slug}/" for slug in sample["soak_films"]]
    if "API film detail" in available:
        paths += [f"/api/v1/films/{slug}/" for slug in sample["soak_films"][:20]]
    if "list page" in available:
        paths += [f"/lists/{slug}/" for slug in sample["soak_lists"]]
    return paths or ["/bench/ceiling"]


RANDOM_SAMPLE_SCRIPT = """
import json, os, random
from bench.samples import three_filters
from catalogue.models import Film, Person
from discovery.visibility import public_films
from lists.models import CuratedList
rng = random.Random(int(os.environ["BENCH_SEED"]))
size = int(os.environ["BENCH_RANDOM_PATHS"])
def pick(queryset, count):
    ids = sorted(queryset.values_list("pk", flat=True).distinct())
    return rng.sample(ids, min(count, len(ids)))
films = public_films()
film_ids = pick(films, size)
film_slugs = dict(Film.objects.filter(pk__in=film_ids).values_list("pk", "slug"))
people = Person.objects.filter(credits__film__in=films)
person_slugs = Person.objects.filter(pk__in=pick(people, size)).values_list("slug", flat=True)
lists = CuratedList.objects.published().values_list("slug", flat=True)
# Three filters a film really has (its decade, a country, a genre): pages with films on them.
filters = three_filters(films.filter(pk__in=film_ids[:500]), rng.choice)
print(json.dumps({
    "films": [film_slugs[pk] for pk in film_ids],
    "people": sorted(person_slugs),
    "lists": sorted(lists),
    "filters": sorted(set(filters)),
}))
"""


def pick_random_paths():
    """Random paths of each kind over the catalogue (the same ones for the same seed)."""
    env = {"BENCH_SEED": str(SEED), "BENCH_RANDOM_PATHS": str(RANDOM_PATHS)}
    sample = json.loads(
        last_line(manage("shell", "-c", RANDOM_SAMPLE_SCRIPT, env=env, capture=True).stdout)
    )
    return {
        "film pages": [f"/films/{slug}/" for slug in sample["films"]],
        "API film details": [f"/api/v1/films/{slug}/" for slug in sample["films"]],
        "person pages": [f"/people/{slug}/" for slug in sample["people"]],
        "list pages": [f"/lists/{slug}/" for slug in sample["lists"]],
        "browse, 3 filters": [f"/films/?{query}" for query in sample["filters"]],
        "API film list, 3 filters": [f"/api/v1/films/?{query}" for query in sample["filters"]],
    }


def write_paths(name, paths):
    path = RESULTS_DIR / f"paths-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.tmp"
    path.write_text("\n".join(paths) + "\n")
    return path


def measure_random(name, paths, duration, *, count_cache=False):
    """wrk over `paths`, each request one of them at random (after a warm-up)."""
    status = probe(paths[0])[0]
    if status != 200:
        log(f"  {name}: {paths[0]} answers {status}; not measured.")
        return {"name": name, "skipped": f"HTTP {status}", "paths": len(paths)}
    paths_file = write_paths(name, paths)
    try:
        wrk("/", connections=CONNECTIONS, duration=WARMUP, paths_file=paths_file)
        result = wrk(
            "/",
            connections=CONNECTIONS,
            duration=duration,
            paths_file=paths_file,
            count_cache=count_cache,
        )
    finally:
        paths_file.unlink()
    result.update(name=name, paths=len(paths), example=paths[0], load_average=os.getloadavg())
    log(
        f"  {name:<26} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>6.1f}  "
        f"p95 {result['p95_ms']:>6.1f}  p99 {result['p99_ms']:>6.1f} ms  "
        f"errors {result['errors']}"
    )
    return result


# The kinds served from read documents: measured once more with the documents off.
DOCUMENTED_KINDS = ("film pages", "API film details", "person pages", "list pages")
# Pages whose documents their first read builds (pages/documents.py): each path is read once
# before the kind is measured, as the first visitor since the last write to it would.
FIRST_READ_KINDS = ("film pages", "person pages", "list pages")


# Listings the film index answers (discovery/film_index.py): each worker builds its index in a
# thread at its first such request and answers by SQL meanwhile. Their paths are read once to
# start those builds and then, once they are done, once more (the first reads reported, which
# store the films' row and card documents), as the first visitors after the index is current.
INDEXED_KINDS = ("browse, 3 filters", "API film list, 3 filters")
INDEX_BUILD_WAIT_S = 20


def read_each_once(name, paths):
    """Each of `paths` once, CONNECTIONS at a time: what the first visitors of pages with no
    document get (each read builds and stores one)."""
    base = f"http://127.0.0.1:{PORT}"

    def read(path):
        started = time.monotonic()
        try:
            with urlopen(base + path, timeout=60) as answer:
                answer.read()
                ok = answer.status == 200
        except OSError:
            ok = False
        return (time.monotonic() - started) * 1000, ok

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        answers = list(pool.map(read, paths))
    seconds = time.monotonic() - started
    latencies = sorted(ms for ms, _ok in answers)
    result = {
        "name": name,
        "paths": len(paths),
        "rps": round(len(paths) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2], 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "errors": sum(1 for _ms, ok in answers if not ok),
    }
    log(
        f"  {name + ', first reads':<26} {result['rps']:>8.1f} req/s  p50 "
        f"{result['p50_ms']:>6.1f}  p99 {result['p99_ms']:>6.1f} ms  errors {result['errors']}"
    )
    return result


def bench_live_random(random_paths):
    """Every kind of page at random paths, rendered live (no page stored; counts kept)."""
    log(f"Live, random paths: {CONNECTIONS} connections × {RANDOM_DURATION} s per kind")
    before = measure("ceiling", "/bench/ceiling", "ceiling", duration=RANDOM_DURATION)
    kinds, first_reads = [], []
    for name, paths in random_paths.items():
        if not paths:
            continue
        if name in INDEXED_KINDS:
            read_each_once(f"{name}, index building", paths)
            time.sleep(INDEX_BUILD_WAIT_S)
        if name in FIRST_READ_KINDS + INDEXED_KINDS:
            first_reads.append(read_each_once(name, paths))
        kinds.append(measure_random(name, paths, RANDOM_DURATION))
    after = measure("ceiling (again)", "/bench/ceiling", "ceiling", duration=RANDOM_DURATION)
    return {
        "duration_s": RANDOM_DURATION,
        "ceiling": {
            "rps": round((before["rps"] + after["rps"]) / 2, 1),
            "before": before,
            "after": after,
        },
        "kinds": kinds,
        "first_reads": first_reads,
    }


EDITOR_SCRIPT = """
import os, random, time
from catalogue.models import Film
slugs = open(os.environ["BENCH_EDIT_SLUGS"]).read().split()
interval = 1 / float(os.environ["BENCH_EDITS_PER_SECOND"])
deadline = time.monotonic() + float(os.environ["BENCH_EDIT_SECONDS"])
edits = 0
rng = random.Random(1)
while time.monotonic() < deadline:
    started = time.monotonic()
    film = Film.objects.get(slug=rng.choice(slugs))
    # A real write (history, invalidation) that leaves the page as it reads.
    film.synopsis = film.synopsis[:-1] if film.synopsis.endswith(" ") else film.synopsis + " "
    film.save()
    edits += 1
    time.sleep(max(0.0, interval - (time.monotonic() - started)))
print(edits)
"""


def bench_editing(random_paths):
    """Film pages from the response cache while an editor edits one of them every second:
    the hit ratio shows how much of the cache each edit empties."""
    films = random_paths.get("film pages", [])[:EDIT_FILMS]
    if not films:
        return None
    log(f"Editor at work: {len(films)} film pages, {EDITS_PER_SECOND} edit/s, {EDIT_DURATION} s")
    for path in films:  # every page rendered once, so misses below are what the edits cost
        probe(path)
    slugs = write_paths("edit slugs", [path.split("/")[2] for path in films])
    editor = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", EDITOR_SCRIPT],
        cwd=ROOT,
        env={
            **production_env(),
            "BENCH_EDIT_SLUGS": str(slugs),
            "BENCH_EDITS_PER_SECOND": str(EDITS_PER_SECOND),
            "BENCH_EDIT_SECONDS": str(EDIT_DURATION + WARMUP + 2),
        },
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        result = measure_random(
            "film pages, editor at work", films, EDIT_DURATION, count_cache=True
        )
    finally:
        out, _ = editor.communicate(timeout=EDIT_DURATION + 120)
        slugs.unlink()
    answered = result.get("cache_hits", 0) + result.get("cache_others", 0)
    result["hit_ratio"] = round(result["cache_hits"] / answered, 3) if answered else None
    result["edits"] = int(last_line(out) or 0)
    log(f"  hit ratio {result['hit_ratio']}, {result['edits']} edits")
    return result


# --- verdicts and reporting ------------------------------------------------------------------
def evaluate(results):
    """Each performance target with whether it holds, for the table and the JSON."""
    ceiling = results["ceiling"]["rps"]
    verdicts = []
    for result in results["endpoints"]:
        if "skipped" in result:
            continue
        result["ratio"] = round(result["rps"] / ceiling, 3) if ceiling else None
        checks = {
            "ratio": result["ratio"] is not None and result["ratio"] >= MIN_CEILING_RATIO,
            "p99": result["p99_ms"] < MAX_P99_MS,
            "errors": result["errors"] == 0,
        }
        if result["kind"] == "search":
            checks["search_p95"] = result["p95_ms"] < MAX_SEARCH_P95_MS
        result["targets"] = checks
        verdicts.append(all(checks.values()))
    memory = results["memory"]["after_endpoints"]
    results["memory"]["max_rss_mb"] = max(worker["rss_mb"] for worker in memory)
    results["memory"]["target_met"] = results["memory"]["max_rss_mb"] < MAX_WORKER_RSS_MB
    soak = results.get("soak")
    if soak:
        before = {worker["pid"]: worker["rss_mb"] for worker in soak["memory_before"]}
        growth = [
            worker["rss_mb"] - before[worker["pid"]]
            for worker in soak["memory_after"]
            if worker["pid"] in before
        ]
        soak["memory_growth_mb"] = round(max(growth), 1) if growth else None
        soak["flat"] = bool(growth) and soak["memory_growth_mb"] <= MAX_SOAK_GROWTH_MB
        soak["target_met"] = soak["errors"] == 0 and soak["flat"]
    live = results.get("live_random")
    if live:
        for result in live["kinds"]:
            if "skipped" in result:
                continue
            result["ratio"] = round(result["rps"] / live["ceiling"]["rps"], 3)
            result["targets"] = {
                "ratio": result["ratio"] >= MIN_LIVE_RATIO[result["name"]],
                "p99": result["requests"] > 0 and result["p99_ms"] < MAX_LIVE_P99_MS,
                "errors": result["errors"] == 0,
            }
            verdicts.append(all(result["targets"].values()))
    editing = results.get("editing")
    if editing and "skipped" not in editing:
        editing["targets"] = {
            "hit_ratio": (editing["hit_ratio"] or 0) >= MIN_EDIT_HIT_RATIO,
            "p99": editing["p99_ms"] < MAX_EDIT_P99_MS,
            "errors": editing["errors"] == 0,
        }
        verdicts.append(all(editing["targets"].values()))
    results["all_targets_met"] = (
        all(verdicts) and results["memory"]["target_met"] and (soak is None or soak["target_met"])
    )
    return results


def mark(ok):
    return "✓" if ok else "✗"


def uncached_cell(result, ceiling_rps):
    if not result or "skipped" in result:
        return "—"
    ratio = result["rps"] / ceiling_rps if ceiling_rps else 0
    return f"{result['rps']:.0f} ({ratio:.2f}), {result['p95_ms']} / {result['p99_ms']}"


def markdown(results):
    """The results table (and memory, soak lines) for docs/performance.md."""
    config = results["config"]
    ceiling = results["ceiling"]
    uncached = results.get("uncached")
    lines = [
        f"Run of {results['date']} on {results['machine']['cpus']} CPU(s), "
        f"{config['films']:,} films, gunicorn {config['workers']} sync workers, wrk "
        f"{config['connections']} connections × {config['duration_s']} s per endpoint. "
        f"Ceiling: {ceiling['rps']:.0f} req/s (mean of before {ceiling['before']['rps']:.0f} "
        f"and after {ceiling['after']['rps']:.0f}). Responses come from the Redis response "
        "cache (column *cache*) once the 2 s warm-up has filled it; the last column is the "
        "same endpoint rendered on every request (no page stored, counts kept until a write"
        + (f", {uncached['duration_s']} s each" if uncached else ", not measured in this run")
        + ").",
        "",
        "| endpoint | path | cache | req/s | ratio to ceiling | p50 ms | p95 ms | p99 ms "
        "| errors | without cache: req/s (ratio), p95 / p99 ms |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| ceiling | `/bench/ceiling` | — | {ceiling['rps']:.0f} | 1.00 | "
        f"{ceiling['before']['p50_ms']} | {ceiling['before']['p95_ms']} | "
        f"{ceiling['before']['p99_ms']} | {ceiling['before']['errors']} | "
        f"{uncached_cell(uncached['ceiling'], ceiling['rps']) if uncached else '—'} |",
    ]
    live = {result["name"]: result for result in (uncached or {}).get("endpoints", [])}
    for result in results["endpoints"]:
        path = result["path"].replace("|", "%7C")
        if "skipped" in result:
            lines.append(
                f"| {result['name']} | `{path}` | — | — | — | — | — | — | not measured "
                f"({result['skipped']}) | — |"
            )
            continue
        targets = result["targets"]
        p95 = f"{result['p95_ms']}"
        if "search_p95" in targets:
            p95 += f" {mark(targets['search_p95'])}"
        lines.append(
            f"| {result['name']} | `{path}` | {result.get('cache', '—')} | {result['rps']:.0f} | "
            f"{result['ratio']:.2f} {mark(targets['ratio'])} | {result['p50_ms']} | {p95} | "
            f"{result['p99_ms']} {mark(targets['p99'])} | {result['errors']} | "
            f"{uncached_cell(live.get(result['name']), ceiling['rps'])} |"
        )
    memory = results["memory"]
    rss = ", ".join(f"{worker['rss_mb']:.0f}" for worker in memory["after_endpoints"])
    pss = ", ".join(
        f"{worker['pss_mb']:.0f}" for worker in memory["after_endpoints"] if worker["pss_mb"]
    )
    lines += [
        "",
        f"Memory per worker after the endpoint runs: RSS {rss} MB (PSS {pss} MB); "
        f"max {memory['max_rss_mb']:.0f} MB {mark(memory['target_met'])} "
        f"(target < {MAX_WORKER_RSS_MB} MB).",
    ]
    soak = results.get("soak")
    if soak:
        detail = soak.get("error_detail") or {}
        kinds = ", ".join(f"{count} {kind}" for kind, count in detail.items() if count)
        lines.append(
            f"Soak: {soak['connections']} connections × {soak['duration_s']} s over "
            f"{soak['paths']} paths: {soak['rps']:.0f} req/s, p99 {soak['p99_ms']} ms, "
            f"{soak['errors']} errors{f' ({kinds})' if kinds else ''} "
            f"{mark(soak['errors'] == 0)}; worst worker RSS growth "
            f"{soak['memory_growth_mb']} MB {mark(bool(soak['flat']))} "
            f"(targets: 0 errors, growth ≤ {MAX_SOAK_GROWTH_MB} MB; wrk counts a request "
            "unanswered after 10 s as a timeout error)."
        )
    lines += live_random_lines(results.get("live_random"), config)
    lines += editing_lines(results.get("editing"), config)
    generation = results["generation"]
    if not generation.get("reused"):
        lines.append(f"Catalogue generated in this run in {generation['seconds']} s.")
    return "\n".join(lines)


def live_random_lines(live, config):
    """The live random-path table: what a visitor gets whom the cache cannot help."""
    if not live:
        return []
    ceiling = live["ceiling"]
    lines = [
        "",
        "**Live, random paths** (no page stored, counts kept until a write, Redis emptied "
        f"first; {config['films']:,} films; each request a "
        f"page picked at random among up to {RANDOM_PATHS:,} of its kind; "
        f"{config['connections']} connections × {live['duration_s']} s per kind). Ceiling "
        f"{ceiling['rps']:.0f} req/s (before {ceiling['before']['rps']:.0f}, after "
        f"{ceiling['after']['rps']:.0f}).",
        "",
        "| pages | paths | example | req/s | ratio to ceiling (target) | p50 ms | p95 ms "
        "| p99 ms | errors | load average |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in live["kinds"]:
        if "skipped" in result:
            lines.append(
                f"| {result['name']} | {result['paths']} | — | not measured "
                f"({result['skipped']}) | | | | | | |"
            )
            continue
        targets = result["targets"]
        load = ", ".join(f"{value:.1f}" for value in result["load_average"])
        example = result["example"].replace("|", "%7C")
        lines.append(
            f"| {result['name']} | {result['paths']} | `{example}` | {result['rps']:.0f} | "
            f"{result['ratio']:.3f} {mark(targets['ratio'])} "
            f"(≥ {MIN_LIVE_RATIO[result['name']]:.2f}) | {result['p50_ms']} | "
            f"{result['p95_ms']} | {result['p99_ms']} {mark(targets['p99'])} | "
            f"{result['errors']} | {load} |"
        )
    lines.append(f"(targets: the ratio shown, p99 < {MAX_LIVE_P99_MS} ms.)")
    lines += documents_lines(live)
    return lines


def documents_lines(live):
    """How the kinds served from read documents fare without them: each answer built, and
    the first reads of pages, which build their documents."""
    bare = {result["name"]: result for result in live.get("without_documents") or []}
    first = {result["name"]: result for result in live.get("first_reads") or []}
    if not bare and not first:
        return []
    ceiling = live["ceiling"]["rps"]

    def figures(result):
        if result is None:
            return "—"
        if "skipped" in result:
            return f"not measured ({result['skipped']})"
        return (
            f"{result['rps']:.0f} req/s ({result['rps'] / ceiling:.3f}), p50 {result['p50_ms']} "
            f"/ p99 {result['p99_ms']} ms, {result['errors']} errors"
        )

    lines = [
        "",
        f"Film, person and list pages and API film details come from their read documents. "
        f"The API film details' documents were built for the whole catalogue before the run "
        f"({documents_line(live)}); each page's was built by the first read of its path just "
        "before its kind was measured (column *first read*, one read of each path, "
        f"{CONNECTIONS} at a time), as the first visitor since the last write to what a page "
        "shows builds it. Column *built on every request*: the same paths on a server with "
        "KINOTEKA_READ_DOCUMENTS=false, right after (ratios to the ceiling above).",
        "",
        "| pages | built on every request | first read (builds the document) |",
        "| --- | --- | --- |",
    ]
    for name in DOCUMENTED_KINDS:
        if name in bare or name in first:
            lines.append(f"| {name} | {figures(bare.get(name))} | {figures(first.get(name))} |")
    return lines


def documents_line(live):
    built = live.get("read_documents") or {}
    if built.get("reused"):
        return "reused from an earlier run"
    if "seconds" in built:
        return f"{built['seconds']:.0f} s in {BENCH_LANGUAGE}"
    return "not recorded"


def editing_lines(editing, config):
    if not editing:
        return []
    if "skipped" in editing:
        return ["", f"Editor at work: not measured ({editing['skipped']})."]
    targets = editing["targets"]
    load = ", ".join(f"{value:.1f}" for value in editing["load_average"])
    return [
        "",
        f"**Editor at work** (response cache on; {config['films']:,} films): random pages "
        f"among {editing['paths']} film pages, each rendered once before, while an editor "
        f"saves one of those films every second ({editing['edits']} edits): "
        f"{editing['rps']:.0f} req/s, hit ratio {editing['hit_ratio']:.3f} "
        f"{mark(targets['hit_ratio'])} (target ≥ {MIN_EDIT_HIT_RATIO:.2f}), p50 "
        f"{editing['p50_ms']} ms, p99 {editing['p99_ms']} ms {mark(targets['p99'])} (target < "
        f"{MAX_EDIT_P99_MS} ms), {editing['errors']} errors; load average {load}.",
    ]


def write_doc(table):
    DOC.parent.mkdir(exist_ok=True)
    text = DOC.read_text() if DOC.exists() else "# Performance\n\n"
    block = f"{TABLE_START}\n{table}\n{TABLE_END}"
    if TABLE_START in text and TABLE_END in text:
        before, rest = text.split(TABLE_START, 1)
        after = rest.split(TABLE_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Latest run\n\n" + block + "\n"
    DOC.write_text(text)


# --- the run ---------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-soak", action="store_true", help="Skip the 60 s soak.")
    parser.add_argument("--no-doc", action="store_true", help="Do not touch docs/performance.md.")
    parser.add_argument("--no-explain", action="store_true", help="Skip the EXPLAIN plans.")
    options = parser.parse_args()

    ensure_wrk()
    ensure_postgres()
    ensure_redis()
    generation = prepare_database()
    generation["read_documents"] = build_read_documents()
    # Production serves hashed static files from the manifest; collect them as a deploy would.
    manage("collectstatic", "--no-input", "-v", "0", env={**production_env()})
    sample = pick_samples()
    random_paths = pick_random_paths() if RANDOM_DURATION or EDIT_DURATION else {}
    if not options.no_explain:
        # Query counts and plans of every path, before the load (bench/explain.py).
        explain = [sys.executable, str(ROOT / "bench" / "explain.py")]
        if not options.no_doc:
            explain.append("--write-doc")
        run(explain, env={**os.environ, "DATABASE_URL": database_url()}, cwd=ROOT)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / "gunicorn.log.tmp"
    with open(log_path, "w") as log_file:
        server = start_gunicorn(log_file)
        try:
            results = bench(server, sample, generation, soak=not options.no_soak)
            if EDIT_DURATION:
                results["editing"] = bench_editing(random_paths)
        finally:
            stop(server)
        if UNCACHED_DURATION or RANDOM_DURATION:
            flush_redis()  # no count kept from the cached pass
            server = start_gunicorn(log_file, cached=False)
            try:
                if UNCACHED_DURATION:
                    results["uncached"] = bench_uncached(sample)
                if RANDOM_DURATION:
                    flush_redis()  # random paths start with no count kept
                    results["live_random"] = bench_live_random(random_paths)
                    results["live_random"]["read_documents"] = generation["read_documents"]
            finally:
                stop(server)
            if RANDOM_DURATION:
                # The same paths with every answer built: what a read gets when its document
                # is missing (after a write that changed everything).
                server = start_gunicorn(log_file, cached=False, documents=False)
                try:
                    results["live_random"]["without_documents"] = [
                        measure_random(name, random_paths[name], RANDOM_DURATION)
                        for name in DOCUMENTED_KINDS
                        if random_paths.get(name)
                    ]
                finally:
                    stop(server)

    evaluate(results)
    table = markdown(results)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    out = RESULTS_DIR / f"{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not options.no_doc:
        write_doc(table)
    print(table)
    print(f"\nResults: {out.relative_to(ROOT)}")
    print("All targets met." if results["all_targets_met"] else "Some targets missed (✗).")


def stop(server):
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def bench_uncached(sample):
    """Every endpoint rendered on every request (no page stored, counts warm): a page miss."""
    log(f"Without the response cache: {CONNECTIONS} connections × {UNCACHED_DURATION} s")
    ceiling = measure("ceiling", "/bench/ceiling", "ceiling", duration=UNCACHED_DURATION)
    endpoints_measured = [
        measure(name, path, kind, duration=UNCACHED_DURATION)
        for name, path, kind in endpoints(sample)
    ]
    return {"duration_s": UNCACHED_DURATION, "ceiling": ceiling, "endpoints": endpoints_measured}


def bench(server, sample, generation, *, soak):
    log(f"Measuring with {CONNECTIONS} connections × {DURATION} s per endpoint")
    ceiling_before = measure("ceiling", "/bench/ceiling", "ceiling")
    measured = [measure(name, path, kind) for name, path, kind in endpoints(sample)]
    ceiling_after = measure("ceiling (again)", "/bench/ceiling", "ceiling")
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
        "config": {
            "films": FILMS,
            "seed": SEED,
            "workers": WORKERS,
            "connections": CONNECTIONS,
            "duration_s": DURATION,
        },
        "generation": generation,
        "sample": {key: value for key, value in sample.items() if not key.startswith("soak_")},
        "ceiling": {
            "rps": round((ceiling_before["rps"] + ceiling_after["rps"]) / 2, 1),
            "before": ceiling_before,
            "after": ceiling_after,
        },
        "endpoints": measured,
        "memory": {"after_endpoints": workers_memory(server.pid)},
    }
    if soak:
        paths = soak_paths(sample, measured)
        log(f"Soak: {SOAK_CONNECTIONS} connections × {SOAK_DURATION} s over {len(paths)} paths")
        before = workers_memory(server.pid)
        result = wrk(paths[0], connections=SOAK_CONNECTIONS, duration=SOAK_DURATION, mix=paths)
        after = workers_memory(server.pid)
        if [worker["pid"] for worker in before] != [worker["pid"] for worker in after]:
            result["errors"] += 1  # a worker died and was replaced: not a clean soak
            result["worker_restarted"] = True
        results["soak"] = {
            **result,
            "connections": SOAK_CONNECTIONS,
            "duration_s": SOAK_DURATION,
            "paths": len(paths),
            "memory_before": before,
            "memory_after": after,
        }
        log(
            f"  soak {result['rps']:.1f} req/s, p99 {result['p99_ms']} ms, "
            f"errors {result['errors']}"
        )
    return results


if __name__ == "__main__":
    main()
