"""Last-Modified on a visitor's reads, If-Modified-Since answering 304, and a weak ETag on the
streamed film export: from when the catalogue last changed, so never "not modified" for
something that changed."""

import datetime
import time
import uuid

import pytest
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from api.http import last_modified_date
from core import response_cache
from tests import factories as f

pytestmark = pytest.mark.usefixtures("catalogue")

TEARS = "/api/v1/films/moscow-does-not-believe-in-tears/"
EXPORT = "/api/v1/films/export.csv"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def clock(settings):
    """The response cache on (it keeps the clock), the catalogue last changed a minute ago
    and nothing scheduled; returns a function that sets the clock (seconds ago)."""
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM},
        response_cache.CACHE_ALIAS: {"BACKEND": LOCMEM, "LOCATION": uuid.uuid4().hex},
    }
    cache = caches[response_cache.CACHE_ALIAS]
    changed_at, next_scheduled = response_cache._clock_keys()

    def set_clock(seconds_ago, scheduled_seconds_ago=None):
        now = time.time()
        cache.set(changed_at, int((now - seconds_ago) * 1000), timeout=None)
        scheduled = 0 if scheduled_seconds_ago is None else now - scheduled_seconds_ago
        cache.set(next_scheduled, int(scheduled * 1000), timeout=None)

    set_clock(60)
    return set_clock


def since(response):
    return {"HTTP_IF_MODIFIED_SINCE": response["Last-Modified"]}


@pytest.mark.parametrize("url", [TEARS, "/api/v1/films/", "/api/v1/places/", EXPORT])
def test_a_visitors_read_says_when_the_catalogue_last_changed(api, clock, url):
    response = api.get(url)
    changed = parse_http_date(response["Last-Modified"])
    assert time.time() - 120 <= changed <= time.time() - 58
    assert api.get(url, **since(response)).status_code == 304


def test_a_change_since_answers_200_not_304(
    api, clock, catalogue, django_capture_on_commit_callbacks
):
    first = api.get(TEARS)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.tears.title = "Moscow Does Not Believe in Tears (1979)"
        catalogue.tears.save()
    again = api.get(TEARS, **since(first))
    assert again.status_code == 200
    assert again.json()["title"] == "Moscow Does Not Believe in Tears (1979)"


def test_a_scheduled_publication_that_went_live_counts_as_a_change(api, clock):
    # (The export is never served from the response cache, whose copies of other reads
    # expire at a scheduled publication by themselves.)
    first = api.get(EXPORT)
    clock(60, scheduled_seconds_ago=5)  # a list went live 5 seconds ago, with no write
    again = api.get(EXPORT, **since(first))
    assert again.status_code == 200
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_a_change_whose_second_is_not_over_gives_no_date_yet(api, clock):
    clock(-30)  # two writers racing may push the clock a little ahead
    assert "Last-Modified" not in api.get(TEARS)


def test_a_lost_clock_starts_again_now(api, clock):
    lost = time.time()
    caches[response_cache.CACHE_ALIAS].clear()
    response = api.get(TEARS)
    # "Changed now": no date until that second is over, and never one before the loss.
    assert "Last-Modified" not in response or parse_http_date(response["Last-Modified"]) >= lost


def test_dates_round_up_and_wait_for_their_second_to_end():
    at = datetime.datetime(2026, 1, 1, 12, 0, 10, 500_000, tzinfo=datetime.UTC)
    assert last_modified_date(at, at + datetime.timedelta(milliseconds=200)) is None
    later = at + datetime.timedelta(milliseconds=700)
    assert last_modified_date(at, later) == http_date(at.timestamp() + 0.5)


def test_editors_and_readers_without_a_response_cache_get_no_date(api, editor_api, clock, settings):
    assert "Last-Modified" not in editor_api.get(TEARS)
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}
    assert "Last-Modified" not in api.get(TEARS)


def test_the_streamed_film_export_has_a_weak_etag_that_a_change_replaces(
    api, clock, django_capture_on_commit_callbacks
):
    first = api.get(EXPORT, {"decade": 1970})
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert api.get(EXPORT, {"decade": 1970}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(EXPORT, {"decade": 1950})["ETag"] != etag
    with django_capture_on_commit_callbacks(execute=True):
        f.FilmFactory(title="Mimino", release_year=1977)
    again = api.get(EXPORT, {"decade": 1970}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert "Mimino" in b"".join(again.streaming_content).decode()


def test_the_film_export_has_no_etag_when_the_time_of_change_is_unknown(api, settings):
    assert "ETag" not in api.get(EXPORT)
    assert timezone.now()  # the export itself still streams
