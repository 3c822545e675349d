"""manage.py issue_api_token prints a working token once; the database keeps its digest."""

import io

import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_printed_token_signs_api_writes_in(editor):
    out = io.StringIO()
    call_command("issue_api_token", "editor", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()

    response = APIClient().post(
        "/api/v1/films/",
        {"title": "Office Romance", "release_year": 1977},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 201
    assert AuthToken.objects.get().digest != token


def test_an_unknown_account_is_refused():
    with pytest.raises(CommandError, match="No active account named “nobody”"):
        call_command("issue_api_token", "nobody")
