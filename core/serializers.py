"""What every API serializer shares: model serializers whose fields are built once, and the
validation every write runs (the model's own rules, before anything is written)."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.models import unique_slug

# The fields each model serializer class builds from its model, by class and language.
_fields_built = {}


class FieldsOnceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that builds its fields from its model once per class and language,
    not once per instance. A film detail nests seven serializers, and reading their models'
    fields again on every request was most of its serializing time. Each instance gets deep
    copies, as DRF gives every instance copies of its declared fields. The fields depend on the
    class (Meta, the model, declared fields) and on the language, in which DRF words a
    uniqueness message and decides whether a label is needed; never on the instance, its data
    or its context."""

    def get_fields(self):
        key = (type(self), translation.get_language())
        try:
            fields = _fields_built[key]
        except KeyError:
            fields = _fields_built[key] = super().get_fields()
        return copy.deepcopy(fields)


class ModelCleanMixin:
    """Runs the model's own validation (constraints included) before anything is written.

    A payload that would break a check or unique constraint becomes a 400 with field errors
    instead of an IntegrityError.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        slug_source = getattr(model, "slug_source_field", None)
        if self.instance is None and slug_source and not attrs.get("slug"):
            attrs["slug"] = unique_slug(model, attrs.get(slug_source, ""))
        plain = {
            key: value
            for key, value in attrs.items()
            if not model._meta.get_field(key).many_to_many
        }
        if self.instance is not None:
            candidate = model(**{**self.model_values(self.instance), **plain})
            candidate.pk = self.instance.pk
            candidate._state.adding = False
        else:
            candidate = model(**self.defaults(), **plain)
        try:
            candidate.full_clean(exclude=self.clean_exclude())
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.field_errors(error)) from error
        return attrs

    def model_values(self, instance):
        return {
            field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
        }

    def defaults(self):
        """Values the view sets on save (e.g. the parent list); they take part in validation."""
        return self.context.get("save_defaults", {})

    def clean_exclude(self):
        return []

    def field_errors(self, error):
        errors = {}
        for field, messages in error.message_dict.items():
            name = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
            if name not in self.fields and name != api_settings.NON_FIELD_ERRORS_KEY:
                name = api_settings.NON_FIELD_ERRORS_KEY
            errors.setdefault(name, []).extend(messages)
        return errors
