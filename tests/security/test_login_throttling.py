"""Admin login throttling (django-axes): password guessing stops after five tries."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.conftest import SUPERUSER_PASSWORD

pytestmark = pytest.mark.django_db

RIGHT = SUPERUSER_PASSWORD
WRONG = "not-the-password"


def log_in(client, password, username="root", address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_the_first_four_wrong_passwords_get_the_form_again_and_the_fifth_locks(client, superuser):
    for _ in range(4):
        response = log_in(client, WRONG)

        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    assert log_in(client, WRONG).status_code == 429  # AXES_FAILURE_LIMIT = 5
    assert not is_logged_in(client)


def test_the_sixth_attempt_within_a_minute_is_refused_even_with_the_right_password(
    client, superuser
):
    for _ in range(5):
        log_in(client, WRONG)

    response = log_in(client, RIGHT)

    assert response.status_code == 429
    assert not is_logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to the login page


def test_the_right_password_within_the_limit_logs_in_and_starts_the_count_again(client, superuser):
    for _ in range(4):
        log_in(client, WRONG)

    assert log_in(client, RIGHT).status_code == 302
    assert is_logged_in(client)
    assert not AccessAttempt.objects.exists()  # AXES_RESET_ON_SUCCESS

    client.logout()
    for _ in range(4):
        log_in(client, WRONG)
    assert log_in(client, RIGHT).status_code == 302


def test_a_lockout_ends_after_the_cool_off(client, superuser):
    for _ in range(5):
        log_in(client, WRONG)
    assert log_in(client, RIGHT).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert log_in(client, RIGHT).status_code == 302
    assert is_logged_in(client)


def test_a_lockout_from_one_address_does_not_lock_the_editor_out_elsewhere(client, superuser):
    for _ in range(5):
        log_in(client, WRONG, address="203.0.113.7")

    assert log_in(client, RIGHT, address="203.0.113.7").status_code == 429
    assert log_in(client, RIGHT, address="198.51.100.20").status_code == 302


def test_guessing_other_usernames_does_not_lock_out_a_real_one(client, superuser):
    for number in range(10):
        log_in(client, WRONG, username=f"guess-{number}")

    assert log_in(client, RIGHT).status_code == 302
