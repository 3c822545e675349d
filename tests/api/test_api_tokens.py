"""API tokens are stored hashed, expire, and are managed by each editor on their own page in
the admin: a new token is shown once; revoking one stops it at once; nobody touches another's."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from api.token_views import TOKEN_NOT_FOUND, TOKEN_REVOKED
from core.tokens import TOKEN_LIMIT_REACHED, issue_token

pytestmark = pytest.mark.django_db

PAGE = "/admin/tokens/"
NEW_FILM = {"title": "Office Romance", "release_year": 1977}


def write_with(api, token):
    return api.post("/api/v1/films/", NEW_FILM, format="json", HTTP_AUTHORIZATION=f"Token {token}")


def test_an_issued_token_signs_api_writes_in(api, editor):
    _, token = issue_token(editor)

    assert write_with(api, token).status_code == 201


def test_the_database_keeps_a_digest_never_the_token(editor):
    row, token = issue_token(editor)

    stored = AuthToken.objects.filter(pk=row.pk).values().get()
    assert token not in {str(value) for value in stored.values()}
    assert len(row.digest) == 128  # SHA-512


def test_a_token_expires_after_ninety_days(api, editor):
    row, token = issue_token(editor)

    assert timedelta(days=89) < row.expiry - timezone.now() <= timedelta(days=90)
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert write_with(api, token).status_code == 401


def test_the_plaintext_token_table_is_gone():
    assert "authtoken_token" not in connection.introspection.table_names()


# --- The editor's page ---------------------------------------------------------------------
def test_the_admin_start_page_links_to_the_token_page(editor_client):
    assert f'href="{PAGE}"' in editor_client.get(reverse("admin:index")).content.decode()


def test_a_new_token_is_shown_once_and_works(editor_client, editor, api):
    response = editor_client.post(PAGE)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    token = response.context["new_token"]
    assert token in response.content.decode()
    assert write_with(api, token).status_code == 201
    assert token not in editor_client.get(PAGE).content.decode()  # never again
    assert AuthToken.objects.get().user == editor


def test_the_page_lists_only_the_users_own_tokens(editor_client, editor, superuser):
    own, _ = issue_token(editor)
    others, _ = issue_token(superuser)

    tokens = list(editor_client.get(PAGE).context["tokens"])

    assert tokens == [own]


def test_revoking_a_token_stops_it_at_once(editor_client, editor, api):
    row, token = issue_token(editor)

    response = editor_client.post(PAGE, {"revoke": row.digest}, follow=True)

    assert str(TOKEN_REVOKED) in response.content.decode()
    assert write_with(api, token).status_code == 401


def test_an_editor_cannot_revoke_another_users_token(editor_client, superuser, api):
    row, token = issue_token(superuser)

    response = editor_client.post(PAGE, {"revoke": row.digest}, follow=True)

    assert str(TOKEN_NOT_FOUND) in response.content.decode()
    assert AuthToken.objects.filter(pk=row.pk).exists()


def test_an_editor_holds_at_most_ten_live_tokens(editor_client, editor):
    for _ in range(10):
        issue_token(editor)

    response = editor_client.post(PAGE, follow=True)

    assert TOKEN_LIMIT_REACHED.format(limit=10) in response.content.decode()
    assert AuthToken.objects.filter(user=editor).count() == 10


def test_expired_tokens_leave_the_list_and_free_their_place(editor_client, editor):
    for _ in range(10):
        issue_token(editor)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    response = editor_client.post(PAGE)

    assert response.context["new_token"]
    assert len(response.context["tokens"]) == 1
