"""The history pages of lists and films cost the same number of queries whatever the number
of versions, entries or changes (budgets in ops/query_budgets.py)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Film
from lists.models import CuratedList
from lists.services import reorder_entries
from ops import query_budgets as budget
from tests.factories import CuratedListEntryFactory, CuratedListFactory, FilmFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types) before measuring
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def list_with_versions(size):
    """A list of `size` entries with `size` versions, each moving its last film to the top."""
    curated_list = CuratedListFactory()
    for position in range(1, size + 1):
        CuratedListEntryFactory(curated_list=curated_list, position=position)
    for _ in range(size):
        *others, last = curated_list.entries.order_by("position").values_list("pk", flat=True)
        reorder_entries(curated_list, [last, *others])
    return curated_list


def film_with_versions(size):
    film = FilmFactory()
    for version in range(size):
        film.title = f"Title {version}"
        film.runtime_minutes = 90 + version
        film.save()
    return film


def history_urls(obj):
    info = obj._meta.app_label, obj._meta.model_name
    version = obj.history.earliest().history_id
    return (
        reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, version]),
    )


@pytest.fixture
def short_history_pages(monkeypatch):
    """Five versions a page, so that many versions make several pages."""
    for model in (CuratedList, Film):
        monkeypatch.setattr(admin.site._registry[model], "history_list_per_page", 5)


@pytest.mark.usefixtures("short_history_pages")
@pytest.mark.parametrize(
    ("make", "version_budget"),
    [
        (list_with_versions, budget.ADMIN_LIST_VERSION_PAGE),
        (film_with_versions, budget.ADMIN_FILM_VERSION_PAGE),
    ],
)
def test_history_pages_cost_the_same_for_one_version_and_many(editor_client, make, version_budget):
    one_history, one_version = history_urls(make(1))
    many_history, many_version = history_urls(make(12))

    assert count_queries(editor_client, one_history) <= budget.ADMIN_HISTORY_PAGE
    assert count_queries(editor_client, many_history) == budget.ADMIN_HISTORY_PAGE
    assert count_queries(editor_client, many_history + "?p=2") == budget.ADMIN_HISTORY_PAGE
    assert count_queries(editor_client, one_version) == version_budget
    assert count_queries(editor_client, many_version) == version_budget


def test_a_pages_oldest_version_is_described_against_the_next_page(
    editor_client, short_history_pages
):
    curated_list = list_with_versions(7)
    page = editor_client.get(history_urls(curated_list)[0])
    assert page.text.count("moved ") == 5
