"""Per-object invalidation: an edit empties the cached pages that show what it changed (the
film, its people, its lists) and every listing, and leaves other films', people's and lists'
pages cached. Each test runs on an in-process cache and on the real Redis (`cached`)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from catalogue.models import Credit, Film, Genre
from core import response_cache
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

# Invalidation happens when a write commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    """Two films by two directors, each in its own list; Cranes also has an actor."""
    menshov = PersonFactory(name="Vladimir Menshov", slug="menshov")
    kalatozov = PersonFactory(name="Mikhail Kalatozov", slug="kalatozov")
    samoilova = PersonFactory(name="Tatiana Samoilova", slug="samoilova")
    moscow = FilmFactory(title="Moscow Does Not Believe in Tears", slug="moscow-tears")
    cranes = FilmFactory(title="The Cranes Are Flying", slug="cranes")
    CreditFactory(film=moscow, person=menshov)
    CreditFactory(film=cranes, person=kalatozov)
    CreditFactory(film=cranes, person=samoilova, role="actor")
    CuratedListEntryFactory(
        film=moscow, position=1, curated_list=CuratedListFactory(slug="moscow", title="Moscow")
    )
    CuratedListEntryFactory(
        film=cranes, position=1, curated_list=CuratedListFactory(slug="war", title="War")
    )
    return {"moscow": moscow, "cranes": cranes, "menshov": menshov, "kalatozov": kalatozov}


PAGES = {
    "moscow film": "/films/moscow-tears/",
    "moscow film in the API": "/api/v1/films/moscow-tears/",
    "menshov": "/people/menshov/",
    "menshov in the API": "/api/v1/people/menshov/",
    "moscow list": "/lists/moscow/",
    "moscow list in the API": "/api/v1/lists/moscow/",
    "cranes film": "/films/cranes/",
    "cranes film in the API": "/api/v1/films/cranes/",
    "kalatozov": "/people/kalatozov/",
    "samoilova": "/people/samoilova/",
    "war list": "/lists/war/",
    "war list in the API": "/api/v1/lists/war/",
    "browse": "/films/?decade=1970",
    "home": "/",
}


def warm(client):
    for path in PAGES.values():
        assert client.get(path).status_code == 200, path
        assert cache_state(client.get(path)) == "hit", path


def stale_pages(client):
    """The names of the pages that are no longer served from the cache."""
    return {name for name, path in PAGES.items() if cache_state(client.get(path)) == "miss"}


MOSCOW_AND_LISTINGS = {
    "moscow film",
    "moscow film in the API",
    "menshov",
    "menshov in the API",
    "moscow list",
    "moscow list in the API",
    "browse",
    "home",
}


def test_editing_a_film_stales_its_page_its_people_its_lists_and_the_listings_only(
    cached, catalogue, client
):
    warm(client)
    catalogue["moscow"].title = "Moscow Doesn't Believe in Tears"
    catalogue["moscow"].save()
    assert stale_pages(client) == MOSCOW_AND_LISTINGS
    assert "Moscow Doesn" in client.get("/lists/moscow/").content.decode()


def test_editing_a_person_stales_the_pages_that_name_them(cached, catalogue, client):
    warm(client)
    catalogue["menshov"].name = "Vladimir Menshov (director)"
    catalogue["menshov"].save()
    assert stale_pages(client) == MOSCOW_AND_LISTINGS
    assert "(director)" in client.get("/films/moscow-tears/").content.decode()


def test_a_new_row_belonging_to_a_film_stales_the_film_and_not_its_neighbours(
    cached, catalogue, client
):
    warm(client)
    FactFactory(film=catalogue["moscow"], text="It won the Oscar in 1981.")
    stale = stale_pages(client)
    assert {"moscow film", "moscow film in the API", "browse", "home"} <= stale
    assert not stale & {"cranes film", "kalatozov", "samoilova", "war list"}
    assert "won the Oscar in 1981" in client.get("/films/moscow-tears/").content.decode()


def test_moving_a_credit_stales_the_page_of_the_person_it_left(cached, catalogue, client):
    warm(client)
    credit = Credit.objects.get(person__slug="samoilova")
    credit.person = catalogue["menshov"]
    credit.save()
    stale = stale_pages(client)
    # Kalatozov's page shows the film whose credits changed, so it is renewed too.
    assert {"samoilova", "menshov", "cranes film", "kalatozov"} <= stale
    assert "The Cranes Are Flying" not in client.get("/people/samoilova/").content.decode()


def test_a_many_to_many_change_stales_the_film_only(cached, catalogue, client):
    melodrama = GenreFactory(name="Melodrama")
    warm(client)
    catalogue["moscow"].genres.add(melodrama)
    stale = stale_pages(client)
    assert {"moscow film", "moscow film in the API"} <= stale
    assert not stale & {"cranes film", "cranes film in the API", "war list", "kalatozov"}
    assert "Melodrama" in client.get("/films/moscow-tears/").content.decode()


def test_editing_a_list_stales_the_pages_of_its_films(cached, catalogue, client):
    warm(client)
    war = catalogue["cranes"].list_entries.get().curated_list
    war.title = "War and Memory"
    war.save()
    stale = stale_pages(client)
    assert {"war list", "war list in the API", "cranes film", "cranes film in the API"} <= stale
    assert not stale & {"menshov", "kalatozov", "samoilova"}
    assert "War and Memory" in client.get("/films/cranes/").content.decode()


def test_publishing_a_list_shows_it_on_its_films_pages_at_once(cached, catalogue, client):
    draft = DraftListFactory(slug="tears", title="Films That Make You Cry")
    CuratedListEntryFactory(curated_list=draft, film=catalogue["moscow"], position=1)
    warm(client)
    assert "Films That Make You Cry" not in client.get("/films/moscow-tears/").content.decode()
    draft.status = "published"
    draft.published_at = timezone.now()
    draft.save()
    assert "Films That Make You Cry" in client.get("/films/moscow-tears/").content.decode()


@pytest.mark.parametrize("publish", [True, False])
def test_publishing_or_unpublishing_a_film_changes_the_pages_that_left_it_out(
    cached, catalogue, client, publish
):
    film = FilmFactory(title="Kin-dza-dza!", slug="kin-dza-dza", is_published=not publish)
    CreditFactory(film=film, person=catalogue["menshov"])
    CuratedListEntryFactory(
        film=film, position=2, curated_list=catalogue["moscow"].list_entries.get().curated_list
    )
    warm(client)
    shown_before = "Kin-dza-dza!" in client.get("/people/menshov/").content.decode()

    film = Film.objects.get(pk=film.pk)  # as the admin and the API load it
    film.is_published = publish
    film.save()

    for path in (
        "/people/menshov/",
        "/api/v1/people/menshov/",
        "/lists/moscow/",
        "/api/v1/lists/moscow/",
    ):
        response = client.get(path)
        assert cache_state(response) == "miss", path
        assert ("Kin-dza-dza!" in response.content.decode()) is publish, path
    assert shown_before is not publish


def test_saving_a_film_without_changing_its_publication_leaves_other_pages_cached(
    cached, catalogue, client
):
    warm(client)
    film = Film.objects.get(pk=catalogue["moscow"].pk)
    film.save()
    assert "kalatozov" not in stale_pages(client)


def test_a_write_no_row_tag_describes_stales_every_page(cached, catalogue, client):
    genre = GenreFactory(name="Drama")
    warm(client)
    Genre.objects.filter(pk=genre.pk).get().save()  # shown in JSON columns on any film page
    assert stale_pages(client) == set(PAGES)


def test_bulk_invalidation_stales_every_page(cached, catalogue, client):
    warm(client)
    response_cache.invalidate()
    assert stale_pages(client) == set(PAGES)


def test_a_page_rendered_while_a_write_commits_is_not_stored(cached, catalogue):
    film = catalogue["moscow"]
    writes = [film]  # one write, during the first render only

    def page(request):
        title = Film.objects.get(pk=film.pk).title
        if writes:
            writes.pop().save()  # commits at once: an editor's write landing mid-render
        return HttpResponse(title)

    view = response_cache.cache_object_page()(page)

    def get():
        request = RequestFactory().get("/films/moscow-tears/")
        request.user = AnonymousUser()
        return cache_state(view(request))

    assert [get(), get(), get()] == ["miss", "miss", "hit"]
