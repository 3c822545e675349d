"""Pictures in the API: image objects with renditions, sizes and licence; editors upload."""

import uuid
from unittest import mock

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

import api.picture_views
import api.writes
from pictures import errors
from pictures.choices import Licence, PictureKind
from pictures.models import FilmPicture
from pictures.services import add_picture
from tests.factories import CuratedListFactory, DraftListFactory, FilmFactory, PersonFactory
from tests.helpers import error_codes, error_fields
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def upload_data(content, **fields):
    return {
        "file": upload(content),
        "kind": "poster",
        "alt_text": "The poster",
        "licence": "cc_by_4",
        "author": "Mosfilm",
        **fields,
    }


def test_an_editor_uploads_a_poster_and_gets_its_image_object(editor_api):
    film = FilmFactory()
    response = editor_api.post(
        f"/api/v1/films/{film.slug}/pictures/", upload_data(image_bytes()), format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["licence"] == "cc_by_4" and body["licence_url"].endswith("/by/4.0/")
    assert body["is_primary"] and (body["width"], body["height"]) == (300, 450)
    assert {r["format"] for r in body["renditions"]} == {"avif", "webp", "jpeg"}
    assert all(
        r["url"].startswith("http://testserver/media/pictures/renditions/")
        for r in body["renditions"]
    )


def test_a_retried_upload_with_the_same_key_stores_one_picture(editor_api, stored_files):
    film, key = FilmFactory(), str(uuid.uuid4())
    path, content = f"/api/v1/films/{film.slug}/pictures/", image_bytes()
    first = editor_api.post(
        path, upload_data(content), format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )
    files = stored_files()
    again = editor_api.post(
        path, upload_data(content), format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert film.pictures.count() == 1 and stored_files() == files


def test_the_same_key_with_another_picture_of_the_same_name_is_a_409(editor_api):
    film, key = FilmFactory(), str(uuid.uuid4())
    path = f"/api/v1/films/{film.slug}/pictures/"
    first = editor_api.post(
        path, upload_data(image_bytes()), format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )
    other = upload_data(image_bytes(colour=(10, 200, 10)))
    again = editor_api.post(path, other, format="multipart", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    assert again.status_code == 409 and error_codes(again) == {"detail": "idempotency_key_reused"}
    assert film.pictures.count() == 1


def post(client, path, key, content=None):
    data = upload_data(image_bytes() if content is None else content)
    return client.post(path, data, format="multipart", HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def film_pictures(db):
    film = FilmFactory()
    return film, f"/api/v1/films/{film.slug}/pictures/"


def test_a_replayed_upload_has_no_etag_as_its_first_answer_had_none(editor_api, film_pictures):
    film, path = film_pictures
    key = str(uuid.uuid4())
    first = post(editor_api, path, key)
    again = post(editor_api, path, key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.get("ETag") is None and again.get("ETag") is None


def test_an_upload_whose_worker_died_may_be_retried(editor_api, film_pictures):
    film, path = film_pictures
    key = str(uuid.uuid4())
    with mock.patch.object(api.picture_views, "add_picture", side_effect=SystemExit(1)):
        with pytest.raises(SystemExit):
            post(editor_api, path, key)
    assert film.pictures.count() == 0
    retry = post(editor_api, path, key)
    assert retry.status_code == 201, retry.content
    assert film.pictures.count() == 1


REAL_SET = LocMemCache.set


def fail_idempotency_writes(self, key, *args, **kwargs):
    if "idempotency:" in str(key):
        raise redis.ConnectionError("Redis went away")
    return REAL_SET(self, key, *args, **kwargs)


def test_an_upload_stored_while_redis_failed_is_answered_and_kept_only_minutes(
    editor_api, film_pictures
):
    film, path = film_pictures
    key = str(uuid.uuid4())
    editor_api.raise_request_exception = False
    with mock.patch.object(LocMemCache, "set", fail_idempotency_writes):
        first = post(editor_api, path, key)
    assert film.pictures.count() == 1  # stored, whatever the client was told
    retry = post(editor_api, path, key)
    # Answered; a retry is told to wait while the key is still claimed, for minutes only.
    assert (first.status_code, retry.status_code) == (201, 409)
    assert film.pictures.count() == 1


def test_an_upload_with_a_key_while_redis_is_down_is_a_503_and_writes_nothing(
    editor_api, film_pictures
):
    film, path = film_pictures
    editor_api.raise_request_exception = False
    with mock.patch.object(LocMemCache, "add", side_effect=redis.ConnectionError("down")):
        response = post(editor_api, path, str(uuid.uuid4()))
    assert response.status_code == 503
    assert error_codes(response) == {"detail": "idempotency_unavailable"}
    assert film.pictures.count() == 0


def test_a_bad_upload_is_a_400_naming_the_file_and_stores_nothing(editor_api, stored_files):
    film = FilmFactory()
    response = editor_api.post(
        f"/api/v1/films/{film.slug}/pictures/", upload_data(b"GIF89a broken"), format="multipart"
    )
    assert response.status_code == 400
    assert error_fields(response) == {"file": [errors.NOT_AN_IMAGE]}
    assert stored_files() == [] and not FilmPicture.objects.exists()


def test_missing_alt_text_is_a_400(editor_api):
    film = FilmFactory()
    response = editor_api.post(
        f"/api/v1/films/{film.slug}/pictures/",
        upload_data(image_bytes(), alt_text=""),
        format="multipart",
    )
    assert response.status_code == 400 and "alt_text" in error_fields(response)


def test_anonymous_clients_read_but_cannot_upload():
    film = FilmFactory()
    add_picture(
        film,
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="Poster",
        licence=Licence.PUBLIC_DOMAIN,
    )
    client = APIClient()
    [picture] = client.get(f"/api/v1/films/{film.slug}/pictures/").json()
    assert picture["alt_text"] == "Poster" and picture["page_url"].startswith(
        "http://testserver/pictures/film/"
    )
    response = client.post(
        f"/api/v1/films/{film.slug}/pictures/", upload_data(image_bytes()), format="multipart"
    )
    assert response.status_code in (401, 403)


def test_a_draft_lists_covers_are_hidden_from_visitors():
    assert APIClient().get(f"/api/v1/lists/{DraftListFactory().slug}/pictures/").status_code == 404


@pytest.mark.parametrize("kind", ["film", "person", "list"])
def test_detail_responses_carry_their_pictures(kind):
    owner = {"film": FilmFactory, "person": PersonFactory, "list": CuratedListFactory}[kind]()
    picture_kind = {"film": "poster", "person": "portrait", "list": "cover"}[kind]
    content = image_bytes(960, 480) if kind == "list" else image_bytes()
    add_picture(owner, upload(content), kind=picture_kind, alt_text="It", licence=Licence.CC0)
    path = {"film": "films", "person": "people", "list": "lists"}[kind]
    [picture] = APIClient().get(f"/api/v1/{path}/{owner.slug}/").json()["pictures"]
    assert picture["kind"] == picture_kind and picture["licence"] == "cc0"
    assert {r["width"] for r in picture["renditions"]} == ({160} if kind != "list" else {480, 960})


def test_the_configuration_names_widths_formats_and_licences():
    body = APIClient().get("/api/v1/pictures/configuration/").json()
    assert body["rendition_widths"]["poster"] == [160, 320, 480, 640]
    assert body["rendition_formats"][-1] == "jpeg"
    assert {"value": "cc_by_sa_4", "label": "CC BY-SA 4.0"} in body["licences"]


def test_a_poster_too_small_is_a_400_that_says_the_minimum(editor_api, stored_files):
    film = FilmFactory()
    response = editor_api.post(
        f"/api/v1/films/{film.slug}/pictures/",
        upload_data(image_bytes(20, 30)),
        format="multipart",
    )
    assert response.status_code == 400
    assert error_fields(response) == {
        "file": [
            "The picture is 20 × 30 pixels; a poster must be at least 160 × 220 pixels "
            "(width × height)."
        ]
    }
    assert stored_files() == [] and not FilmPicture.objects.exists()


def test_the_configuration_gives_the_minimum_size_of_each_kind():
    body = APIClient().get("/api/v1/pictures/configuration/").json()
    assert body["min_sizes"]["poster"] == {"width": 160, "height": 220}
    assert set(body["min_sizes"]) == {kind.value for kind in PictureKind}
