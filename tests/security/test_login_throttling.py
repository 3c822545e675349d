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


# --- The real client behind a proxy (core/network.py) ---------------------------------------
PROXY = "10.0.0.2"


def log_in_through_proxy(client, password, forwarded):
    return client.post(
        reverse("admin:login"),
        {"username": "root", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_lockout_locks_the_guesser_not_every_visitor(
    client, superuser, settings
):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        log_in_through_proxy(client, WRONG, "203.0.113.7")

    assert log_in_through_proxy(client, RIGHT, "203.0.113.7").status_code == 429
    assert log_in_through_proxy(client, RIGHT, "198.51.100.20").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"  # never the proxy


def test_behind_the_proxy_hops_the_guesser_writes_do_not_reset_the_count(
    client, superuser, settings
):
    settings.TRUSTED_PROXIES = 1
    for number in range(5):
        log_in_through_proxy(client, WRONG, f"192.0.2.{number}, 203.0.113.7")

    assert log_in_through_proxy(client, RIGHT, "192.0.2.99, 203.0.113.7").status_code == 429


def test_without_a_trusted_proxy_a_forged_header_neither_escapes_nor_frames_another(
    client, superuser
):
    for number in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "root", "password": WRONG},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    assert log_in(client, RIGHT, address="203.0.113.7").status_code == 429
    assert log_in(client, RIGHT, address="198.51.100.1").status_code == 302
