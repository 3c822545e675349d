"""A database that stops answering costs a bounded wait: PostgreSQL gets connect_timeout and
statement_timeout from the settings, and a statement stuck behind a lock is cancelled. A page's
short queries run without parallel workers unless the settings allow them."""

import time

import psycopg2
import pytest
from django.db import OperationalError, connection, connections

from config.settings import with_timeouts

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own timeouts"
)


def test_postgresql_connections_get_both_timeouts_and_no_parallel_workers(settings):
    database = with_timeouts({"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}})

    assert database["OPTIONS"]["connect_timeout"] == 3
    assert database["OPTIONS"]["options"] == (
        "-c statement_timeout=30000 -c max_parallel_workers_per_gather=0"
    )


def test_sqlite_is_left_as_it_is():
    database = with_timeouts({"ENGINE": "django.db.backends.sqlite3"})

    assert "OPTIONS" not in database


@pytest.mark.parametrize(
    ("variable", "value", "option", "expected"),
    [
        ("DJANGO_DB_CONNECT_TIMEOUT", "5", "connect_timeout", 5),
        (
            "DJANGO_DB_STATEMENT_TIMEOUT_MS",
            "0",
            "options",
            "-c statement_timeout=0 -c max_parallel_workers_per_gather=0",
        ),
        (
            "DJANGO_DB_PARALLEL_WORKERS",
            "2",
            "options",
            "-c statement_timeout=30000 -c max_parallel_workers_per_gather=2",
        ),
    ],
)
def test_the_timeouts_come_from_the_environment(monkeypatch, variable, value, option, expected):
    import importlib

    import config.settings

    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinoteka_settings")
    try:
        reloaded = importlib.reload(config.settings)
        assert reloaded.DATABASES["default"]["OPTIONS"][option] == expected
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


@POSTGRES_ONLY
@pytest.mark.django_db
def test_the_statement_timeout_and_parallel_workers_reach_the_server():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_statement_blocked_by_a_lock_is_cancelled_at_its_timeout():
    """Another session holds an exclusive lock on the films table, as a stuck migration or a
    runaway transaction would; a read waits only as long as statement_timeout."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    holder = psycopg2.connect(**params)
    blocked = connections.create_connection("default")
    blocked.settings_dict = {
        **blocked.settings_dict,
        "OPTIONS": {**blocked.settings_dict["OPTIONS"], "options": "-c statement_timeout=300"},
    }
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE catalogue_film IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            with blocked.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM catalogue_film")
        seconds = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
        blocked.close()

    assert 0.3 <= seconds < 1.5
