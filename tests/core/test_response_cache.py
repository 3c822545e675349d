"""The response cache: visitors' pages and API reads come from Redis while nothing
changed, and any edit of what they show makes them stale. Every test runs on an in-process
cache and on the real Redis (REDIS_URL, or 127.0.0.1:6379); CI requires the Redis run
(KINOTEKA_REQUIRE_REDIS=1)."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as settings_module
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.models import Film
from core import response_cache
from lists.services import reorder_entries
from ops import query_budgets as budget
from tests.core.cache_backends import LOCMEM, redis_cache_settings
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    GenreFactory,
    PersonFactory,
)
from tests.helpers import cache_state

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
# Invalidation happens when a write commits: these tests commit for real.
commits = pytest.mark.django_db(transaction=True)


def nonce_in(response):
    match = re.search(rb'nonce="([^"]+)"', response.content)
    return match.group(1).decode() if match else None


@pytest.fixture
def film():
    film = FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")
    CreditFactory(film=film, person=PersonFactory(name="Vladimir Menshov"))
    FactFactory(film=film, text="It won the Oscar.")
    CuratedListEntryFactory(
        film=film, position=1, curated_list=CuratedListFactory(slug="moscow", title="Moscow")
    )
    return film


PAGES = [
    "/",
    "/lists/",
    "/lists/moscow/",
    "/films/moscow-tears/",
    "/films/?decade=1970",
    "/search/?q=moskva",
    "/awards/",
    "/api/v1/films/?decade=1970",
    "/api/v1/films/moscow-tears/",
    "/api/v1/search/?q=moskva",
    "/api/v1/lists/",
    "/api/v1/lists/moscow/",
    "/api/v1/people/",
    "/api/v1/awards/",
    "/api/v1/organisations/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitors_second_request_is_served_from_the_cache_without_queries(
    cached, film, client, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200
    assert cache_state(second) == "hit"
    assert second["Content-Type"] == first["Content-Type"]
    assert (
        second.content.replace((nonce_in(second) or "").encode(), (nonce_in(first) or "").encode())
        == first.content
    )


def test_the_person_page_is_cached_too(cached, film, client):
    path = film.credits.get().person.get_absolute_url()
    assert cache_state(client.get(path)) == "miss"
    assert cache_state(client.get(path)) == "hit"


def test_a_cached_page_carries_a_fresh_csp_nonce_matching_its_header(cached, film, client):
    first, second = client.get("/films/moscow-tears/"), client.get("/films/moscow-tears/")
    assert cache_state(second) == "hit"
    assert nonce_in(first) and nonce_in(second)
    assert nonce_in(first) != nonce_in(second)
    for response in (first, second):
        assert f"'nonce-{nonce_in(response)}'" in response["Content-Security-Policy"]
    assert nonce_in(first).encode() not in second.content


def test_a_cached_page_answers_a_conditional_request_with_304(
    cached, film, client, django_assert_num_queries
):
    first = client.get("/films/moscow-tears/")
    with django_assert_num_queries(0):  # answered from the cached copy's ETag
        revalidated = client.get("/films/moscow-tears/", headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # the ETag is made of the body: the page's own queries
        ("/films/moscow-tears/", budget.FILM_PAGE),
        # the API's ETag is made of the body: the detail's own queries
        ("/api/v1/films/moscow-tears/", budget.API_FILM_DETAIL),
    ],
)
def test_without_a_cached_copy_a_conditional_request_costs_only_the_etags_queries(
    film, client, path, queries, django_assert_num_queries
):
    first = client.get(path)
    with django_assert_num_queries(queries):
        revalidated = client.get(path, headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304
    assert revalidated.content == b""


@commits
def test_editing_a_film_shows_at_once_on_every_page_that_shows_it(cached, film, client):
    paths = ["/films/moscow-tears/", "/lists/moscow/", "/api/v1/films/moscow-tears/"]
    for path in paths:
        client.get(path)
    film.title = "Moscow Doesn't Believe in Tears"
    film.save()
    for path in paths:
        response = client.get(path)
        assert cache_state(response) == "miss", path
        assert "Moscow Doesn" in response.content.decode(), path


@commits
def test_editing_a_related_row_invalidates_too(cached, film, client):
    client.get("/films/moscow-tears/")
    film.facts.get().delete()
    assert "It won the Oscar." not in client.get("/films/moscow-tears/").content.decode()

    client.get("/films/moscow-tears/")
    film.genres.add(GenreFactory(name="Melodrama"))  # a many-to-many change
    assert "Melodrama" in client.get("/films/moscow-tears/").content.decode()


@commits
def test_reordering_a_list_shows_the_new_order(cached, film, client):
    curated_list = film.list_entries.get().curated_list
    second = CuratedListEntryFactory(curated_list=curated_list, position=2).film
    api = APIClient()
    before = api.get("/api/v1/lists/moscow/").json()
    assert [entry["film"]["slug"] for entry in before["entries"]][0] == film.slug
    reorder_entries(
        curated_list, curated_list.entries.order_by("-position").values_list("pk", flat=True)
    )
    after = api.get("/api/v1/lists/moscow/").json()
    assert [entry["film"]["slug"] for entry in after["entries"]] == [second.slug, film.slug]


@commits
def test_the_version_moves_when_the_write_commits_not_before(cached, film):
    """A reader must never cache old rows under the new version."""
    version = response_cache.catalogue_version(cached)
    with transaction.atomic():
        film.title = "Renamed"
        film.save()
        FactFactory(film=film)
        assert response_cache.catalogue_version(cached) == version
    assert response_cache.catalogue_version(cached) == version + 1  # once for the transaction


@commits
def test_a_rolled_back_write_does_not_invalidate(cached, film):
    version = response_cache.catalogue_version(cached)
    with pytest.raises(RuntimeError), transaction.atomic():
        film.save()
        raise RuntimeError
    assert response_cache.catalogue_version(cached) == version


@commits
def test_bulk_commands_invalidate(cached, film, client):
    client.get("/search/?q=moskva")
    Film.objects.filter(pk=film.pk).update(search_text="")  # sends no signal
    call_command("rebuild_search_text", verbosity=0)
    assert cache_state(client.get("/search/?q=moskva")) == "miss"


def test_editors_and_api_users_always_get_live_responses(
    cached, film, client, editor_client, editor_api
):
    DraftListFactory(slug="draft", title="Draft")
    client.get("/films/moscow-tears/")
    for response in (editor_client.get("/films/moscow-tears/"), editor_client.get("/lists/draft/")):
        assert response.status_code == 200
        assert cache_state(response) is None
    for path in ("/api/v1/films/moscow-tears/", "/api/v1/lists/draft/"):
        response = editor_api.get(path)
        assert response.status_code == 200
        assert cache_state(response) is None
    # What an editor saw (a draft) never reaches a visitor.
    assert client.get("/lists/draft/").status_code == 404
    assert APIClient().get("/api/v1/lists/draft/").status_code == 404


def test_a_visitor_whose_session_holds_something_gets_live_pages(cached, film, client):
    client.get("/films/moscow-tears/")
    session = client.session
    session["seen_tour"] = True
    session.save()
    client.cookies[settings_module.SESSION_COOKIE_NAME] = session.session_key
    assert cache_state(client.get("/films/moscow-tears/")) is None


def test_a_made_up_session_cookie_does_not_get_past_the_cache(cached, film, client):
    client.get("/films/moscow-tears/")
    client.cookies[settings_module.SESSION_COOKIE_NAME] = "made-up-session-key"
    response = client.get("/films/moscow-tears/")
    assert cache_state(response) == "hit"
    # The stale cookie is removed, as Django does for any session that is no more.
    assert response.cookies[settings_module.SESSION_COOKIE_NAME].value == ""


# The API answers an unknown parameter with a 400 (api/parameters.py), so only pages here.
@pytest.mark.parametrize("path", ["/films/moscow-tears/", "/lists/moscow/"])
def test_parameters_a_page_does_not_read_do_not_make_a_new_copy(cached, film, client, path):
    assert cache_state(client.get(f"{path}?utm_source=1")) == "miss"
    for tracking in ("?utm_source=2", "?fbclid=abc&utm_medium=x", ""):
        assert cache_state(client.get(f"{path}{tracking}")) == "hit", tracking


def test_the_parameters_a_page_reads_each_have_their_copy(cached, film, client):
    assert "Moscow" in client.get("/search/?q=moscow").content.decode()
    other = client.get("/search/?q=stalker")
    assert cache_state(other) == "miss"
    assert "Moscow Does Not Believe" not in other.content.decode()
    assert cache_state(client.get("/search/?utm_source=x&q=moscow")) == "hit"


def test_the_api_refuses_a_parameter_it_does_not_read_before_the_cache(cached, film, client):
    response = client.get("/api/v1/films/moscow-tears/?utm_source=1")
    assert response.status_code == 400
    assert cache_state(response) is None


def test_the_order_of_parameters_does_not_matter(cached, film, client):
    client.get("/api/v1/films/?decade=1970&ordering=title")
    assert cache_state(client.get("/api/v1/films/?ordering=title&decade=1970")) == "hit"


def test_a_page_that_echoes_its_whole_query_is_keyed_by_all_of_it(rf, cached):
    def echo(request):
        return HttpResponse(request.GET.urlencode())

    cached_echo = response_cache.cache_public_page(echo)

    def get(query):
        request = rf.get(f"/echo/?{query}")
        request.user = AnonymousUser()
        return cached_echo(request)

    assert get("a=1").content == b"a=1"
    assert get("a=1&b=2").content == b"a=1&b=2"
    assert cache_state(get("b=2&a=1")) == "hit"


def test_a_page_that_reads_a_parameter_later_is_not_served_a_copy_without_it(rf, cached):
    def sometimes(request):
        if request.GET.get("view") == "compact":
            return HttpResponse(f"compact {request.GET.get('size', 'all')}")
        return HttpResponse("full")

    cached_view = response_cache.cache_public_page(sometimes)

    def get(query):
        request = rf.get(f"/page/?{query}")
        request.user = AnonymousUser()
        return cached_view(request).content

    assert get("view=compact") == b"compact all"
    assert get("view=compact&size=5") == b"compact 5"
    assert get("view=compact") == b"compact all"
    assert get("view=full&size=5") == b"full"


def test_a_page_holding_a_csrf_token_is_not_stored(cached, rf):
    def form_page(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    cached_form_page = response_cache.cache_public_page(form_page)
    for _ in range(2):
        request = rf.get("/form/")
        request.user = AnonymousUser()
        response = cached_form_page(request)
        assert cache_state(response) == "miss"


@pytest.mark.parametrize(
    "path",
    ["/films/not-a-film/", "/films/?decade=abc", "/api/v1/films/?decade=abc", "/search/?q=%00"],
)
def test_error_responses_are_not_cached(cached, film, client, path):
    first = client.get(path)
    assert first.status_code >= 400 or cache_state(first) == "miss"
    if first.status_code >= 400:
        assert cache_state(client.get(path)) != "hit"


@commits
def test_a_new_film_appears_where_a_404_was(cached, client):
    assert client.get("/films/new-film/").status_code == 404
    FilmFactory(slug="new-film", title="New film")
    assert client.get("/films/new-film/").status_code == 200


def test_the_browsable_api_is_never_cached(cached, film, client):
    headers = {"accept": "text/html"}
    client.get("/api/v1/films/moscow-tears/", headers=headers)
    assert cache_state(client.get("/api/v1/films/moscow-tears/", headers=headers)) is None


def test_cached_api_reads_still_count_against_the_throttle(cached, film, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min"},
    }
    caches["default"].clear()
    api = APIClient()
    statuses = [api.get("/api/v1/films/moscow-tears/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_pages_are_cached_no_longer_than_until_a_scheduled_list_goes_live(cached, settings):
    settings.RESPONSE_CACHE_SECONDS = 600
    assert response_cache.cache_timeout() == 600
    CuratedListFactory(published_at=timezone.now() + timedelta(seconds=90))
    assert 1 <= response_cache.cache_timeout() <= 90


def test_an_unreachable_redis_serves_live_pages(settings, film, client):
    settings.CACHES = {
        "default": LOCMEM,
        response_cache.CACHE_ALIAS: redis_cache_settings("redis://127.0.0.1:1/0"),
    }
    for _ in range(2):
        response = client.get("/films/moscow-tears/")
        assert response.status_code == 200
        assert cache_state(response) is None


def test_the_api_answers_when_redis_is_down_for_every_cache(settings, film):
    """Throttle counts live in Redis too: an unreachable Redis means unthrottled, not 500."""
    unreachable = redis_cache_settings("redis://127.0.0.1:1/0")
    settings.CACHES = {"default": unreachable, response_cache.CACHE_ALIAS: unreachable}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min"},
    }
    for path in ("/api/v1/films/moscow-tears/", "/api/v1/films/", "/films/moscow-tears/"):
        assert APIClient().get(path).status_code == 200, path


def test_a_page_rendered_as_a_scheduled_list_goes_live_is_not_stored(cached, film, client):
    CuratedListFactory(published_at=timezone.now() + timedelta(milliseconds=500))
    client.get("/films/moscow-tears/")
    assert cache_state(client.get("/films/moscow-tears/")) == "miss"


def test_api_clients_asking_for_indented_json_get_their_own_copy(cached, film):
    api = APIClient()
    plain = api.get("/api/v1/films/moscow-tears/")
    indented = api.get("/api/v1/films/moscow-tears/", HTTP_ACCEPT="application/json; indent=4")
    assert b'\n    "' in indented.content and b"\n" not in plain.content
    assert cache_state(api.get("/api/v1/films/moscow-tears/")) == "hit"


def test_only_catalogue_and_list_rows_invalidate(cached):
    """Other models keep Django's fast delete: no receiver listens to them."""
    from django.contrib.sessions.models import Session
    from django.db.models.signals import post_delete

    assert not post_delete.has_listeners(Session)
    assert post_delete.has_listeners(Film)


def test_a_new_release_does_not_serve_the_previous_releases_pages(cached, film, client, settings):
    settings.RESPONSE_CACHE_RELEASE = "one"
    client.get("/films/moscow-tears/")
    assert cache_state(client.get("/films/moscow-tears/")) == "hit"
    settings.RESPONSE_CACHE_RELEASE = "two"
    assert cache_state(client.get("/films/moscow-tears/")) == "miss"


def test_without_a_response_cache_nothing_is_cached(settings, film, client):
    settings.CACHES = {"default": LOCMEM}
    response_cache.invalidate()  # a no-op, not an error
    for _ in range(2):
        assert cache_state(client.get("/films/moscow-tears/")) is None


def test_a_flushed_cache_starts_a_new_version(cached):
    version = response_cache.catalogue_version(cached)
    cached.delete(response_cache.VERSION_KEY)  # as a flush or an eviction leaves it
    assert response_cache.catalogue_version(cached) != version


def settings_in_subprocess(**env):
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(sorted(settings.CACHES), settings.CACHES['default']['BACKEND'])"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "KINOTEKA_RESPONSE_CACHE_SECONDS")
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )


def test_redis_url_turns_on_redis_for_every_cache():
    result = settings_in_subprocess(REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert "['default', 'responses', 'throttle'] core.cache.RedisCache" in result.stdout
    assert "['default', 'throttle'] " in settings_in_subprocess().stdout


def test_a_malformed_cache_timeout_refuses_to_start():
    result = settings_in_subprocess(KINOTEKA_RESPONSE_CACHE_SECONDS="soon")
    assert result.returncode != 0
    assert "KINOTEKA_RESPONSE_CACHE_SECONDS must be a whole number" in result.stderr
