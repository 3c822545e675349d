"""manage.py export_catalogue: the public catalogue as gzipped JSON Lines, one file a table."""

import gzip
import json

import pytest
from django.core.management import call_command

from catalogue.models import CreditRole
from tests import factories as f


def read_table(directory, name):
    with gzip.open(directory / f"{name}.jsonl.gz", "rt", encoding="utf-8") as rows:
        return [json.loads(line) for line in rows]


@pytest.fixture
def dump(db, tmp_path):
    country = f.CountryFactory(code="SU", slug="soviet-union")
    film = f.FilmFactory(title="Stalker", slug="stalker", release_year=1979)
    film.countries.add(country)
    f.CreditFactory(film=film, person=f.PersonFactory(slug="tarkovsky"), role=CreditRole.DIRECTOR)
    published = f.CuratedListFactory(slug="public")
    f.CuratedListEntryFactory(curated_list=published, film=film, position=1, blurb="Zone.")
    draft = f.DraftListFactory(slug="secret")
    f.CuratedListEntryFactory(curated_list=draft, film=film, position=1)
    stub = f.FilmFactory(title="Solaris", slug="solaris", is_published=False)
    stub.countries.add(country)
    f.CreditFactory(film=stub, person=f.PersonFactory(slug="banionis"), role=CreditRole.ACTOR)
    f.FactFactory(film=stub, text="Imported, not yet checked.")
    f.CuratedListEntryFactory(curated_list=published, film=stub, position=2, blurb="Ocean.")
    call_command("export_catalogue", str(tmp_path / "dump"))
    return tmp_path / "dump"


def test_every_table_is_a_gzipped_json_lines_file_with_its_rows(dump):
    films = read_table(dump, "films")
    assert [(row["slug"], row["release_year"]) for row in films] == [("stalker", 1979)]
    assert "search_text" not in films[0]
    assert [row["role"] for row in read_table(dump, "credits")] == ["director"]
    assert read_table(dump, "film_countries")[0]["film_id"] == films[0]["id"]


def test_drafts_are_not_dumped(dump):
    assert [row["slug"] for row in read_table(dump, "lists")] == ["public"]
    assert [row["blurb"] for row in read_table(dump, "list_entries")] == ["Zone."]


def test_the_manifest_counts_each_tables_rows(dump):
    manifest = json.loads((dump / "manifest.json").read_text())
    assert manifest["tables"]["films"] == 1
    assert manifest["tables"]["lists"] == 1
    assert manifest["generated_at"]


def test_people_known_only_through_unpublished_films_are_not_dumped(dump):
    # Banionis acts only in the unpublished Solaris.
    assert [row["slug"] for row in read_table(dump, "people")] == ["tarkovsky"]


def test_unpublished_films_and_the_rows_about_them_are_not_dumped(dump):
    assert [row["slug"] for row in read_table(dump, "films")] == ["stalker"]
    assert [row["role"] for row in read_table(dump, "credits")] == ["director"]
    assert read_table(dump, "facts") == []
    assert len(read_table(dump, "film_countries")) == 1
    assert [row["blurb"] for row in read_table(dump, "list_entries")] == ["Zone."]
