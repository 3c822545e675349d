"""Which list texts have a column per language (django-modeltranslation). A list stays in the
language it was written in until an editor adds a translation: the missing one falls back.
The historical models are registered too, so every version keeps both languages."""

from modeltranslation.translator import TranslationOptions, register

from lists.models import CuratedList, CuratedListEntry


@register([CuratedList, CuratedList.history.model])
class CuratedListTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register([CuratedListEntry, CuratedListEntry.history.model])
class CuratedListEntryTranslation(TranslationOptions):
    fields = ("blurb", "fact")
