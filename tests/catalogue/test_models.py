"""Integrity rules of the catalogue, in the form editors meet them and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import Film, Person, Verification
from tests.factories import (
    AwardFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FilmFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_year_outside_the_cinema_era_is_a_field_error():
    film = Film(title="Too early", slug="too-early", release_year=1700)
    with pytest.raises(ValidationError) as error:
        film.full_clean()
    assert "release_year" in error.value.message_dict


def test_year_outside_the_cinema_era_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Film.objects.create(title="Too late", slug="too-late", release_year=2200)


def test_empty_title_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        Film(title="", slug="untitled", release_year=1980).full_clean()
    assert "title" in error.value.message_dict


def test_empty_title_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Film.objects.create(title="", slug="untitled", release_year=1980)


def test_zero_runtime_is_refused():
    with pytest.raises(ValidationError) as error:
        Film(title="Short", slug="short", release_year=1980, runtime_minutes=0).full_clean()
    assert "runtime_minutes" in error.value.message_dict


def test_slug_is_unique():
    FilmFactory(slug="solaris")
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(slug="solaris")


def test_cyrillic_title_gets_a_latin_slug():
    film = Film.objects.create(title="Москва слезам не верит", release_year=1980)
    assert film.slug == "moskva-slezam-ne-verit"


def test_release_date_must_fall_in_release_year():
    import datetime

    film = Film(
        title="Dated", slug="dated", release_year=1980, release_date=datetime.date(1979, 2, 11)
    )
    with pytest.raises(ValidationError) as error:
        film.full_clean()
    assert "release_date" in error.value.message_dict


def test_duplicate_position_in_a_list_is_a_form_error():
    entry = CuratedListEntryFactory(position=1)
    duplicate = CuratedListEntryFactory.build(
        curated_list=entry.curated_list, film=FilmFactory(), position=1
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Another entry of this list already has that position." in str(error.value)


def test_duplicate_position_in_a_list_is_refused_by_the_database():
    entry = CuratedListEntryFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CuratedListEntryFactory(curated_list=entry.curated_list, position=1)


def test_same_film_twice_in_one_list_is_refused():
    entry = CuratedListEntryFactory(position=1)
    duplicate = CuratedListEntryFactory.build(
        curated_list=entry.curated_list, film=entry.film, position=2
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This film is already in the list." in str(error.value)


def test_a_film_may_be_in_several_lists():
    entry = CuratedListEntryFactory()
    CuratedListEntryFactory(film=entry.film, curated_list=CuratedListFactory())
    assert entry.film.list_entries.count() == 2


def test_published_list_needs_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        CuratedListFactory(published_at=None)


def test_deleting_a_person_with_credits_is_protected():
    credit = CreditFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        credit.person.delete()


def test_deleting_a_film_in_a_list_is_protected():
    entry = CuratedListEntryFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.film.delete()


def test_claims_start_unverified():
    assert FilmFactory().verification == Verification.UNVERIFIED
    assert AwardFactory().verification == Verification.UNVERIFIED


def test_readable_str():
    film = FilmFactory(title="Solaris", release_year=1972)
    person = PersonFactory(name="Andrei Tarkovsky")
    credit = CreditFactory(film=film, person=person)
    award = AwardFactory(film=film, category="Grand Prix", ceremony_year=1972)
    assert str(film) == "Solaris (1972)"
    assert str(person) == "Andrei Tarkovsky"
    assert str(credit) == "Andrei Tarkovsky – Director (Solaris)"
    assert "Grand Prix" in str(award) and "won" in str(award)


def test_natural_keys_round_trip():
    credit = CreditFactory(character="Katerina")
    assert credit.__class__.objects.get_by_natural_key(*credit.natural_key()) == credit
    award = AwardFactory()
    assert award.__class__.objects.get_by_natural_key(*award.natural_key()) == award
    person = Person.objects.get_by_natural_key(credit.person.slug)
    assert person == credit.person
