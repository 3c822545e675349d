"""The catalogue's query vocabulary: views, API, admin and search all use these."""

from django.db import models
from django.db.models import Prefetch


class SlugQuerySet(models.QuerySet):
    """Rows identified by a unique slug, which is also their natural key in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SearchableQuerySet(SlugQuerySet):
    """Rows with a `search_text`; matching and ranking live in catalogue.search."""

    def search(self, query):
        from catalogue.search import filter_queryset

        return filter_queryset(self, query)


class SourceQuerySet(SlugQuerySet):
    pass


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class FilmQuerySet(SearchableQuerySet):
    def in_decade(self, decade):
        """Films released in the decade starting at `decade` (e.g. 1970)."""
        return self.filter(release_year__gte=decade, release_year__lt=decade + 10)

    def with_verification(self, status):
        return self.filter(verification=status)

    def with_directors(self):
        from catalogue.models import Credit, CreditRole

        return self.prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.filter(role=CreditRole.DIRECTOR).select_related("person"),
                to_attr="director_credits",
            )
        )

    def for_cards(self):
        """What a film card shows: titles, year, directors, countries."""
        return self.with_directors().prefetch_related("countries")


class PersonQuerySet(SearchableQuerySet):
    pass


class CreditQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, person_slug, role, character):
        return self.get(
            film__slug=film_slug, person__slug=person_slug, role=role, character=character
        )

    def directors(self):
        from catalogue.models import CreditRole

        return self.filter(role=CreditRole.DIRECTOR)


class AwardQuerySet(models.QuerySet):
    def get_by_natural_key(self, organisation_slug, category, ceremony_year, film_slug, person_slug):
        # An award to the film itself (no person) has None as its last key part.
        person = {"person__slug": person_slug} if person_slug else {"person__isnull": True}
        return self.get(
            organisation__slug=organisation_slug,
            category=category,
            ceremony_year=ceremony_year,
            film__slug=film_slug,
            **person,
        )

    def won(self):
        from catalogue.models import AwardOutcome

        return self.filter(outcome=AwardOutcome.WON)

    def nominated(self):
        from catalogue.models import AwardOutcome

        return self.filter(outcome=AwardOutcome.NOMINATED)


class FilmTitleQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, title, kind):
        return self.get(film__slug=film_slug, title=title, kind=kind)


class FilmLocationQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, place_slug, kind, period):
        return self.get(film__slug=film_slug, place__slug=place_slug, kind=kind, period=period)

    def settings(self):
        from catalogue.models import LocationKind

        return self.filter(kind=LocationKind.SETTING)

    def filming(self):
        from catalogue.models import LocationKind

        return self.filter(kind=LocationKind.FILMING)


class AdaptedWorkQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, title):
        return self.get(film__slug=film_slug, title=title)


class FactQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, key):
        return self.get(film__slug=film_slug, key=key)

    def needing_review(self):
        from catalogue.models import Verification

        return self.exclude(verification=Verification.CONFIRMED)
