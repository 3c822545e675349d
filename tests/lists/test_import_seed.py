"""The seed lists can be rebuilt by the importer from the seed documents, entry for entry."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from catalogue.models import Film, Source
from lists.importing import ListImportError, import_list
from lists.importing.matching import MatchOutcome
from lists.importing.services import ImportStatus
from lists.models import CuratedList

pytestmark = pytest.mark.django_db

SEED_DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
LIST_DOCUMENTS = [
    "10-extraordinary-movies-set-in-moscow.txt",
    "soviet-films-about-love.txt",
    "soviet-films-about-classical-music.txt",
]


@pytest.fixture(scope="module")
def seed_catalogue(django_db_setup, django_db_blocker):
    """The seed, loaded once for the module (it takes seconds) in a transaction rolled back at
    its end; each test's own changes are rolled back after it as usual."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def read(name):
    return (SEED_DOCUMENTS / name).read_bytes()


def seed_list_of(name):
    return CuratedList.objects.get(source__filename=name)


def entries_of(curated_list):
    return [
        (entry.position, entry.film.slug, entry.blurb, entry.fact)
        for entry in curated_list.entries.select_related("film").order_by("position")
    ]


@pytest.mark.parametrize("name", LIST_DOCUMENTS)
def test_dry_run_of_a_seed_document_matches_its_seed_list_entry_for_entry(seed_catalogue, name):
    seed_list = seed_list_of(name)

    report = import_list(read(name), filename=name, dry_run=True)

    assert report.status == ImportStatus.ALREADY_IMPORTED
    assert report.curated_list == seed_list
    assert [entry.outcome for entry in report.entries] == [MatchOutcome.MATCHED] * 10
    parsed = [(e.position, e.matched_film.slug, e.blurb, e.fact) for e in report.entries]
    assert parsed == entries_of(seed_list)


@pytest.mark.parametrize("name", LIST_DOCUMENTS)
def test_replace_rebuilds_a_seed_list_identically(seed_catalogue, name):
    seed_list = seed_list_of(name)
    expected = entries_of(seed_list)
    seed_list.entries.all().delete()
    films_before = Film.objects.count()

    report = import_list(read(name), filename=name, replace=True)

    assert report.status == ImportStatus.REPLACED
    assert report.curated_list == seed_list
    assert entries_of(seed_list) == expected
    assert Film.objects.count() == films_before


@pytest.mark.parametrize("name", LIST_DOCUMENTS)
def test_a_catalogue_with_films_but_no_lists_gets_the_seed_list_back(seed_catalogue, name):
    seed_list = seed_list_of(name)
    expected = entries_of(seed_list)
    expected_intro = seed_list.introduction
    CuratedList.objects.all().delete()  # entries go with their lists; films and sources stay

    report = import_list(read(name), filename=name)

    assert report.status == ImportStatus.CREATED
    assert report.curated_list.source == Source.objects.get(filename=name)
    assert report.curated_list.status == CuratedList.Status.DRAFT
    assert entries_of(report.curated_list) == expected
    assert report.curated_list.introduction == expected_intro


def test_the_encyclopedia_article_is_refused_as_not_a_list():
    with pytest.raises(ListImportError, match="No list entries found"):
        import_list(read("moscow-does-not-believe-in-tears-encyclopedia.txt"))
