"""Safe writes: Idempotency-Key on POST, If-Match on PUT/PATCH/DELETE, DELETE where an
editor may delete."""

import uuid

import pytest

from catalogue.models import Film
from lists.models import CuratedList, CuratedListEntry
from tests.helpers import error_codes

FILMS = "/api/v1/films/"
GARAGE = "/api/v1/films/garage/"
STALKER = {"title": "Stalker", "release_year": 1979}

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def key():
    """A fresh Idempotency-Key: keys outlive a test run in a shared cache."""
    return str(uuid.uuid4())


def test_a_retried_post_with_the_same_key_creates_nothing_more(editor_api, key):
    first = editor_api.post(FILMS, STALKER, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = editor_api.post(FILMS, STALKER, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Film.objects.filter(title="Stalker").count() == 1


def test_a_replay_is_the_first_answer_with_its_etag_and_language(editor_api, key):
    film = {**STALKER, "original_title": "Сталкер"}
    first = editor_api.post(FILMS, film, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = editor_api.post(FILMS + "?language=ru", film, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert again["Content-Language"] == first["Content-Language"] == "en"


def test_without_a_key_a_retried_post_is_a_second_film(editor_api):
    editor_api.post(FILMS, STALKER, format="json")
    second = editor_api.post(FILMS, STALKER, format="json")
    assert second.json()["slug"] == "stalker-2"


def test_the_same_key_with_another_body_is_a_409(editor_api, key):
    editor_api.post(FILMS, STALKER, format="json", HTTP_IDEMPOTENCY_KEY=key)
    other = {**STALKER, "title": "Solaris"}
    response = editor_api.post(FILMS, other, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 409
    assert error_codes(response) == {"detail": "idempotency_key_reused"}
    assert not Film.objects.filter(title="Solaris").exists()


def test_a_failed_post_may_be_retried_with_its_key(editor_api, key):
    bad = editor_api.post(FILMS, {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert bad.status_code == 400
    good = editor_api.post(FILMS, STALKER, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert good.status_code == 201


def test_a_malformed_key_is_a_400(editor_api):
    response = editor_api.post(FILMS, STALKER, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert error_codes(response) == {"Idempotency-Key": "invalid"}


def test_a_patch_with_the_current_etag_succeeds(editor_api):
    etag = editor_api.get(GARAGE)["ETag"]
    response = editor_api.patch(GARAGE, {"runtime_minutes": 112}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()


def test_a_patch_with_a_stale_etag_is_a_412_and_changes_nothing(editor_api):
    etag = editor_api.get(GARAGE)["ETag"]
    editor_api.patch(GARAGE, {"runtime_minutes": 112}, format="json")  # someone else
    response = editor_api.patch(GARAGE, {"runtime_minutes": 99}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert error_codes(response) == {"detail": "precondition_failed"}
    assert Film.objects.get(slug="garage").runtime_minutes == 112


def test_if_match_star_matches_any_version(editor_api):
    response = editor_api.patch(GARAGE, {"runtime_minutes": 99}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


def test_an_editor_deletes_a_draft_list(editor_api, catalogue):
    response = editor_api.delete("/api/v1/lists/work-in-progress/")
    assert response.status_code == 204
    assert not CuratedList.objects.filter(slug="work-in-progress").exists()


def test_an_editor_may_not_delete_a_published_list(editor_api):
    response = editor_api.delete("/api/v1/lists/soviet-love/")
    assert response.status_code == 403
    assert CuratedList.objects.filter(slug="soviet-love").exists()


def test_a_superuser_deletes_a_published_list(superuser_client):
    assert superuser_client.delete("/api/v1/lists/soviet-love/").status_code == 204


def test_a_stale_if_match_protects_a_list_from_deletion(editor_api):
    url = "/api/v1/lists/work-in-progress/"
    etag = editor_api.get(url)["ETag"]
    editor_api.patch(url, {"title": "Renamed"}, format="json")
    assert editor_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert CuratedList.objects.filter(slug="work-in-progress").exists()


def test_an_editor_takes_an_entry_out_of_a_list(editor_api, catalogue):
    entry = catalogue.love.entries.get(position=2)
    response = editor_api.delete(f"/api/v1/lists/soviet-love/entries/{entry.pk}/")
    assert response.status_code == 204
    assert not CuratedListEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("url", [GARAGE, "/api/v1/lists/soviet-love/"])
def test_visitors_delete_nothing(api, url):
    assert api.delete(url).status_code == 401


def test_films_cannot_be_deleted_through_the_api(editor_api):
    # Other rows and documents point at films: the API offers no DELETE for them.
    assert editor_api.delete(GARAGE).status_code in (403, 405)
    assert Film.objects.filter(slug="garage").exists()
