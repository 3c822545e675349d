"""Which catalogue texts have a column per language (django-modeltranslation): the names of
the reference rows people filter by, award categories, synopses and film facts. `name` reads
the reader's language and falls back to the other one; `name_en` and `name_ru` are the
columns.
Models with a history register their historical model too, so every version keeps both."""

from modeltranslation.translator import TranslationOptions, register

from catalogue.models import Award, Country, Fact, Film, Genre, Organisation, Place


@register(Country)
@register(Organisation)
@register(Place)
class NameTranslation(TranslationOptions):
    fields = ("name",)


@register(Genre)
class GenreTranslation(TranslationOptions):
    fields = ("name",)
    # Unset is NULL, not "": the name is unique in each language column, and NULLs never
    # collide, so genres without a Russian name yet can coexist.
    empty_values = {"name": None}


@register([Award, Award.history.model])
class AwardTranslation(TranslationOptions):
    fields = ("category",)
    # Unset is NULL, not "": the award's unique constraint is repeated per language column,
    # and NULLs never collide, so two categories without a Russian name can coexist.
    empty_values = {"category": None}


@register([Film, Film.history.model])
class FilmTranslation(TranslationOptions):
    fields = ("synopsis",)


@register([Fact, Fact.history.model])
class FactTranslation(TranslationOptions):
    fields = ("text",)
