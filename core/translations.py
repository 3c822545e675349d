"""Texts of the data kept in both languages (django-modeltranslation: `name_en` and `name_ru`
beside `name`, registered in each app's translation.py). One place decides which column a
reader sees, the language it is in, and which columns a name may be matched by.

The model attribute (`genre.name`) already reads the reader's language with the other as a
fallback; these helpers do the same for SQL (facet labels, JSON rows) and tell templates which
language the text shown is really in, so an untranslated text keeps its own `lang`.
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation import manager as mt_manager
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from core.languages import Name


def reading_order(language=None):
    """The languages a translated text is looked for in: the reader's, then the fallbacks."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return resolution_order(language, mt_settings.FALLBACK_LANGUAGES)


def translated_columns(field):
    """Every language's column of a translated `field` ("name" → name_en, name_ru): what a
    name is matched by, whatever the reader's language."""
    return [
        build_localized_fieldname(field, language) for language in mt_settings.AVAILABLE_LANGUAGES
    ]


def translated_sql(path, language=None):
    """SQL for the text at `path` ("genre__name") as a reader of `language` (default: the
    active one) sees it: their column, else the fallback's, else the untranslated column."""
    columns = [
        NullIf(F(build_localized_fieldname(path, code)), Value(""))
        for code in reading_order(language)
    ]
    return Coalesce(*columns, F(path), output_field=TextField())


def translated_text(obj, field, language=None):
    """The text of `obj.field` a reader of `language` sees, and the language it is in (a list
    written in English, not yet translated, is English on a Russian page)."""
    for code in reading_order(language):
        text = getattr(obj, build_localized_fieldname(field, code), None)
        if text:
            return Name(text, code)
    return Name(obj.__dict__.get(field) or "", "")


def translated_fields(model):
    """The names of `model`'s translated fields (none if it has none)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def name_columns(model, names):
    """`names` (fields a row may be named by) with each translated one widened to its column
    in every language, so "Драма" and "Drama" find the same genre on any page."""
    translated = translated_fields(model)
    columns = []
    for name in names:
        columns += translated_columns(name) if name in translated else [name]
    return columns


def as_written(queryset):
    """`queryset` without modeltranslation's rewriting of field names. Its values() selects
    columns as a set, in no fixed order, which mixes the columns of a UNION, and values() of
    expressions only selects (and groups by) every column: a query that names its columns
    itself (a change feed, a search over two tables, a facet's grouped counts) opts out."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def versions_keep_every_language():
    """Make a version's `instance` (what simple-history's revert form edits) carry each
    language's column as the version stored it. Built from the plain field, the model's
    constructor would put the reader's text (or its fallback) into the reader's language's
    column, so a revert would swap or erase translations."""
    for model in translator.get_registered_models(abstract=False):
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history is None:
            continue
        version_model = getattr(model, history).model
        columns = [
            column
            for field in sorted(translated_fields(model))
            for column in translated_columns(field)
        ]
        version_model.instance = property(
            _instance_with_columns(version_model.instance.fget, columns)
        )


def _instance_with_columns(build_instance, columns):
    def instance(version):
        restored = build_instance(version)
        for column in columns:
            setattr(restored, column, getattr(version, column))
        return restored

    return instance


def reuse_multilingual_queryset_classes():
    """Make modeltranslation build its queryset subclass once per queryset class, not at every
    `Model.objects` call: a listing makes dozens of querysets, and a new class each time was
    about 3 ms of a page's CPU (and garbage for the collector)."""
    factory = mt_manager.multilingual_queryset_factory
    if getattr(factory, "reuses_classes", False):
        return
    classes = {}

    def reusing_factory(old_cls, instantiate=True):
        if old_cls not in classes:
            classes[old_cls] = factory(old_cls, instantiate=False)
        return classes[old_cls]() if instantiate else classes[old_cls]

    reusing_factory.reuses_classes = True
    mt_manager.multilingual_queryset_factory = reusing_factory
