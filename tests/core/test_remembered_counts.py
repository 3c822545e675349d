"""Counts kept until the catalogue changes: the browse page's facets and film count, and the
API's `count`, come from the response cache for the next reader of the same query, also when
whole pages are not stored (KINOTEKA_RESPONSE_CACHE_PAGES=false), and any write makes them
stale. Each test runs on an in-process cache and on the real Redis (`cached`)."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.models import Film, Genre
from core import response_cache
from core.response_cache import remembered_rows
from ops import query_budgets as budget
from tests.factories import (
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    GenreFactory,
)

# Kept results are made stale when a write commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

BROWSE = reverse("catalogue:film-browse")
API_FILMS = "/api/v1/films/"


@pytest.fixture
def counts_only(cached, settings):
    """The response cache on, storing no whole page: every page is rendered, and counted by
    SQL (the film index, which counts without a query, is tested in tests/discovery)."""
    settings.RESPONSE_CACHE_PAGES = False
    settings.FILM_INDEX = "off"
    return cached


@pytest.fixture
def dramas():
    drama, comedy = GenreFactory(name="Drama", slug="drama"), GenreFactory(name="Comedy")
    for year in (1957, 1979):
        FilmFactory(release_year=year).genres.add(drama)
    FilmFactory(release_year=1975).genres.add(comedy)
    return drama


def facet_options(response, name):
    assert response.status_code == 200
    select = re.search(rf'<select id="id_{name}".*?</select>', response.content.decode(), re.S)
    return re.findall(r">([^<>]+ \(\d+\))</option>", select.group(0))


def genre_options(response):
    return facet_options(response, "genre")


def list_options(response):
    return facet_options(response, "list")


def film_count(response):
    return re.search(r'id="results-heading">(\d+) films?<', response.content.decode()).group(1)


def test_the_next_reader_of_a_browse_page_gets_its_counts_without_counting(
    client, counts_only, dramas, django_assert_num_queries
):
    first = client.get(BROWSE, {"genre": "drama"})

    # The drama looked up by name, then the page of films, their directors and countries:
    # neither the film count nor the nine facets are counted again.
    with django_assert_num_queries(budget.BROWSE - 1 + budget.BROWSE_NAMED_FILTER):
        again = client.get(BROWSE, {"genre": "drama"})

    assert response_cache.HIT_HEADER not in again  # rendered, not a stored page
    assert genre_options(again) == genre_options(first) == ["Comedy (1)", "Drama (2)"]
    assert film_count(again) == film_count(first) == "2"


def test_a_write_makes_the_kept_counts_stale_at_once(client, counts_only, dramas):
    client.get(BROWSE, {"genre": "drama"})

    FilmFactory(release_year=1990).genres.add(dramas)
    response = client.get(BROWSE, {"genre": "drama"})

    assert genre_options(response) == ["Comedy (1)", "Drama (3)"]
    assert film_count(response) == "3"


def test_an_editor_counts_drafts_and_a_visitor_then_still_does_not(
    client, editor_client, counts_only, dramas
):
    FilmFactory(is_published=False).genres.add(dramas)
    client.get(BROWSE)  # a visitor's counts, kept

    assert "Drama (3)" in genre_options(editor_client.get(BROWSE))
    assert "Drama (2)" in genre_options(client.get(BROWSE))


def test_the_api_count_is_kept_until_a_write(counts_only, dramas, django_assert_num_queries):
    api = APIClient()
    assert api.get(API_FILMS, {"genre": "drama"}).json()["count"] == 2

    with django_assert_num_queries(budget.API_FILM_LIST - 1):
        assert api.get(API_FILMS, {"genre": "drama"}).json()["count"] == 2

    FilmFactory().genres.add(dramas)
    assert api.get(API_FILMS, {"genre": "drama"}).json()["count"] == 3


def test_an_api_walk_by_cursor_keeps_its_count_too(counts_only, dramas, django_assert_num_queries):
    api = APIClient()
    assert api.get(API_FILMS, {"genre": "drama", "cursor": ""}).json()["count"] == 2

    with django_assert_num_queries(budget.API_FILM_LIST - 1):
        assert api.get(API_FILMS, {"genre": "drama", "cursor": ""}).json()["count"] == 2

    FilmFactory().genres.add(dramas)
    assert api.get(API_FILMS, {"genre": "drama", "cursor": ""}).json()["count"] == 3


def test_counts_are_counted_live_while_the_cache_is_unreachable(
    client, counts_only, dramas, monkeypatch
):
    client.get(BROWSE, {"genre": "drama"})

    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(counts_only, "get_many", unreachable)  # no kept count can be read
    FilmFactory().genres.add(dramas)

    assert genre_options(client.get(BROWSE, {"genre": "drama"})) == ["Comedy (1)", "Drama (3)"]


def test_kept_counts_end_when_a_scheduled_list_goes_live(client, counts_only, dramas):
    goes_live = timezone.now() + timedelta(seconds=3)
    scheduled = CuratedListFactory(title="Autumn", slug="autumn", published_at=goes_live)
    CuratedListEntryFactory(curated_list=scheduled, film=Film.objects.first(), position=1)
    counted = client.get(BROWSE)  # kept, without Autumn, if counted before it goes live
    if timezone.now() < goes_live:
        assert "Autumn (1)" not in list_options(counted)

    sleep_until(goes_live)

    assert "Autumn (1)" in list_options(client.get(BROWSE))


@pytest.mark.parametrize("app_clock_ahead", [5, -5])
def test_kept_counts_end_when_the_database_shows_the_list_whatever_the_app_clock_says(
    client, counts_only, dramas, monkeypatch, app_clock_ahead
):
    """The database's clock decides when a list is live; an app host whose clock is off by
    seconds must neither keep counts without the list past that moment nor show it early."""
    skew = timedelta(seconds=app_clock_ahead)
    real_now, real_time_ns = timezone.now, time.time_ns
    goes_live = real_now() + timedelta(seconds=3)  # on the database's (the real) clock
    scheduled = CuratedListFactory(title="Autumn", slug="autumn", published_at=goes_live)
    CuratedListEntryFactory(curated_list=scheduled, film=Film.objects.first(), position=1)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + skew)
    monkeypatch.setattr(time, "time_ns", lambda: real_time_ns() + int(skew.total_seconds() * 1e9))

    counted = client.get(BROWSE)
    if real_now() < goes_live:
        assert "Autumn (1)" not in list_options(counted)

    sleep_until(goes_live)

    assert "Autumn (1)" in list_options(client.get(BROWSE))


def sleep_until(moment):
    """Real time (the database's clock), whatever a test made the app's clock say."""
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.2)


def test_rows_of_one_sql_made_into_dicts_or_tuples_are_kept_apart(counts_only, dramas):
    genres = Genre.objects.order_by("pk")
    as_dicts = remembered_rows(genres.values("pk"))
    as_tuples = remembered_rows(genres.values_list("pk"))

    assert as_dicts == [{"pk": pk} for pk in genres.values_list("pk", flat=True)]
    assert as_tuples == [(pk,) for pk in genres.values_list("pk", flat=True)]


def test_model_rows_are_not_kept(counts_only):
    with pytest.raises(ValueError):
        remembered_rows(Genre.objects.all())
