"""schemathesis against the API of a running server, as a client on the network sees it.

`manage.py runserver` (a process of its own, on a free port) serves a database of its own,
migrated and seeded; schemathesis' CLI reads the schema the server publishes and fuzzes
every operation in it, whatever the API holds today, with every check. The in-process
fuzzing in test_api_schema.py goes deeper; this run proves the real stack over HTTP:
middleware, the WSGI server, connections opened and closed per request, the throttle off.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import dj_database_url
import psycopg2
import pytest

from tests.faults import free_port

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Per operation, per phase: enough to reach every operation with valid and invalid input
# while the whole module stays within a few minutes on CI's two cores (it runs once in CI,
# in the PostgreSQL pass: .ci/run).
EXAMPLES_PER_OPERATION = 3
EDITOR_PASSWORD = "live-fuzz-pass-1234"


class OwnDatabase:
    """A database for the server alone: an SQLite file, or a PostgreSQL database created
    next to the one the tests use (DATABASE_URL) and dropped afterwards."""

    def __init__(self, folder):
        configured = os.environ.get("DATABASE_URL", "")
        self.postgres = configured.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            self.settings = dj_database_url.parse(configured)
            self.name = f"{self.settings['NAME']}_live_{uuid.uuid4().hex[:8]}"
            self.url = configured.rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.url = f"sqlite:///{folder / 'live.sqlite3'}"

    def _admin(self, statement):
        connection = psycopg2.connect(
            dbname="postgres",
            user=self.settings["USER"],
            password=self.settings["PASSWORD"],
            host=self.settings["HOST"],
            port=self.settings["PORT"] or 5432,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    def create(self):
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def manage(environment, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)}:\n{result.stderr}"
    return result.stdout


def wait_until_serving(url, server, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped:\n" + log.read_text()
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # waiting for the server to listen, not for the test
    raise AssertionError("the server did not answer /healthz within two minutes")


@pytest.fixture(scope="module")
def running_server(tmp_path_factory):
    if not SCHEMATHESIS.exists():
        pytest.fail(f"schemathesis is not installed next to {sys.executable}")
    folder = tmp_path_factory.mktemp("live-server")
    log = folder / "server.log"
    database = OwnDatabase(folder)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_REPLICA_URL")
    } | {
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_API_THROTTLE_ANON": "off",
        "DJANGO_THROTTLE_CACHE_DIR": str(folder / "throttle"),
        "FUZZ_EDITOR_PASSWORD": EDITOR_PASSWORD,
    }
    database.create()
    server = None
    try:
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "seed", "-v0")
        manage(environment, "create_editor", "fuzz", "--password-from-env", "FUZZ_EDITOR_PASSWORD")
        token = manage(environment, "issue_api_token", "fuzz").strip()
        port = free_port()
        # A file, not a pipe: nobody reads a pipe during the fuzz, and a full one would
        # stall the server's logging.
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{port}",
                    "--noreload",
                    "--skip-checks",
                ],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, server, log)
        yield SimpleNamespace(url=url, token=token, process=server, log=log)
    finally:
        if server is not None:
            stop(server)
        database.drop()


def stop(server):
    """SIGINT first so the server ends its own way; if it lingers, it is killed: the
    log on disk is complete either way."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def schemathesis(server, *options, report):
    """schemathesis run against the server's published schema; its exit status and output."""
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{server.url}/api/v1/schema/?format=json",
            "--checks",
            "all",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            str(EXAMPLES_PER_OPERATION),
            "--generation-deterministic",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
            *options,
        ],
        cwd=report.parent,  # its crash cache goes there, not into the project
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.returncode, result.stdout + result.stderr


def test_every_operation_fuzzed_anonymously_passes_every_check(running_server, tmp_path):
    """Every read, as a visitor; a visitor's writes only ever get a 401 (the permission
    matrix proves it), so they are fuzzed by the editor's pass below."""
    status, output = schemathesis(
        running_server,
        "--include-method",
        "GET",
        report=tmp_path / "anonymous.xml",
    )

    assert status == 0, output[-6000:]
    assert "server error" not in output.lower()


def test_every_write_fuzzed_by_an_editor_passes_every_check(running_server, tmp_path):
    """As the in-process fuzzing: a schema-valid write may still break a rule the schema
    cannot state (a slug already taken), so only "every valid write is accepted" is left out."""
    status, output = schemathesis(
        running_server,
        "--header",
        f"Authorization: Token {running_server.token}",
        "--include-method",
        "POST",
        "--include-method",
        "PUT",
        "--include-method",
        "PATCH",
        "--exclude-checks",
        "positive_data_acceptance",
        report=tmp_path / "editor.xml",
    )

    assert status == 0, output[-6000:]


def test_the_server_logged_no_internal_error(running_server):
    """Last in the module: whatever the checks thought, Django logged no 500 at all."""
    stop(running_server.process)

    assert "Internal Server Error" not in running_server.log.read_text()
