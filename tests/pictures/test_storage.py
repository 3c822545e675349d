"""Pictures stored through Django's STORAGES: the file system by default, and any
S3-compatible bucket through django-storages, tested against moto's S3 server."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.cache import cache
from moto.server import ThreadedMotoServer

from pictures.choices import Licence, PictureKind
from pictures.display import shown_picture
from pictures.posters import generated_film_poster
from pictures.services import add_picture
from tests.factories import FilmFactory
from tests.pictures.conftest import image_bytes, upload

BUCKET = "kinoteka-media"
PROJECT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 API on a free local port, for this module's tests."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """The default storage is a fresh bucket on the moto server, as settings.py configures
    it when KINOTEKA_MEDIA_BUCKET is set."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "querystring_auth": False,
                "custom_domain": "media.kinoteka.test",
                "file_overwrite": True,
            },
        },
    }
    cache.clear()
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def bucket_keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_a_poster_and_its_renditions_go_to_the_bucket(s3_media, stored_files):
    film = FilmFactory()
    poster = add_picture(
        film,
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="Poster",
        licence=Licence.PUBLIC_DOMAIN,
    )
    keys = bucket_keys(s3_media)
    assert poster.file.name in keys
    assert {r["name"] for r in poster.renditions} <= set(keys)
    assert stored_files() == []  # nothing on this machine's disk
    shown = shown_picture(poster, "card")
    assert shown.fallback_src.startswith("https://media.kinoteka.test/pictures/renditions/")


@pytest.mark.django_db
def test_a_generated_poster_is_stored_once_in_the_bucket(s3_media):
    film = FilmFactory(title="Stalker", release_year=1979)
    first = generated_film_poster(film)
    cache.clear()  # another web machine, same bucket
    assert generated_film_poster(film) == first
    assert bucket_keys(s3_media) == [first.name]
    body = s3_media.get_object(Bucket=BUCKET, Key=first.name)
    assert body["ContentType"] == "image/svg+xml"


@pytest.mark.django_db
def test_files_go_to_the_file_system_without_a_bucket(stored_files):
    poster = add_picture(
        FilmFactory(),
        upload(image_bytes()),
        kind=PictureKind.POSTER,
        alt_text="Poster",
        licence=Licence.PUBLIC_DOMAIN,
    )
    assert poster.file.name in stored_files()


def load_settings(**env):
    """Settings as a new process reads them from the environment."""
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.STORAGES['default']['BACKEND']); print(settings.MEDIA_URL);"
        "print(' '.join(settings.SECURE_CSP['img-src']))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    environment.pop("KINOTEKA_MEDIA_BUCKET", None) if "KINOTEKA_MEDIA_BUCKET" not in env else None
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environment, capture_output=True, text=True
    )


def test_a_bucket_in_the_environment_selects_s3_and_allows_its_host_in_the_csp():
    result = load_settings(
        KINOTEKA_MEDIA_BUCKET="kinoteka", KINOTEKA_MEDIA_URL="https://media.example.org/"
    )
    backend, media_url, img_src = result.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert media_url == "https://media.example.org/"
    assert "https://media.example.org" in img_src.split()


def test_a_bucket_without_its_url_is_a_clear_error():
    result = load_settings(KINOTEKA_MEDIA_BUCKET="kinoteka")
    assert result.returncode != 0
    assert "KINOTEKA_MEDIA_URL is required" in result.stderr
