"""What a visitor can vary at will (a made-up messages cookie, tracking parameters on the
browse page, parameters in the API's Accept header) neither skips the cache nor makes a new
copy: N different junk values cost one render. Each test runs on an in-process cache and on
the real Redis (`cached`)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from rest_framework.test import APIClient

from tests.factories import FilmFactory
from tests.helpers import cache_state

pytestmark = pytest.mark.django_db

JUNK = [f"junk-{n}" for n in range(5)]


@pytest.fixture
def film():
    return FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")


def renders(responses):
    """How many of `responses` were rendered rather than served from the cache."""
    states = [cache_state(response) for response in responses]
    assert None not in states, "the cache stood aside"
    return states.count("miss")


# --- the messages cookie -----------------------------------------------------------------
def signed_messages_cookie(rf, *texts):
    """A messages cookie as Django's CookieStorage writes it after a redirect."""
    storage = CookieStorage(rf.get("/"))
    for text in texts:
        storage.add(messages.INFO, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_made_up_messages_cookies_get_the_shared_page(cached, film, client):
    client.get("/films/moscow-tears/")
    responses = []
    for junk in JUNK:
        client.cookies[CookieStorage.cookie_name] = junk
        responses.append(client.get("/films/moscow-tears/"))

    assert renders(responses) == 0


def test_a_cookie_holding_messages_gets_a_live_page_and_keeps_them(cached, film, client, rf):
    client.get("/films/moscow-tears/")
    client.cookies[CookieStorage.cookie_name] = signed_messages_cookie(rf, "Saved the film")

    response = client.get("/films/moscow-tears/")

    assert cache_state(response) is None
    # Looking at them did not use them up: the page that shows them still will.
    assert CookieStorage.cookie_name not in response.cookies


# --- the browse page's query -------------------------------------------------------------
def test_tracking_parameters_on_the_browse_page_cost_one_render(cached, film, client):
    responses = [client.get("/films/", {"decade": 1970, "utm_source": junk}) for junk in JUNK]

    assert renders(responses) == 1
    assert {response.status_code for response in responses} == {200}


def test_tracking_parameters_on_a_later_browse_page_cost_one_render(cached, client):
    FilmFactory.create_batch(30)
    responses = [client.get("/films/", {"page": 2, "utm_source": junk}) for junk in JUNK]

    assert renders(responses) == 1
    # Its links to other pages do not carry them either.
    assert "utm_source" not in responses[0].content.decode()


def test_the_browse_filters_still_each_have_their_copy(cached, film, client):
    FilmFactory(title="Stalker", slug="stalker", release_year=1979)
    seventies = client.get("/films/", {"decade": 1970, "ordering": "title"})
    eighties = client.get("/films/", {"decade": 1980, "ordering": "title"})

    assert cache_state(eighties) == "miss"
    assert "Stalker" in seventies.content.decode()
    assert "Stalker" not in eighties.content.decode()


def test_a_blank_filter_redirects_without_the_tracking_parameters(cached, client, db):
    response = client.get("/films/", {"decade": "", "genre": "drama", "utm_source": "x"})

    assert response.status_code == 302
    assert response["Location"] == "/films/?genre=drama"


# --- the API's Accept header -------------------------------------------------------------
def test_parameters_in_the_accept_header_cost_one_render(cached, film):
    api = APIClient()
    responses = [
        api.get("/api/v1/films/moscow-tears/", HTTP_ACCEPT=f"application/json; x={junk}")
        for junk in JUNK
    ]

    assert renders(responses) == 1
    assert cache_state(api.get("/api/v1/films/moscow-tears/")) == "hit"


def test_indented_json_still_has_its_own_copy(cached, film):
    api = APIClient()
    api.get("/api/v1/films/moscow-tears/")
    indented = api.get("/api/v1/films/moscow-tears/", HTTP_ACCEPT="application/json; indent=2")

    assert cache_state(indented) == "miss"
    assert b'\n  "' in indented.content
