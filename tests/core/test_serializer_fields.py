"""A model serializer reads its model's fields once per class: every instance after the first
gets copies, bound to itself, and validates its own data."""

import pytest
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
    """Counts the fields built from the model, starting with none built for the class."""
    core_serializers._fields_built.pop(FilmTitleSerializer, None)
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
