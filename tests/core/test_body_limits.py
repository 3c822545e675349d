"""Request bodies are bounded before anything reads them: a visitor's large POST is a 413
and never reaches the disk; an editor may send more; Django's own limits are a 400."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from rest_framework.test import APIClient

from core.limits import BODY_TOO_LARGE

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024  # over FILE_UPLOAD_MAX_MEMORY_SIZE: Django would spool it to disk


def login_form_with_file(size):
    return {
        "username": "root",
        "password": "guess",
        "attachment": SimpleUploadedFile("big.bin", b"x" * size),
    }


SPOOLED = []


class RecordingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to disk, noting each file it starts."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        SPOOLED.append(self.file_name)


@pytest.fixture
def spooled(settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.RecordingTemporaryFileUploadHandler",
    ]
    SPOOLED.clear()
    return SPOOLED


def test_a_visitors_large_multipart_post_to_the_login_is_413_and_never_spooled(client, spooled):
    response = client.post(reverse("admin:login"), login_form_with_file(BIG))

    assert response.status_code == 413
    assert response.content.decode() == BODY_TOO_LARGE.format(limit=64 * 1024)
    assert spooled == []


@pytest.mark.parametrize("authorization", ["x", "", "Token not-a-real-token"])
def test_an_authorization_header_outside_the_api_does_not_raise_the_limit(
    client, spooled, authorization
):
    """Only the API checks a token before reading the body: elsewhere anyone could send one."""
    response = client.post(
        reverse("admin:login"), login_form_with_file(BIG), headers={"authorization": authorization}
    )

    assert response.status_code == 413
    assert spooled == []


def test_the_same_upload_from_an_editor_is_read(editor_client, spooled):
    """The control: past the visitors' limit, Django writes the file to a temporary file."""
    response = editor_client.post(reverse("admin:login"), login_form_with_file(BIG))

    assert response.status_code in (200, 302)
    assert spooled == ["big.bin"]


def test_a_visitors_small_login_post_passes(client, superuser):
    response = client.post(reverse("admin:login"), {"username": "root", "password": "guess"})

    assert response.status_code == 200


def test_a_visitors_large_api_body_is_a_json_413():
    response = APIClient().post(
        reverse("api:film-list"),
        data=json.dumps({"title": "x" * 100_000}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json() == {"detail": BODY_TOO_LARGE.format(limit=64 * 1024)}


def test_a_large_body_with_a_bad_token_is_refused_before_it_is_read():
    response = APIClient().post(
        reverse("api:film-list"),
        data=json.dumps({"title": "x" * 100_000}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Token not-a-real-token",
    )

    assert response.status_code == 401


def test_an_editors_body_over_the_editors_limit_is_413(editor_client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 100_000

    response = editor_client.post(
        reverse("api:film-list"),
        data=json.dumps({"title": "x" * 200_000}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json() == {"detail": BODY_TOO_LARGE.format(limit=100_000)}


def test_form_fields_over_djangos_memory_limit_are_a_400(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = editor_client.post(reverse("admin:login"), {"username": "x" * 5000})

    assert response.status_code == 400


def test_a_malformed_content_length_is_a_400(client):
    response = client.generic("POST", reverse("admin:login"), b"username=x", CONTENT_LENGTH="lots")

    assert response.status_code == 400
