"""The film page as a place to go on from: related films, links to other databases, and
its neighbours in the list the reader came from."""

import re

import pytest

from catalogue.models import AdaptedWork, CreditRole, LocationKind, Verification
from ops import query_budgets as budget
from pages.views import RELATED_PER_KIND
from tests.factories import (
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
    FilmLocationFactory,
    PersonFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db


def main_html(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def related_html(response):
    html = main_html(response)
    return html[html.index('id="related-heading"') :]


@pytest.fixture
def moscow_tears():
    """A 1980 Soviet film by Menshov, set in Moscow, in one published list."""
    film = FilmFactory(title="Moscow Does Not Believe in Tears", release_year=1980)
    menshov = PersonFactory(name="Vladimir Menshov")
    CreditFactory(film=film, person=menshov, role=CreditRole.DIRECTOR)
    film.countries.add(CountryFactory(code="SU", name="Soviet Union"))
    FilmLocationFactory(film=film, place=PlaceFactory(name="Moscow"), kind=LocationKind.SETTING)
    CuratedListEntryFactory(curated_list=CuratedListFactory(title="Love"), film=film, position=1)
    return film


def relate(film, count, *, director=False, setting=False, in_list=False, decade=False):
    """`count` films related to `film` in the given ways (and no other)."""
    films = []
    for _ in range(count):
        other = FilmFactory(release_year=1985 if decade else 1950)
        if director:
            person = film.credits.get(role=CreditRole.DIRECTOR).person
            CreditFactory(film=other, person=person, role=CreditRole.DIRECTOR)
        if setting:
            place = film.locations.get().place
            FilmLocationFactory(film=other, place=place, kind=LocationKind.SETTING)
        if in_list:
            CuratedListEntryFactory(curated_list=film.list_entries.get().curated_list, film=other)
        if decade:
            other.countries.add(film.countries.get())
        films.append(other)
    return films


def test_film_page_shows_films_by_the_same_director(client, moscow_tears):
    (other,) = relate(moscow_tears, 1, director=True)

    html = related_html(client.get(moscow_tears.get_absolute_url()))

    assert "More by Vladimir Menshov" in html
    assert f'<a href="{other.get_absolute_url()}">{other.title}</a>' in html


def test_related_films_lead_with_their_directors_russian_names_on_a_russian_page(client):
    film = FilmFactory(slug="garage")
    ryazanov = PersonFactory(name="Eldar Ryazanov", native_name="Эльдар Рязанов")
    CreditFactory(film=film, person=ryazanov, role=CreditRole.DIRECTOR)
    CreditFactory(film=FilmFactory(release_year=1975), person=ryazanov, role=CreditRole.DIRECTOR)

    russian = related_html(client.get("/ru/films/garage/"))
    english = related_html(client.get("/films/garage/"))

    assert '<span class="muted">Эльдар Рязанов</span>' in russian
    assert "Eldar Ryazanov" not in russian
    assert '<span class="muted">Eldar Ryazanov</span>' in english


def test_the_author_of_an_adapted_work_leads_with_their_russian_name_on_a_russian_page(client):
    film = FilmFactory(slug="the-stationmaster")
    pushkin = PersonFactory(name="Alexander Pushkin", native_name="Александр Пушкин")
    AdaptedWork.objects.create(film=film, title="The Stationmaster", author=pushkin)

    russian = main_html(client.get("/ru/films/the-stationmaster/"))
    english = main_html(client.get("/films/the-stationmaster/"))

    assert ">Александр Пушкин</a>" in russian and "Alexander Pushkin" not in russian
    assert ">Alexander Pushkin</a>" in english


@pytest.mark.parametrize(
    ("way", "heading"),
    [
        ("setting", "Also set in Moscow"),
        ("in_list", "In the same lists"),
        ("decade", "Also from the 1980s, Soviet Union"),
    ],
)
def test_film_page_shows_films_related_each_way(client, moscow_tears, way, heading):
    (other,) = relate(moscow_tears, 1, **{way: True})

    html = related_html(client.get(moscow_tears.get_absolute_url()))

    assert heading in html and other.title in html


def test_a_related_film_is_shown_once_under_the_first_way_it_relates(client, moscow_tears):
    relate(moscow_tears, 1, director=True, setting=True)

    html = related_html(client.get(moscow_tears.get_absolute_url()))

    assert "More by Vladimir Menshov" in html
    assert "Also set in Moscow" not in html


def test_related_films_are_a_few_of_each_kind(client, moscow_tears):
    relate(moscow_tears, RELATED_PER_KIND + 3, setting=True)

    html = related_html(client.get(moscow_tears.get_absolute_url()))

    assert html.count("<li>") == RELATED_PER_KIND


def test_films_in_a_draft_list_are_not_related_for_visitors(client, moscow_tears):
    other = FilmFactory(title="Secret neighbour")
    draft = DraftListFactory()
    CuratedListEntryFactory(curated_list=draft, film=moscow_tears)
    CuratedListEntryFactory(curated_list=draft, film=other)

    html = main_html(client.get(moscow_tears.get_absolute_url()))

    assert "Secret neighbour" not in html


def test_a_related_doubtful_film_carries_its_badge(client, moscow_tears):
    (other,) = relate(moscow_tears, 1, director=True)
    other.verification = Verification.UNVERIFIED
    other.save()

    html = related_html(client.get(moscow_tears.get_absolute_url()))

    assert "Unverified film" in html


@pytest.mark.parametrize("count", [1, 8])
def test_film_page_query_count_is_constant_in_related_films(
    client, django_assert_num_queries, moscow_tears, count
):
    relate(moscow_tears, count, director=True, setting=True, in_list=True, decade=True)
    relate(moscow_tears, count, in_list=True)
    relate(moscow_tears, count, decade=True)

    with django_assert_num_queries(budget.FILM_PAGE):
        response = client.get(moscow_tears.get_absolute_url())

    assert "More by Vladimir Menshov" in response.content.decode()


def test_film_page_links_to_imdb_kinopoisk_wikipedia_wikidata_and_letterboxd(client):
    film = FilmFactory(imdb_id="tt0079579", kinopoisk_id=44926, wikidata_id="Q1151155")

    html = main_html(client.get(film.get_absolute_url()))

    links = dict(re.findall(r'<a href="([^"]+)" rel="noopener">([^<]+)</a>', html))
    assert links == {
        "https://www.imdb.com/title/tt0079579/": "IMDb",
        "https://www.kinopoisk.ru/film/44926/": "Kinopoisk",
        "https://www.wikidata.org/wiki/Special:GoToLinkedPage/enwiki/Q1151155": "Wikipedia",
        "https://www.wikidata.org/wiki/Q1151155": "Wikidata",
        "https://letterboxd.com/imdb/tt0079579/": "Letterboxd",
    }


def test_film_page_without_identifiers_has_no_links_row(client):
    html = main_html(client.get(FilmFactory().get_absolute_url()))

    assert "Elsewhere" not in html


@pytest.fixture
def three_in_a_list():
    curated_list = CuratedListFactory(title="Moscow films", slug="moscow-films")
    films = [FilmFactory(title=f"Moscow film {number}") for number in (1, 2, 3)]
    # Positions with a gap: neighbours are the nearest entries, not position ± 1.
    for position, film in zip((1, 4, 9), films, strict=True):
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)
    return films


def test_film_page_from_a_list_links_to_the_previous_and_next_entries(client, three_in_a_list):
    first, middle, last = three_in_a_list

    html = main_html(client.get(middle.get_absolute_url(), {"list": "moscow-films"}))

    assert "Number 4 in" in html
    assert f'rel="prev" href="{first.get_absolute_url()}?list=moscow-films"' in html
    assert f'rel="next" href="{last.get_absolute_url()}?list=moscow-films"' in html


def test_the_first_entry_has_no_previous_one(client, three_in_a_list):
    html = main_html(client.get(three_in_a_list[0].get_absolute_url(), {"list": "moscow-films"}))

    assert 'rel="prev"' not in html and 'rel="next"' in html


@pytest.mark.parametrize("slug", ["not-a-list", "", "x" * 500, "'; drop table"])
def test_an_unknown_list_parameter_shows_the_plain_film_page(client, three_in_a_list, slug):
    response = client.get(three_in_a_list[1].get_absolute_url(), {"list": slug})

    assert response.status_code == 200
    assert "list-position" not in main_html(response)


def test_a_draft_list_gives_no_position_to_visitors(client):
    film = FilmFactory()
    CuratedListEntryFactory(curated_list=DraftListFactory(slug="draft"), film=film)

    html = main_html(client.get(film.get_absolute_url(), {"list": "draft"}))

    assert "list-position" not in html


@pytest.mark.parametrize("size", [3, 30])
def test_film_page_from_a_list_has_a_constant_query_count(client, django_assert_num_queries, size):
    curated_list = CuratedListFactory(slug="long-list")
    films = [FilmFactory() for _ in range(size)]
    for position, film in enumerate(films, start=1):
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)

    with django_assert_num_queries(budget.FILM_PAGE_FROM_LIST):
        response = client.get(films[1].get_absolute_url(), {"list": "long-list"})

    assert 'rel="next"' in response.content.decode()
