"""Every response carries the security headers, and every page obeys its own
Content-Security-Policy: no 'unsafe-inline', inline code only with the per-request nonce.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import (
    AwardFactory,
    CreditFactory,
    CuratedListEntryFactory,
    FactFactory,
)
from tests.security.csp import csp_violations, header_nonce, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_entry():
    entry = CuratedListEntryFactory(blurb="A quiet masterpiece.")
    CreditFactory(film=entry.film)
    AwardFactory(film=entry.film)
    FactFactory(film=entry.film)
    return entry


def public_pages(entry):
    credit = entry.film.credits.first()
    return [
        reverse("lists:home"),
        reverse("lists:list-index"),
        entry.curated_list.get_absolute_url(),
        reverse("catalogue:film-browse"),
        entry.film.get_absolute_url(),
        credit.person.get_absolute_url(),
        reverse("catalogue:award-index"),
        reverse("catalogue:search") + "?q=film",
    ]


def test_security_headers_on_a_public_page_the_admin_and_the_health_check(client, published_entry):
    for url in [reverse("lists:home"), reverse("admin:login"), reverse("healthz")]:
        response = client.get(url)

        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert "Content-Security-Policy" in response, url


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(reverse("healthz"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_policy_allows_nothing_inline_and_nothing_foreign(client):
    directives = policy(client.get(reverse("admin:login")))

    for directive in ("script-src", "style-src"):
        assert directives[directive][0] == "'self'"
        assert directives[directive][1].startswith("'nonce-")
        assert len(directives[directive]) == 2, directives[directive]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = client.get(reverse("admin:login"))["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_the_nonce_in_the_page_is_the_one_in_the_header_and_new_each_time(client):
    first = client.get(reverse("admin:login"))
    second = client.get(reverse("admin:login"))

    nonce = header_nonce(first)
    assert nonce and len(nonce) >= 16
    assert f'nonce="{nonce}"' in first.content.decode()
    assert header_nonce(second) != nonce


def test_public_pages_obey_their_policy(client, published_entry):
    for url in public_pages(published_entry):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert csp_violations(response) == [], url


def test_json_ld_carries_the_nonce(client, published_entry):
    response = client.get(published_entry.curated_list.get_absolute_url())
    body = response.content.decode()

    assert 'type="application/ld+json"' in body
    assert f'type="application/ld+json" nonce="{header_nonce(response)}"' in body


def admin_pages():
    """Index, and every registered model's changelist and (where the admin allows) add page."""
    request = RequestFactory().get("/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)  # unsaved: no DB
    pages = ["admin:index"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            pages.append("admin:{}_{}_add".format(*info))
    return pages


@pytest.mark.parametrize("name", admin_pages())
def test_admin_pages_obey_their_policy(client, superuser, name):
    client.force_login(superuser)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert csp_violations(response) == []
