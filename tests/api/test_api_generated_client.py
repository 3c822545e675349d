"""A client generated from the schema by openapi-python-client works against the live server:
the schema is precise enough for a typed client (named operations, one error model)."""

import importlib
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories as f

CONFIG = "post_hooks: []\npackage_name_override: kinoteka_client\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from the schema the project serves."""
    from django.core.management import call_command

    directory = tmp_path_factory.mktemp("client")
    schema, config = directory / "schema.yml", directory / "config.yml"
    call_command("spectacular", "--file", str(schema))
    config.write_text(CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [generator, "generate", "--path", schema, "--config", config, "--meta", "none"],
        cwd=directory,
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(directory))
    yield directory
    sys.path.remove(str(directory))
    for name in [name for name in sys.modules if name.startswith("kinoteka_client")]:
        del sys.modules[name]


def module(name):
    return importlib.import_module(f"kinoteka_client.{name}")


@pytest.fixture
def client(generated, live_server):
    return module("client").Client(base_url=live_server.url, raise_on_unexpected_status=True)


@pytest.fixture
def films(transactional_db):
    su = f.CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    stalker = f.FilmFactory(title="Stalker", slug="stalker", release_year=1979, imdb_id="tt0079944")
    stalker.countries.add(su)
    f.FilmFactory(title="Solaris", slug="solaris", release_year=1972)
    f.FilmFactory(title="Mirror", slug="mirror", release_year=1975)
    return stalker


def test_the_generated_client_lists_films_in_the_order_asked(client, films):
    ordering = module("models.films_list_ordering_item").FilmsListOrderingItem
    page = module("api.films.films_list").sync(
        client=client, ordering=[ordering("-year"), ordering("title")]
    )
    assert [film.slug for film in page.results] == ["stalker", "mirror", "solaris"]
    assert page.results[0].countries[0].code == "SU"


def test_the_generated_client_reads_a_detail_with_typed_nulls(client, films):
    film = module("api.films.films_retrieve").sync(client=client, slug="solaris")
    assert film.title == "Solaris"
    assert film.imdb_id is None and film.tmdb_id is None


def test_the_generated_client_gets_the_one_error_model(client, films):
    response = module("api.people.people_retrieve").sync_detailed(client=client, slug="nobody")
    assert response.status_code == 404
    error = response.parsed
    assert type(error).__name__ == "Error"
    assert [(item.code, item.detail) for item in error.errors] == [("not_found", "Not found.")]


def test_the_generated_client_searches_and_follows_changes(client, films):
    since = timezone.now()
    results = module("api.search.search").sync(client=client, q="stalker")
    assert [film.slug for film in results.films] == ["stalker"]
    f.FilmFactory(title="Nostalghia", slug="nostalghia")
    changes = module("api.changes.changes_list").sync(client=client, since=since)
    assert [(c.kind, c.action) for c in changes.results] == [("film", "created")]
    assert isinstance(changes.results[0].changed_at, datetime)
