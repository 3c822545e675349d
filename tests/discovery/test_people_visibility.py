"""A person is public unless every film they are tied to (credits, awards, adapted works) is
unpublished: someone known only through a list import's stubs tells a visitor nothing until
a film of theirs is published. Someone tied to no film at all is public; editors see everyone.
The rule is `Person.objects.known_through(films)`, the "who" `visible_people(user)`."""

from types import SimpleNamespace

import pytest

from catalogue.models import CreditRole, Film, Person
from catalogue.services import publish_films
from discovery.filters import BrowseFilmFilter
from discovery.search import search
from discovery.visibility import public_people, visible_people
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def stub():
    return f.FilmFactory(title="Stalker", slug="stalker", is_published=False)


@pytest.fixture
def kaidanovsky(stub):
    """Credited on the unpublished Stalker only."""
    person = f.PersonFactory(name="Alexander Kaidanovsky", slug="kaidanovsky")
    f.CreditFactory(film=stub, person=person, role=CreditRole.ACTOR)
    return person


def public_slugs():
    return set(public_people().values_list("slug", flat=True))


def test_a_person_credited_only_on_an_unpublished_film_is_hidden(kaidanovsky):
    assert "kaidanovsky" not in public_slugs()


def test_a_person_tied_to_no_film_is_public(db):
    f.PersonFactory(slug="nobody-yet")
    assert public_slugs() == {"nobody-yet"}


def test_one_published_film_makes_a_person_public(stub, kaidanovsky):
    f.CreditFactory(film=f.FilmFactory(slug="mirror"), person=kaidanovsky)
    assert public_slugs() == {"kaidanovsky"}


def test_an_award_for_an_unpublished_film_alone_hides_a_person(stub):
    f.AwardFactory(film=stub, person=f.PersonFactory(slug="awarded"))
    assert "awarded" not in public_slugs()


def test_an_award_for_a_published_film_makes_a_person_public(stub, kaidanovsky):
    f.AwardFactory(film=f.FilmFactory(), person=kaidanovsky)
    assert public_slugs() == {"kaidanovsky"}


def test_the_author_of_a_work_only_an_unpublished_film_adapts_is_hidden(stub):
    author = f.PersonFactory(slug="strugatsky")
    stub.adapted_works.create(title="Roadside Picnic", author=author)
    assert "strugatsky" not in public_slugs()


def test_many_published_ties_list_a_person_once(kaidanovsky):
    for _ in range(3):
        film = f.FilmFactory()
        f.CreditFactory(film=film, person=kaidanovsky)
        f.AwardFactory(film=film, person=kaidanovsky)
    assert list(public_people().values_list("slug", flat=True)) == ["kaidanovsky"]


def test_editors_see_everyone(editor, kaidanovsky):
    assert list(visible_people(editor)) == [kaidanovsky]
    assert list(visible_people(None)) == []


def test_publishing_the_film_makes_the_person_public(stub, kaidanovsky):
    publish_films([stub])
    assert public_slugs() == {"kaidanovsky"}


def test_the_rule_narrows_any_set_of_films(stub, kaidanovsky):
    assert Person.objects.known_through(Film.objects.all()).get() == kaidanovsky
    assert not Person.objects.known_through(Film.objects.none()).exists()


def test_the_search_finds_a_hidden_person_for_editors_only(editor, kaidanovsky):
    assert search("Kaidanovsky").people == []
    assert search("Kaidanovsky", user=editor).people == [kaidanovsky]


def test_the_search_finds_the_person_once_the_film_is_published(stub, kaidanovsky):
    publish_films([stub])
    assert search("Kaidanovsky").people == [kaidanovsky]


def browse_errors(user, field, value):
    """The browse page's errors for `field`=`value`, as `user` (None: a visitor) reads it."""
    films = BrowseFilmFilter(
        {field: value}, queryset=Film.objects.all(), request=SimpleNamespace(user=user)
    )
    return films.errors


@pytest.mark.parametrize("field", ["person", "director", "actor"])
def test_the_person_filters_do_not_know_a_hidden_person_for_visitors(editor, kaidanovsky, field):
    assert field in browse_errors(None, field, "kaidanovsky")
    assert browse_errors(editor, field, "kaidanovsky") == {}
