"""The public catalogue pages: film, person, awards, search, browse, and bad input."""

import json

import pytest
from django.urls import reverse

from catalogue.models import AdaptedWork, AwardOutcome, CreditRole, LocationKind, Verification
from ops import query_budgets as budget
from pages.views import AWARD_PAGE_SIZE
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    FilmLocationFactory,
    FilmTitleFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    StudioFactory,
)
from tests.helpers import json_ld

pytestmark = pytest.mark.django_db


def main_html(response):
    """The page's <main> element: what a reader sees, without the head's structured data."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def film_with_everything(size=1):
    """A film with `size` rows of every kind the film page shows."""
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        original_language="ru",
        release_year=1979,
        runtime_minutes=150,
        imdb_id="tt0079579",
        wikidata_id="Q1151155",
        tmdb_id=21028,
        kinopoisk_id=44926,
    )
    source = SourceFactory(title="The encyclopedia", url="https://example.com/encyclopedia")
    for index in range(size):
        film.countries.add(CountryFactory(code=f"C{index}", name=f"Country {index}"))
        film.genres.add(GenreFactory(name=f"Genre {index}"))
        film.studios.add(StudioFactory())
        FilmTitleFactory(film=film, title=f"Title variant {index}")
        CreditFactory(film=film, role=CreditRole.ACTOR, character=f"Character {index}")
        AwardFactory(film=film, person=PersonFactory(), category=f"Category {index}")
        FilmLocationFactory(film=film, place=PlaceFactory())
        AdaptedWork.objects.create(film=film, title=f"Novel {index}", author=PersonFactory())
        FactFactory(film=film).sources.add(source)
        CuratedListEntryFactory(film=film)
    return film


def test_film_page_shows_titles_and_details(client):
    film = film_with_everything()
    FilmTitleFactory(film=film, title="Moskva slezam ne verit", kind="romanization")

    html = client.get(film.get_absolute_url()).content.decode()

    assert "<h1>Moscow Does Not Believe in Tears" in html
    assert '<p class="original-title" lang="ru">Москва слезам не верит</p>' in html
    assert "Moskva slezam ne verit" in html
    assert "150 minutes" in html
    assert "Country 0" in html
    assert "Genre 0" in html


def test_film_page_groups_credits_by_role_with_characters(client):
    film = FilmFactory()
    CreditFactory(film=film, person__name="Vladimir Menshov", role=CreditRole.DIRECTOR)
    CreditFactory(
        film=film, person__name="Vera Alentova", role=CreditRole.ACTOR, character="Katerina"
    )

    html = main_html(client.get(film.get_absolute_url()))

    director_at = html.index("<h3>Director</h3>")
    actor_at = html.index("<h3>Actor</h3>")
    assert director_at < html.index("Vladimir Menshov") < actor_at
    assert actor_at < html.index("Vera Alentova")
    assert "as Katerina" in html


def test_film_page_groups_awards_by_ceremony_wins_first(client):
    film = FilmFactory()
    academy = OrganisationFactory(name="Academy Awards")
    AwardFactory(
        film=film,
        organisation=academy,
        ceremony_year=1981,
        ceremony_name="53rd Academy Awards",
        category="Best Foreign Film",
        outcome=AwardOutcome.WON,
    )
    AwardFactory(
        film=film,
        organisation=academy,
        ceremony_year=1981,
        ceremony_name="53rd Academy Awards",
        category="Best Actress",
        outcome=AwardOutcome.NOMINATED,
    )
    AwardFactory(
        film=film,
        organisation=OrganisationFactory(name="Berlin Film Festival"),
        ceremony_year=1980,
        category="Golden Bear",
        outcome=AwardOutcome.NOMINATED,
    )

    html = main_html(client.get(film.get_absolute_url()))

    assert html.index("53rd Academy Awards, 1981</a></h3>") < html.index("Best Foreign Film")
    assert html.index("Best Foreign Film") < html.index("Best Actress")
    assert html.index("Best Actress") < html.index("Berlin Film Festival 1980</a></h3>")
    assert html.index("Berlin Film Festival 1980</a></h3>") < html.index("Golden Bear")


def test_film_page_separates_where_it_is_set_from_where_it_was_filmed(client):
    film = FilmFactory()
    FilmLocationFactory(film=film, place__name="Moscow", kind=LocationKind.SETTING)
    FilmLocationFactory(film=film, place__name="Riga", kind=LocationKind.FILMING)

    html = main_html(client.get(film.get_absolute_url()))

    assert html.index("<h3>Set in</h3>") < html.index("Moscow</a>")
    assert html.index("Moscow</a>") < html.index("<h3>Filmed in</h3>")
    assert html.index("<h3>Filmed in</h3>") < html.index("Riga</a>")


def test_film_page_names_the_adapted_work(client):
    film = FilmFactory()
    author = PersonFactory(name="Mikhail Bulgakov")
    AdaptedWork.objects.create(
        film=film, title="Heart of a Dog", kind=AdaptedWork.Kind.NOVELLA, author=author
    )

    html = client.get(film.get_absolute_url()).content.decode()

    assert "Novella <cite>Heart of a Dog</cite>" in html
    assert f'<a href="{author.get_absolute_url()}">Mikhail Bulgakov</a>' in html


def test_fact_shows_its_source_and_verification(client):
    fact = FactFactory(text="Shot in 1978.", verification=Verification.CONFIRMED)
    fact.sources.add(SourceFactory(title="The encyclopedia", url="https://example.com/e"))

    html = client.get(fact.film.get_absolute_url()).content.decode()

    assert "<p>Shot in 1978.</p>" in html
    assert '<span class="badge badge--confirmed">Confirmed</span>' in html
    assert '<a href="https://example.com/e" rel="nofollow noopener">The encyclopedia</a>' in html


def test_disputed_fact_is_shown_with_its_correction_never_as_a_bare_fact(client):
    fact = FactFactory(
        text="It won two Oscars.",
        verification=Verification.DISPUTED,
        verification_note="It won one Oscar, for Best Foreign Language Film.",
    )

    html = client.get(fact.film.get_absolute_url()).content.decode()

    assert "<p>It won two Oscars.</p>" not in html
    assert '<span class="claim-label">A source claims:</span>' in html
    assert "<strong>Correction:</strong> It won one Oscar, for Best Foreign Language Film." in html


def test_film_page_lists_published_lists_but_not_drafts_for_visitors(client):
    film = FilmFactory()
    published = CuratedListEntryFactory(film=film, curated_list__title="Love stories")
    CuratedListEntryFactory(film=film, curated_list=DraftListFactory(title="Secret draft"))

    html = client.get(film.get_absolute_url()).content.decode()

    list_url = published.curated_list.get_absolute_url()
    assert f'<a href="{list_url}#entry-{published.position}">Love stories</a>' in html
    assert "Secret draft" not in html


def test_film_page_links_to_other_databases(client):
    film = film_with_everything()

    html = client.get(film.get_absolute_url()).content.decode()

    assert "https://www.imdb.com/title/tt0079579/" in html
    assert "https://www.themoviedb.org/movie/21028" in html
    assert "https://www.wikidata.org/wiki/Q1151155" in html
    assert "https://www.kinopoisk.ru/film/44926/" in html


def test_film_page_describes_the_film_as_a_movie(client):
    film = FilmFactory(title="Stalker", release_year=1979, runtime_minutes=161)
    CreditFactory(film=film, person__name="Andrei Tarkovsky", role=CreditRole.DIRECTOR)
    CreditFactory(
        film=film,
        person__name="Wrongly Credited",
        role=CreditRole.DIRECTOR,
        verification=Verification.DISPUTED,
    )

    data = json.loads(json_ld(client.get(film.get_absolute_url()).content.decode()))

    assert data["@type"] == "Movie"
    assert data["name"] == "Stalker"
    assert data["duration"] == "PT161M"
    assert [person["name"] for person in data["director"]] == ["Andrei Tarkovsky"]


def test_structured_data_names_the_film_and_people_as_the_russian_page_does(client):
    film = FilmFactory(
        title="Stalker", original_title="Сталкер", original_language="ru", release_year=1979
    )
    tarkovsky = PersonFactory(name="Andrei Tarkovsky", native_name="Андрей Тарковский")
    CreditFactory(film=film, person=tarkovsky, role=CreditRole.DIRECTOR)

    film_path, person_path = film.get_absolute_url(), tarkovsky.get_absolute_url()

    movie = json.loads(json_ld(client.get("/ru" + film_path).content.decode()))
    person = json.loads(json_ld(client.get("/ru" + person_path).content.decode()))
    english = json.loads(json_ld(client.get(film_path).content.decode()))

    assert movie["name"] == "Сталкер" and "Stalker" in movie["alternateName"]
    assert "Сталкер" not in movie["alternateName"]
    assert [director["name"] for director in movie["director"]] == ["Андрей Тарковский"]
    assert (person["name"], person["alternateName"]) == ("Андрей Тарковский", "Andrei Tarkovsky")
    assert english["name"] == "Stalker" and english["alternateName"] == ["Сталкер"]


@pytest.mark.parametrize("size", [1, 12])
def test_film_page_query_count_is_constant(client, django_assert_num_queries, size):
    film = film_with_everything(size)

    with django_assert_num_queries(budget.FILM_PAGE):
        response = client.get(film.get_absolute_url())

    assert main_html(response).count("Title variant") == size


def test_film_page_answers_a_conditional_get_with_304(client):
    film = film_with_everything()
    first = client.get(film.get_absolute_url())

    by_etag = client.get(film.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert by_etag.status_code == 304
    assert not first.has_header("Last-Modified")  # edits without a timestamp change the page


def test_renaming_an_award_category_changes_the_film_pages_etag(client):
    film = film_with_everything()
    award = film.awards.first()
    first = client.get(film.get_absolute_url())

    award.category = "A category renamed"
    award.save()
    again = client.get(film.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert b"A category renamed" in again.content


def test_a_new_fact_changes_the_film_pages_etag(client):
    film = FilmFactory()
    first = client.get(film.get_absolute_url())

    FactFactory(film=film, text="Something new.")
    again = client.get(film.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert b"Something new." in again.content


def test_unknown_film_slug_is_a_404_page(client):
    response = client.get(reverse("catalogue:film-detail", kwargs={"slug": "no-such-film"}))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_person_page_shows_credits_by_role_and_year_and_awards(client):
    person = PersonFactory(name="Vladimir Menshov", native_name="Владимир Меньшов")
    CreditFactory(person=person, film__title="Later film", film__release_year=1984)
    CreditFactory(person=person, film__title="Earlier film", film__release_year=1979)
    CreditFactory(
        person=person, film__title="Acted in", role=CreditRole.ACTOR, character="A doctor"
    )
    AwardFactory(person=person, category="Best Director", ceremony_year=1981)

    response = client.get(person.get_absolute_url())
    html = main_html(response)

    assert '<p class="original-title" lang="ru">Владимир Меньшов</p>' in html
    assert html.index("<h3>Director</h3>") < html.index("Earlier film")
    assert html.index("Earlier film") < html.index("Later film")
    assert html.index("Later film") < html.index("<h3>Actor</h3>") < html.index("as A doctor")
    assert "Best Director" in html
    assert json.loads(json_ld(response.content.decode()))["@type"] == "Person"


@pytest.mark.parametrize("size", [1, 15])
def test_person_page_query_count_is_constant(client, django_assert_num_queries, size):
    person = PersonFactory()
    for _ in range(size):
        CreditFactory(person=person)
        AwardFactory(person=person)
        AdaptedWork.objects.create(film=FilmFactory(), title="A novel", author=person)

    with django_assert_num_queries(budget.PERSON_PAGE):
        assert client.get(person.get_absolute_url()).status_code == 200


@pytest.fixture
def credits_two_a_page(monkeypatch):
    monkeypatch.setattr("pages.views.PERSON_CREDITS_PAGE_SIZE", 2)


def test_a_prolific_persons_films_come_a_page_at_a_time(client, credits_two_a_page):
    person = PersonFactory()
    for year in (1961, 1962, 1963):
        CreditFactory(person=person, film__title=f"Film of {year}", film__release_year=year)
    AwardFactory(person=person, category="Best Director")

    first = main_html(client.get(person.get_absolute_url()))
    second = main_html(client.get(person.get_absolute_url(), {"page": 2}))

    assert "Film of 1961" in first and "Film of 1962" in first
    assert "Film of 1963" not in first
    assert "Credits 1–2 of 3" in first and 'rel="next" href="?page=2"' in first
    assert "Film of 1963" in second and "Film of 1961" not in second
    assert "Credits 3–3 of 3" in second and 'rel="prev" href="?page=1"' in second
    assert "Best Director" in first and "Best Director" in second


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "1.5", "9" * 400, "٢"])
def test_a_page_of_films_the_person_does_not_have_is_a_404(client, credits_two_a_page, page):
    person = PersonFactory()
    for _ in range(3):
        CreditFactory(person=person)

    assert client.get(person.get_absolute_url(), {"page": page}).status_code == 404


def test_a_person_with_one_page_of_films_shows_no_pager(client):
    person = PersonFactory()
    CreditFactory(person=person)

    html = main_html(client.get(person.get_absolute_url()))

    assert 'class="pagination"' not in html and "Credits 1" not in html


def test_a_later_page_of_films_costs_the_first_pages_queries(
    client, django_assert_num_queries, credits_two_a_page
):
    person = PersonFactory()
    for _ in range(5):
        CreditFactory(person=person)
        AwardFactory(person=person)

    with django_assert_num_queries(budget.PERSON_PAGE):
        assert client.get(person.get_absolute_url(), {"page": 3}).status_code == 200


def test_unknown_person_slug_is_a_404_page(client):
    response = client.get(reverse("catalogue:person-detail", kwargs={"slug": "nobody"}))
    assert response.status_code == 404


def test_awards_index_groups_by_organisation_and_year(client):
    academy = OrganisationFactory(name="Academy Awards", slug="academy-awards")
    AwardFactory(organisation=academy, ceremony_year=1981, category="Best Foreign Film")
    AwardFactory(organisation=academy, ceremony_year=1975, category="Best Documentary")

    html = main_html(client.get(reverse("catalogue:award-index")))

    assert '<section id="academy-awards"' in html
    assert html.index("<h3>1981") < html.index("Best Foreign Film") < html.index("<h3>1975")


def test_awards_index_pages_through_a_large_catalogue(client, settings):
    academy = OrganisationFactory(name="Academy Awards", slug="academy-awards")
    for number in range(AWARD_PAGE_SIZE + 1):
        AwardFactory(
            organisation=academy, ceremony_year=1900 + number, category=f"Category {number}"
        )

    first = main_html(client.get(reverse("catalogue:award-index")))
    second = main_html(client.get(reverse("catalogue:award-index"), {"page": 2}))

    assert first.count('<li><strong class="outcome') == AWARD_PAGE_SIZE
    assert second.count('<li><strong class="outcome') == 1 and "Category 0 " in second
    assert 'rel="next"' in first


def test_awards_index_narrows_to_one_organisation(client):
    academy = OrganisationFactory(name="Academy Awards", slug="academy-awards")
    berlinale = OrganisationFactory(name="Berlin Film Festival", slug="berlinale")
    AwardFactory(organisation=academy, category="Best Foreign Film")
    AwardFactory(organisation=berlinale, category="Golden Bear")

    html = main_html(client.get(reverse("catalogue:award-index"), {"organisation": "berlinale"}))

    assert "Golden Bear" in html and "Best Foreign Film" not in html
    # Every organisation stays one click away, with its number of awards.
    assert 'href="/awards/?organisation=academy-awards#academy-awards"' in html
    assert 'aria-current="page">Berlin Film Festival</a> <span class="muted">1</span>' in html


def test_awards_index_explains_an_invalid_filter(client):
    AwardFactory(category="Golden Bear")
    response = client.get(reverse("catalogue:award-index"), {"year": "last year"})
    assert response.status_code == 200
    html = main_html(response)
    assert 'role="alert"' in html and "year" in html and "Golden Bear" not in html


@pytest.mark.parametrize("size", [2, 20])
def test_awards_index_query_count_is_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        AwardFactory(person=PersonFactory())
    with django_assert_num_queries(budget.AWARD_INDEX):
        assert client.get(reverse("catalogue:award-index")).status_code == 200


def test_search_page_finds_films_people_and_lists(client):
    FilmFactory(title="Moscow Does Not Believe in Tears")
    PersonFactory(name="Moscow Person")
    CuratedListEntryFactory(curated_list__title="Moscow films")

    html = client.get(reverse("catalogue:search"), {"q": "moscow"}).content.decode()

    assert "Moscow Does Not Believe in Tears" in html
    assert "Moscow Person" in html
    assert "Moscow films" in html


def test_search_page_says_when_nothing_matches(client):
    html = client.get(reverse("catalogue:search"), {"q": "zzzz"}).content.decode()
    assert "Nothing matches" in html


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "<script>", "%", "'; drop table"])
def test_search_page_survives_any_query(client, query):
    response = client.get(reverse("catalogue:search"), {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def count_queries(action):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("matches", [1, 15])
def test_search_page_adds_no_query_to_the_search_services(client, matches):
    """The search service owns its queries (and may add a typo-tolerant pass); the page
    renders its results without a query per result."""
    from django.contrib.auth.models import AnonymousUser

    from discovery.search import search

    for index in range(matches):
        FilmFactory(title=f"Moscow {index}", original_title=f"Москва {index}")
        PersonFactory(name=f"Moscow Person {index}")
        CuratedListEntryFactory(curated_list__title=f"Moscow list {index}")
    page = count_queries(lambda: client.get(reverse("catalogue:search"), {"q": "moscow"}))
    service = count_queries(lambda: search("moscow", user=AnonymousUser()))

    assert page == service <= budget.MAX_PAGE


def test_browse_filters_by_decade(client):
    FilmFactory(title="A seventies film", release_year=1975)
    FilmFactory(title="An eighties film", release_year=1984)

    html = client.get(reverse("catalogue:film-browse"), {"decade": "1970"}).content.decode()

    assert "A seventies film" in html
    assert "An eighties film" not in html


def test_browse_filters_by_country_genre_and_setting(client):
    moscow = PlaceFactory(slug="moscow")
    film = FilmFactory(title="The one")
    film.countries.add(CountryFactory())
    film.genres.add(GenreFactory(name="Comedy"))
    FilmLocationFactory(film=film, place=moscow, kind=LocationKind.SETTING)
    FilmFactory(title="The other")

    html = client.get(
        reverse("catalogue:film-browse"), {"country": "su", "genre": "comedy", "setting": "moscow"}
    ).content.decode()

    assert "The one" in html
    assert "The other" not in html


def test_bad_decade_shows_a_form_error_not_a_500(client):
    FilmFactory(title="Any film")

    response = client.get(reverse("catalogue:film-browse"), {"decade": "abc"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field-errors"' in html
    assert "Any film" not in html


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999", "1e9", ""])
def test_browse_survives_any_page_value(client, page):
    FilmFactory()
    response = client.get(reverse("catalogue:film-browse"), {"page": page}, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_browse_query_count_is_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        film = FilmFactory()
        film.countries.add(CountryFactory())
        CreditFactory(film=film)
    with django_assert_num_queries(budget.browse_page()):
        assert client.get(reverse("catalogue:film-browse")).status_code == 200


def test_server_error_page_renders_without_a_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
