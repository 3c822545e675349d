"""bench/run.py's verdicts and report: the performance targets applied to measured numbers."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(rps, p50=2.0, p95=4.0, p99=8.0, errors=0):
    return {"rps": rps, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "errors": errors}


def results(endpoints, rss=(80.0, 90.0), soak=None):
    worker = [{"pid": n, "rss_mb": mb, "pss_mb": mb / 2} for n, mb in enumerate(rss)]
    data = {
        "date": "2026-11-27T04:00:00+00:00",
        "machine": {"cpus": 2},
        "config": {"films": 100000, "workers": 4, "connections": 8, "duration_s": 20},
        "generation": {"reused": True},
        "ceiling": {"rps": 1000.0, "before": load(1000), "after": load(1000)},
        "endpoints": endpoints,
        "memory": {"after_endpoints": worker},
    }
    if soak:
        data["soak"] = soak
    return data


def endpoint(name, kind="page", **numbers):
    return {"name": name, "path": f"/{name}/", "kind": kind, **load(**numbers)}


def test_an_endpoint_at_40_percent_of_the_ceiling_with_low_latency_meets_its_targets(bench):
    data = bench.evaluate(results([endpoint("home", rps=400)]))

    assert data["endpoints"][0]["ratio"] == 0.4
    assert data["all_targets_met"]


def test_a_slow_endpoint_misses_the_ratio_and_p99_targets(bench):
    data = bench.evaluate(results([endpoint("list", rps=399, p99=50.0)]))

    targets = data["endpoints"][0]["targets"]
    assert targets == {"ratio": False, "p99": False, "errors": True}
    assert not data["all_targets_met"]


def test_search_has_its_own_p95_target(bench):
    data = bench.evaluate(results([endpoint("search", kind="search", rps=900, p95=25.0)]))

    assert data["endpoints"][0]["targets"]["search_p95"] is False


def test_a_worker_over_150_mb_misses_the_memory_target(bench):
    data = bench.evaluate(results([endpoint("home", rps=900)], rss=(100.0, 151.0)))

    assert data["memory"]["max_rss_mb"] == 151.0
    assert not data["all_targets_met"]


def test_a_soak_with_errors_or_growing_memory_fails(bench):
    before = [{"pid": 1, "rss_mb": 80.0}]
    growing = {"errors": 0, "memory_before": before, "memory_after": [{"pid": 1, "rss_mb": 95.0}]}
    erroring = {"errors": 3, "memory_before": before, "memory_after": before}

    assert not bench.evaluate(results([], soak=growing))["soak"]["target_met"]
    assert not bench.evaluate(results([], soak=erroring))["soak"]["target_met"]


def test_skipped_endpoints_are_listed_but_not_judged(bench):
    data = bench.evaluate(
        results([{"name": "API", "path": "/api/", "kind": "api", "skipped": "HTTP 404"}])
    )

    table = bench.markdown(data)

    assert "not measured (HTTP 404)" in table
    assert data["all_targets_met"]


def test_the_table_replaces_only_its_own_block_in_the_doc(bench, tmp_path, monkeypatch):
    doc = tmp_path / "performance.md"
    doc.write_text(
        f"# Perf\n\nprose\n\n{bench.TABLE_START}\nold\n{bench.TABLE_END}\n\nmore prose\n"
    )
    monkeypatch.setattr(bench, "DOC", doc)

    bench.write_doc("| new table |")

    text = doc.read_text()
    assert "| new table |" in text and "old" not in text
    assert text.startswith("# Perf\n\nprose") and text.endswith("more prose\n")


def live_kind(name, rps, **numbers):
    return {
        "name": name,
        "paths": 2000,
        "example": f"/{name}/",
        "load_average": [1.0, 1.0, 1.0],
        "requests": 100,
        **load(rps, **numbers),
    }


def test_kinds_without_read_documents_and_first_reads_are_reported_but_not_judged(bench):
    data = results([endpoint("home", rps=400)])
    data["live_random"] = {
        "duration_s": 15,
        "ceiling": {"rps": 1000.0, "before": load(1000), "after": load(1000)},
        "kinds": [
            live_kind("film pages", rps=180, p99=30.0),
            live_kind("API film details", rps=200, p99=20.0),
        ],
        "without_documents": [
            live_kind("film pages", rps=20, p99=900.0),
            live_kind("API film details", rps=30, p99=300.0),
        ],
        "first_reads": [{**live_kind("film pages", rps=25, p99=800.0), "errors": 1}],
        "read_documents": {"reused": False, "seconds": 700.0},
    }

    data = bench.evaluate(data)
    table = bench.markdown(data)

    for kind in data["live_random"]["kinds"]:
        assert kind["targets"] == {"ratio": True, "p99": True, "errors": True}
    assert data["all_targets_met"]
    assert "| film pages | 20 req/s (0.020), p50" in table
    assert "| API film details | 30 req/s (0.030), p50" in table and "| — |" in table
    assert "25 req/s (0.025)" in table and "1 errors" in table
    assert "700 s in en" in table
