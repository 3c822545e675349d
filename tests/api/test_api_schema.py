"""The OpenAPI schema: valid, warning-free, and true to the API (schemathesis fuzzing)."""

import os
import time

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from discovery.filters import FilmFilter

SCHEMA_URL = "/api/v1/schema/"
MIN_GENERATED_CASES = 500


def test_spectacular_validates_the_schema_without_warnings(tmp_path):
    # --fail-on-warn turns any schema warning (an undocumented filter type...) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def test_schema_documents_every_film_filter_with_its_type(client):
    schema = client.get(SCHEMA_URL, HTTP_ACCEPT="application/json").json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/films/"]["get"]["parameters"]
    }
    assert parameters["year"]["type"] == "integer"
    assert parameters["decade"]["enum"][:2] == [1890, 1900]
    assert parameters["award_outcome"]["enum"] == ["nominated", "won"]
    assert parameters["country"]["type"] == "string"
    assert parameters["page_size"]["maximum"] == 100
    for name in [
        "q",
        "year_min",
        "year_max",
        "genre",
        "studio",
        "person",
        "role",
        "director",
        "actor",
        "award_organisation",
        "award_year",
        "list",
        "setting",
        "filming_location",
        "verification",
        "imdb_id",
        "ordering",
        "page",
    ]:
        assert parameters[name]["type"], name


@pytest.fixture
def openapi(client):
    return client.get(SCHEMA_URL, HTTP_ACCEPT="application/json").json()


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_parameter_has_a_description_and_an_example(openapi):
    missing = [
        (path, method, parameter["name"])
        for path, method, operation in operations(openapi)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description") or "example" not in parameter
    ]
    assert missing == []


def test_filter_labels_survive_a_filter_with_its_own_schema(openapi):
    parameters = {p["name"]: p for p in openapi["paths"]["/api/v1/films/"]["get"]["parameters"]}
    for name in ["setting", "year", "q", "director"]:
        label = FilmFilter.base_filters[name].label
        assert label and parameters[name]["description"].startswith(label), name


def test_every_error_response_is_the_shared_error_component(openapi):
    for path, method, operation in operations(openapi):
        for code, response in operation["responses"].items():
            if code[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, code)
    assert openapi["components"]["schemas"]["ErrorItem"]["required"] == ["code", "detail", "attr"]


def test_reads_declare_etag_304_and_paging_links_and_429_retry_after(openapi):
    films = openapi["paths"]["/api/v1/films/"]["get"]["responses"]
    assert {"ETag", "Link"} <= set(films["200"]["headers"])
    assert "304" in films
    assert "Retry-After" in films["429"]["headers"]
    patch = openapi["paths"]["/api/v1/films/{slug}/"]["patch"]["responses"]
    assert "412" in patch


def test_operation_ids_are_names_a_generated_client_can_use(openapi):
    ids = {operation["operationId"] for _, _, operation in operations(openapi)}
    assert {"films_export_csv", "lists_export_csv", "search"} <= ids
    assert all(op.isidentifier() for op in ids)


def test_no_placeholder_host_in_the_examples(client):
    assert b"example.org" not in client.get(SCHEMA_URL).content


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_are_served_with_local_assets(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content


# --- schemathesis: generated requests against the live schema, every check -------------------

schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
# Deterministic (derandomized) so CI is reproducible; positive and negative cases both.
# The coverage phase (every boundary of every parameter) adds ~3,000 cases and minutes:
# KINOTEKA_API_FUZZ_FULL=1 runs it too.
schema.config.generation.update(max_examples=40, deterministic=True)
PHASES = ["examples", "fuzzing"]
if os.environ.get("KINOTEKA_API_FUZZ_FULL") == "1":
    PHASES.append("coverage")
schema.config.phases.update(phases=PHASES)

# Counted across this module's tests, which run in order in one process: pytest-xdist's
# `--dist loadfile` (make test) keeps a module on one worker.
GENERATED = {"cases": 0, "seconds": 0.0}


@pytest.fixture
def one_db_connection():
    """Keep the test's connection open across the WSGI requests, as Django's test client does.

    The WSGI handler closes "old" connections when a request starts and ends; on PostgreSQL
    that would close the connection holding the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None},
    }


@pytest.mark.usefixtures("catalogue", "unthrottled", "one_db_connection")
@schema.parametrize()
def test_api_conforms_to_its_schema(case):
    started = time.monotonic()
    case.call_and_validate()
    GENERATED["cases"] += 1
    GENERATED["seconds"] += time.monotonic() - started


# --- schemathesis as an editor: generated writes never crash, nothing half-written ----------

write_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application).include(
    method=["POST", "PUT", "PATCH"]
)
write_schema.config.generation.update(max_examples=15, deterministic=True)
write_schema.config.phases.update(phases=["examples", "fuzzing"])


EDITOR = {}


@pytest.fixture
def editor_token(editor):
    """An editor's API token, in EDITOR (hypothesis tests take no function-scoped arguments)."""
    from core.tokens import issue_token

    EDITOR["token"] = issue_token(editor)[1]
    yield
    EDITOR.clear()


@pytest.mark.usefixtures("catalogue", "unthrottled", "one_db_connection", "editor_token")
@write_schema.parametrize()
def test_editor_writes_conform_to_the_schema(case):
    # A schema-valid payload may still break a rule the schema cannot state (a release date
    # outside the release year, a slug already taken): a 400 there is right, so the check that
    # every schema-valid request is accepted is left out. Every other check applies.
    started = time.monotonic()
    case.call_and_validate(
        headers={"Authorization": f"Token {EDITOR['token']}"},
        excluded_checks=[positive_data_acceptance],
    )
    GENERATED["cases"] += 1
    GENERATED["seconds"] += time.monotonic() - started


def test_schemathesis_generated_enough_cases():
    print(f"schemathesis: {GENERATED['cases']} cases in {GENERATED['seconds']:.1f}s")
    assert GENERATED["cases"] >= MIN_GENERATED_CASES


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/api/v1/docs/", "#swagger-ui .information-container"),
        ("/api/v1/redoc/", "h1:has-text('Kinoteka API')"),
    ],
)
def test_docs_render_in_a_browser_under_the_content_security_policy(
    page, live_server, path, rendered
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + path)
    page.wait_for_selector(rendered)
    assert "Kinoteka API" in page.content()
    # Only the CDN fonts and logo ReDoc's template names may be refused: the docs work offline.
    refused = [error for error in errors if "Content Security Policy" in error]
    assert not [error for error in refused if "'https://" not in error], refused
