"""factory_boy factories: arrange tests with these, not with the seed fixtures."""

import factory
from django.utils import timezone

from catalogue.models import (
    Award,
    AwardOutcome,
    Country,
    Credit,
    CreditRole,
    Fact,
    Film,
    FilmLocation,
    FilmTitle,
    Genre,
    LocationKind,
    Organisation,
    Person,
    Place,
    Source,
)
from lists.models import CuratedList, CuratedListEntry


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.CURATED_LIST


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "SU"
    name = "Soviet Union"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("slug",)

    name = "Drama"
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.AWARD_BODY


class StudioFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.Sequence(lambda n: f"studio-{n}")
    kind = Organisation.Kind.STUDIO


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film

    title = factory.Sequence(lambda n: f"Film {n}")
    slug = factory.Sequence(lambda n: f"film-{n}")
    release_year = 1975


class FilmTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilmTitle

    film = factory.SubFactory(FilmFactory)
    title = factory.Sequence(lambda n: f"Alternative title {n}")
    kind = FilmTitle.Kind.VARIANT


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    film = factory.SubFactory(FilmFactory)
    person = factory.SubFactory(PersonFactory)
    role = CreditRole.DIRECTOR


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    organisation = factory.SubFactory(OrganisationFactory)
    category = "Best Film"
    ceremony_year = 1981
    film = factory.SubFactory(FilmFactory)
    outcome = AwardOutcome.WON


class FilmLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilmLocation

    film = factory.SubFactory(FilmFactory)
    place = factory.SubFactory(PlaceFactory)
    kind = LocationKind.SETTING


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    film = factory.SubFactory(FilmFactory)
    key = factory.Sequence(lambda n: f"fact-{n}")
    text = factory.Sequence(lambda n: f"Fact number {n} about the film.")


class CuratedListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratedList

    title = factory.Sequence(lambda n: f"Curated list {n}")
    slug = factory.Sequence(lambda n: f"curated-list-{n}")
    status = CuratedList.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class DraftListFactory(CuratedListFactory):
    status = CuratedList.Status.DRAFT
    published_at = None


class CuratedListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratedListEntry

    curated_list = factory.SubFactory(CuratedListFactory)
    film = factory.SubFactory(FilmFactory)
    position = factory.Sequence(lambda n: n + 1)
    blurb = "A blurb."
    fact = "A fact."
