"""What changed since a time: `updated_since` on the collections and the /changes/ feed,
deletions included."""

import datetime

import pytest
from django.utils import timezone

from catalogue.models import Country, CreditRole, Film, Genre, Organisation, Place
from lists.models import CuratedList
from tests import factories as f
from tests.helpers import error_codes, slugs

FILMS = "/api/v1/films/"
CHANGES = "/api/v1/changes/"

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def since(catalogue):
    """A time after the catalogue was made: nothing has changed since, yet."""
    return timezone.now().isoformat()


def test_nothing_changed_since_now(api, since):
    assert slugs(api.get(FILMS, {"updated_since": since})) == []
    assert api.get(CHANGES, {"since": since}).json()["results"] == []


def test_a_film_changed_since_is_listed(api, catalogue, since):
    catalogue.garage.title = "Garage (1979)"
    catalogue.garage.save()
    assert slugs(api.get(FILMS, {"updated_since": since})) == ["garage"]


def test_a_film_whose_credit_was_added_or_deleted_counts_as_changed(api, catalogue, since):
    f.CreditFactory(film=catalogue.cranes, role=CreditRole.ACTOR)
    catalogue.tears.credits.filter(role=CreditRole.ACTOR).first().delete()
    assert set(slugs(api.get(FILMS, {"updated_since": since}))) == {
        "the-cranes-are-flying",
        "moscow-does-not-believe-in-tears",
    }


def test_people_lists_and_awards_take_updated_since(api, catalogue, since):
    f.CreditFactory(film=catalogue.garage, person=catalogue.people["batalov"])
    f.CuratedListEntryFactory(curated_list=catalogue.love, film=catalogue.garage, position=3)
    award = catalogue.tears.awards.first()
    award.category = "Best Foreign Language Film (renamed)"
    award.save()
    assert slugs(api.get("/api/v1/people/", {"updated_since": since})) == ["batalov"]
    assert slugs(api.get("/api/v1/lists/", {"updated_since": since})) == ["soviet-love"]
    awards = api.get("/api/v1/awards/", {"updated_since": since}).json()["results"]
    assert [row["id"] for row in awards] == [award.id]


def test_updated_since_must_be_a_time(api):
    assert error_codes(api.get(FILMS, {"updated_since": "yesterday"})) == {
        "updated_since": "invalid"
    }
    assert error_codes(api.get(FILMS, {"updated_since": ""})) == {"updated_since": "blank"}


@pytest.mark.parametrize(
    ("collection", "model"),
    [
        ("places", Place),
        ("countries", Country),
        ("genres", Genre),
        ("organisations", Organisation),
        ("studios", Organisation),
    ],
)
def test_reference_collections_list_the_rows_changed_since(api, since, collection, model):
    url = f"/api/v1/{collection}/"
    assert slugs(api.get(url, {"updated_since": since})) == []
    row = model.objects.get(slug="mosfilm") if model is Organisation else model.objects.first()
    row.name = f"{row.name} (renamed)"
    row.save()
    assert slugs(api.get(url, {"updated_since": since})) == [row.slug]


def test_changes_name_kind_id_and_action_deletions_included(api, catalogue, since):
    film = f.FilmFactory(title="Solaris")
    fact = catalogue.tears.facts.first()
    fact_id = fact.id
    fact.delete()
    changes = api.get(CHANGES, {"since": since}).json()["results"]
    assert [(c["kind"], c["id"], c["action"]) for c in changes] == [
        ("film", film.id, "created"),
        ("fact", fact_id, "deleted"),
    ]
    assert changes[0]["changed_at"] <= changes[1]["changed_at"]


def test_changes_of_draft_lists_are_for_editors_only(api, editor_api, catalogue, since):
    catalogue.draft.title = "Secret"
    catalogue.draft.save()
    kinds = {c["kind"] for c in editor_api.get(CHANGES, {"since": since}).json()["results"]}
    assert "list" in kinds
    assert api.get(CHANGES, {"since": since}).json()["results"] == []


def test_changes_of_unpublished_films_are_for_editors_only(api, editor_api, since):
    stub = f.FilmFactory(title="Stalker", is_published=False)
    director = f.PersonFactory()
    f.CreditFactory(film=stub, person=director, role=CreditRole.DIRECTOR)
    editor_kinds = {c["kind"] for c in editor_api.get(CHANGES, {"since": since}).json()["results"]}
    assert {"film", "credit", "person"} <= editor_kinds
    # The director is known only through the stub: their own changes are hidden with it.
    visitor_kinds = {c["kind"] for c in api.get(CHANGES, {"since": since}).json()["results"]}
    assert visitor_kinds == set()
    stub.is_published = True
    stub.save()
    published = [
        {key: change[key] for key in ("kind", "id", "action")}
        for change in api.get(CHANGES, {"since": since}).json()["results"]
    ]
    assert {"kind": "film", "id": stub.pk, "action": "updated"} in published
    assert {"kind": "person", "id": director.pk, "action": "created"} in published


def actions(client, since):
    return [
        (c["kind"], c["id"], c["action"])
        for c in client.get(CHANGES, {"since": since}).json()["results"]
    ]


def test_a_film_unpublished_is_deleted_for_visitors_and_updated_for_editors(
    api, editor_api, catalogue, since
):
    garage = catalogue.garage
    garage.is_published = False
    garage.save()
    garage.title = "Garage (draft)"
    garage.save()  # an edit of the draft says so again, still without its title
    assert actions(api, since) == [("film", garage.pk, "deleted")] * 2
    assert actions(editor_api, since) == [("film", garage.pk, "updated")] * 2


def test_a_film_published_again_is_updated_for_visitors(api, catalogue, since):
    garage = catalogue.garage
    for published in (False, True):
        garage.is_published = published
        garage.save()
    assert actions(api, since) == [("film", garage.pk, "deleted"), ("film", garage.pk, "updated")]


def test_a_list_back_to_draft_is_deleted_for_visitors(api, editor_api, catalogue, since):
    love = catalogue.love
    love.status = love.Status.DRAFT
    love.save()
    assert actions(api, since) == [("list", love.pk, "deleted")]
    assert actions(editor_api, since) == [("list", love.pk, "updated")]


def test_a_film_never_published_is_never_deleted_for_visitors(api, since):
    stub = f.FilmFactory(title="Stalker", is_published=False)
    stub.title = "Stalker (1979)"
    stub.save()
    assert actions(api, since) == []


def test_a_list_scheduled_for_later_is_not_in_visitors_changes_before_its_time(api, since):
    later = f.CuratedListFactory(
        title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=7)
    )
    assert api.get(f"/api/v1/lists/{later.slug}/").status_code == 404
    assert actions(api, since) == []


def test_an_unpublication_in_the_same_instant_as_the_publication_is_a_deletion(
    api, editor_api, since
):
    # Equal history dates: a coarse clock, a bulk tool, simple-history's `_history_date`.
    stub = f.FilmFactory(title="Stalker", is_published=False)
    instant = timezone.now()
    for published in (True, False):
        stub.is_published = published
        stub._history_date = instant
        stub.save()
    assert actions(editor_api, since)[-2:] == [("film", stub.pk, "updated")] * 2
    assert api.get(f"/api/v1/films/{stub.slug}/").status_code == 404
    assert actions(api, since) == [("film", stub.pk, "updated"), ("film", stub.pk, "deleted")]


def test_a_scheduled_list_going_live_is_announced_to_a_client_polling_since(api, catalogue):
    later = f.CuratedListFactory(
        title="Coming soon", published_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    polled_at = timezone.now().isoformat()  # the client's last poll, before the moment
    # The thirty seconds pass: the moment is now, for the list and for its history record
    # alike (the database's clock decides; nothing is written at that moment).
    moment = timezone.now()
    CuratedList.objects.filter(pk=later.pk).update(published_at=moment)
    CuratedList.history.filter(id=later.pk).update(published_at=moment)
    assert api.get(f"/api/v1/lists/{later.slug}/").status_code == 200
    assert actions(api, polled_at) == [("list", later.pk, "updated")]


def test_a_list_published_at_once_is_not_announced_twice(api, since):
    now = f.CuratedListFactory(title="Out now", published_at=timezone.now())
    assert actions(api, since) == [("list", now.pk, "created")]


def test_changes_need_since(api):
    assert error_codes(api.get(CHANGES)) == {"since": "required"}


@pytest.mark.parametrize("size", [1, 30])
def test_changes_have_a_constant_query_count(api, django_assert_num_queries, since, size):
    for _ in range(size):
        f.FilmFactory()
    # count, the changes (one UNION of every history)
    with django_assert_num_queries(2):
        response = api.get(CHANGES, {"since": since, "page_size": 100})
    assert response.json()["count"] == size
    assert Film.objects.count() >= size
