"""Production settings (DJANGO_DEBUG=false) pass Django's deployment checklist and send the
security headers over a real request. Each runs in a fresh interpreter, because settings are
read once from the environment at start-up.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "k9Vr2pQw7LmZ4xTb8NcY1sHd6JfGa3UeRo5WiKqPn0XyBvMtCl-_zA"  # 54 chars, test only


def production_env(tmp_path, **overrides):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="kinoteka.example",
        # Never the developer's or CI's real database.
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    environment.update(overrides)
    return environment


def run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_nothing(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        production_env(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_notices_a_weakened_setting(tmp_path):
    """The check above is live: switching the HTTPS redirect off is reported."""
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="false"),
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


# Requests through the whole middleware stack with production settings. The manifest static
# storage needs `collectstatic`, which is a deploy step, so plain static storage is swapped
# in for the admin login page only.
PROBE = r"""
import json
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings

client = Client()
results = {}
with override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}):
    login = client.get("/admin/login/", secure=True, headers={"host": "kinoteka.example"})
results["login"] = {
    "status": login.status_code,
    "headers": dict(login.headers),
    "csrf_cookie": {k: login.cookies["csrftoken"][k] for k in ("secure", "samesite")},
}
plain = client.get("/admin/login/", headers={"host": "kinoteka.example"})
results["plain_http"] = {"status": plain.status_code, "location": plain.get("Location")}
from django.conf import settings
results["settings"] = {
    name: getattr(settings, name)
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                 "SECURE_HSTS_SECONDS", "DEBUG")
}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    env = production_env(tmp_path_factory.mktemp("production"))
    result = run([sys.executable, "-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_and_the_security_headers(probe):
    login = probe["login"]
    headers = login["headers"]

    assert login["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "'nonce-" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_production_cookies_are_secure(probe):
    results = probe

    assert results["login"]["csrf_cookie"]["secure"] is True
    assert results["login"]["csrf_cookie"]["samesite"] == "Lax"
    assert results["settings"]["SESSION_COOKIE_SECURE"] is True
    assert results["settings"]["SESSION_COOKIE_HTTPONLY"] is True
    assert results["settings"]["CSRF_COOKIE_SECURE"] is True
    assert results["settings"]["DEBUG"] is False


def test_production_redirects_plain_http_to_https(probe):
    plain = probe["plain_http"]

    assert plain["status"] == 301
    assert plain["location"] == "https://kinoteka.example/admin/login/"
