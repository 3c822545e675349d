"""A model serializer reads its model's fields once per class and language: every instance
after the first gets copies, bound to itself, validates its own data, and speaks its reader's
language."""

import pytest
from django.utils import translation
from rest_framework import serializers

from catalogue.models import Film
from core import serializers as core_serializers
from core.serializers import FieldsOnceModelSerializer


class FilmTitleSerializer(FieldsOnceModelSerializer):
    class Meta:
        model = Film
        fields = ["title", "release_year"]


@pytest.fixture
def built_fields(monkeypatch):
    """Counts the fields built from the model, starting with none built."""
    monkeypatch.setattr(core_serializers, "_fields_built", {})
    built = []
    build_field = serializers.ModelSerializer.build_field

    def counting(self, *args, **kwargs):
        built.append(args[0])
        return build_field(self, *args, **kwargs)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counting)
    return built


def test_the_model_is_read_once_per_class(built_fields):
    for _ in range(3):
        assert set(FilmTitleSerializer().fields) == {"title", "release_year"}
    assert sorted(built_fields) == ["release_year", "title"]


def test_each_instance_gets_its_own_fields(built_fields):
    first, second = FilmTitleSerializer(), FilmTitleSerializer()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first
    assert second.fields["title"].parent is second


def test_each_instance_validates_its_own_data(built_fields):
    valid = FilmTitleSerializer(data={"title": "Stalker", "release_year": 1979})
    invalid = FilmTitleSerializer(data={"title": "", "release_year": "late"})
    assert valid.is_valid(), valid.errors
    assert not invalid.is_valid()
    assert set(invalid.errors) == {"title", "release_year"}
    assert valid.validated_data == {"title": "Stalker", "release_year": 1979}


def test_each_language_is_read_apart(built_fields):
    assert FilmTitleSerializer().fields["title"].label == "Title"
    with translation.override("ru"):
        assert FilmTitleSerializer().fields["title"].label == "Название"
    assert FilmTitleSerializer().fields["title"].label == "Title"
    assert sorted(built_fields) == ["release_year", "release_year", "title", "title"]


# --- Through the API: an English reader first, then a Russian one -------------------------


def test_a_duplicate_is_refused_in_the_readers_language(built_fields, editor_api):
    """DRF words a uniqueness message when it builds the field."""
    film = {"title": "Stalker", "release_year": 1979, "imdb_id": "tt0079944"}
    assert editor_api.post("/api/v1/films/", film, format="json").status_code == 201
    again = {**film, "title": "Again"}
    assert editor_api.post("/api/v1/films/", again, format="json").status_code == 400
    russian = editor_api.post("/api/v1/films/?language=ru", again, format="json")
    [error] = russian.json()["errors"]
    assert (error["attr"], error["detail"]) == (
        "imdb_id",
        "фильм с таким ID в IMDb уже существует.",
    )


def test_the_form_labels_are_in_the_readers_language(built_fields, editor_api):
    editor_api.options("/api/v1/lists/")
    russian = editor_api.options("/api/v1/lists/?language=ru").json()
    assert russian["actions"]["POST"]["title"]["label"] == "Название"
