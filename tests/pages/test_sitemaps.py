"""The sitemap is an index of small files: no request lists the whole catalogue, the index
reads no rows, and visitors get both from the response cache."""

import re

import pytest
from django.urls import reverse

from core import response_cache
from ops import query_budgets as budget
from pages.sitemaps import SITEMAP_PAGE_SIZE, FilmSitemap
from tests.factories import CuratedListFactory, DraftListFactory, FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


def locations(response):
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


@pytest.fixture
def small_pages(monkeypatch):
    """Two films a file, so a few films make several pages."""
    monkeypatch.setattr(FilmSitemap, "limit", 2)


def test_the_index_names_each_section_file(client):
    FilmFactory()
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert "<sitemapindex" in response.content.decode()
    assert locations(response) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-lists.xml",
        "http://testserver/sitemap-films.xml",
        "http://testserver/sitemap-people.xml",
    ]


def test_a_section_larger_than_a_file_is_split_into_pages(client, small_pages):
    films = FilmFactory.create_batch(3)  # 6 addresses: each film in English and Russian

    index = locations(client.get("/sitemap.xml"))
    assert [url for url in index if "films" in url] == [
        "http://testserver/sitemap-films.xml",
        "http://testserver/sitemap-films.xml?p=2",
        "http://testserver/sitemap-films.xml?p=3",
    ]
    second = locations(client.get("/sitemap-films.xml", {"p": 2}))
    assert second == [
        f"http://testserver/films/{films[1].slug}/",
        f"http://testserver/ru/films/{films[1].slug}/",
    ]
    assert client.get("/sitemap-films.xml", {"p": 4}).status_code == 404


def test_each_address_is_listed_in_both_languages_with_its_alternates(client):
    film = FilmFactory(slug="stalker")

    xml = client.get("/sitemap-films.xml").content.decode()

    assert locations(client.get("/sitemap-films.xml")) == [
        "http://testserver/films/stalker/",
        "http://testserver/ru/films/stalker/",
    ]
    alternates = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', xml)
    assert alternates == 2 * [
        ("en", "http://testserver/films/stalker/"),
        ("ru", "http://testserver/ru/films/stalker/"),
        ("x-default", "http://testserver/films/stalker/"),
    ]
    assert film.slug in xml


def test_the_pages_file_lists_both_languages(client):
    pages = locations(client.get("/sitemap-pages.xml"))
    assert "http://testserver/" in pages
    assert "http://testserver/ru/" in pages
    assert "http://testserver/ru/films/" in pages


def test_files_hold_at_most_two_thousand_addresses():
    assert SITEMAP_PAGE_SIZE == 2000


def test_the_lists_file_names_published_lists_but_not_drafts(client):
    published = CuratedListFactory()
    draft = DraftListFactory()

    xml = client.get("/sitemap-lists.xml").content.decode()

    assert published.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


def test_an_unknown_section_is_a_404(client):
    assert client.get("/sitemap-drafts.xml").status_code == 404


@pytest.mark.parametrize("size", [1, 12])
def test_the_index_reads_no_rows(client, django_assert_num_queries, size, small_pages):
    FilmFactory.create_batch(size)
    PersonFactory.create_batch(size)
    CuratedListFactory.create_batch(size)

    with django_assert_num_queries(budget.SITEMAP_INDEX):
        assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_a_sitemap_file_costs_the_same_whatever_its_size(client, django_assert_num_queries, size):
    FilmFactory.create_batch(size)

    with django_assert_num_queries(budget.SITEMAP_SECTION):
        response = client.get(reverse("sitemap-section", args=["films"]))
    assert len(locations(response)) == 2 * size  # each film in both languages


@pytest.mark.django_db(transaction=True)  # invalidation waits for the commit
def test_visitors_get_the_sitemap_from_the_response_cache(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        response_cache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sitemap-test",
        },
    }
    FilmFactory()
    for path in ("/sitemap.xml", "/sitemap-films.xml"):
        client.get(path)
        assert client.get(path)[response_cache.HIT_HEADER] == "hit", path

    FilmFactory()  # a write makes every cached copy stale
    assert client.get("/sitemap-films.xml")[response_cache.HIT_HEADER] == "miss"
