"""The client's address: X-Forwarded-For is believed only for the hops of our own proxies."""

import pytest
from django.test import RequestFactory

from core.network import client_address


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def proxies(settings):
    def trust(count):
        settings.TRUSTED_PROXIES = count

    return trust


def test_without_trusted_proxies_the_header_is_ignored(proxies):
    proxies(0)
    assert client_address(request_from("203.0.113.7", "127.0.0.1")) == "203.0.113.7"


def test_behind_one_proxy_the_hop_it_added_is_the_client(proxies):
    proxies(1)
    # The client forged "127.0.0.1"; our proxy (10.0.0.2) appended the address it saw.
    request = request_from("10.0.0.2", "127.0.0.1, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_behind_two_proxies_the_outer_proxys_hop_is_the_client(proxies):
    proxies(2)
    request = request_from("10.0.0.2", "1.1.1.1, 203.0.113.7, 10.0.0.1")
    assert client_address(request) == "203.0.113.7"


def test_a_request_that_skipped_the_proxy_is_its_own_sender(proxies):
    proxies(1)
    assert client_address(request_from("203.0.113.7")) == "203.0.113.7"


def test_a_garbage_hop_falls_back_to_the_sender(proxies):
    proxies(1)
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_ipv6_addresses_are_normalised(proxies):
    proxies(1)
    request = request_from("10.0.0.2", "2001:DB8:0:0::1")
    assert client_address(request) == "2001:db8::1"


def test_the_proxy_count_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "1")
    try:
        assert importlib.reload(config.settings).TRUSTED_PROXIES == 1
    finally:
        monkeypatch.delenv("DJANGO_TRUSTED_PROXIES")
        assert importlib.reload(config.settings).TRUSTED_PROXIES == 0


@pytest.mark.parametrize("trusted", [0, 1])
def test_an_ipv4_address_written_ipv6_mapped_is_that_ipv4_address(proxies, trusted):
    proxies(trusted)
    request = request_from("::ffff:203.0.113.7" if trusted == 0 else "10.0.0.2")
    if trusted:
        request.META["HTTP_X_FORWARDED_FOR"] = "::FFFF:203.0.113.7"
    assert client_address(request) == "203.0.113.7"


SECURE_SCRIPT = """
import django
django.setup()
from django.test import RequestFactory
print(RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https").is_secure())
"""


@pytest.mark.parametrize(("trusted", "secure"), [("0", "False"), ("1", "True")])
def test_x_forwarded_proto_is_believed_only_from_a_proxy_of_our_own(trusted, secure):
    """Production settings: with no proxy of ours, a client cannot pass for HTTPS."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "kinoteka.example",
        "DJANGO_TRUSTED_PROXIES": trusted,
    }
    result = subprocess.run(
        [sys.executable, "-c", SECURE_SCRIPT],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == secure
