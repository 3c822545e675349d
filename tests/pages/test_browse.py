"""The browse page (/films/) as a person uses it: facets with counts, blank by default, names in
any case, sort, removable chips, clear messages for values that match nothing.

The catalogue, in the default order (year, then title):
  cranes 1957 SU drama, Mosfilm, Cannes won, confirmed, 97 min
  irony 1975 SU comedy, Mosfilm, set in Moscow, in "Soviet love" (1st), 184 min
  garage 1979 SU comedy, Mosfilm, unverified, 95 min
  tears 1979 SU drama, Mosfilm, set in Moscow, Academy Awards won, "Soviet love" (2nd), 150 min
  brother 1997 RU thriller, Lenfilm, set in Saint Petersburg, Cannes nominated, disputed, 96 min
"""

import html
import re

import pytest
from django.urls import reverse

from catalogue.models import AwardOutcome, CreditRole, LocationKind, Verification
from discovery.filters import UNKNOWN_CHOICE, UNKNOWN_NAME
from ops import query_budgets as budget
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
    FilmLocationFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    StudioFactory,
)

URL = reverse("catalogue:film-browse")
CRANES, IRONY, GARAGE, TEARS, BROTHER = (
    "The Cranes Are Flying",
    "The Irony of Fate",
    "Garage",
    "Moscow Does Not Believe in Tears",
    "Brother",
)
EVERY_FILM = [CRANES, IRONY, GARAGE, TEARS, BROTHER]
FACETS = [
    "decade",
    "country",
    "genre",
    "studio",
    "setting",
    "award_organisation",
    "award_outcome",
    "list",
    "verification",
]


@pytest.fixture
def catalogue(db):
    soviet_union = CountryFactory(code="SU", name="Soviet Union", slug="soviet-union")
    russia = CountryFactory(code="RU", name="Russia", slug="russia")
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    thriller = GenreFactory(name="Thriller")
    mosfilm = StudioFactory(name="Mosfilm", slug="mosfilm", native_name="Мосфильм")
    lenfilm = StudioFactory(name="Lenfilm", slug="lenfilm")
    moscow = PlaceFactory(name="Moscow", slug="moscow", native_name="Москва")
    petersburg = PlaceFactory(name="Saint Petersburg", slug="saint-petersburg")
    cannes = OrganisationFactory(name="Cannes Film Festival", slug="cannes")
    academy = OrganisationFactory(name="Academy Awards", slug="academy-awards")
    soviet_love = CuratedListFactory(title="Soviet love", slug="soviet-love")
    DraftListFactory(title="Work in progress", slug="work-in-progress")
    films = {}
    for title, year, runtime, country, genre, studio, verification in [
        (CRANES, 1957, 97, soviet_union, drama, mosfilm, Verification.CONFIRMED),
        (IRONY, 1975, 184, soviet_union, comedy, mosfilm, Verification.UNVERIFIED),
        (GARAGE, 1979, 95, soviet_union, comedy, mosfilm, Verification.UNVERIFIED),
        (TEARS, 1979, 150, soviet_union, drama, mosfilm, Verification.CONFIRMED),
        (BROTHER, 1997, 96, russia, thriller, lenfilm, Verification.DISPUTED),
    ]:
        film = FilmFactory(
            title=title, release_year=year, runtime_minutes=runtime, verification=verification
        )
        film.countries.add(country)
        film.genres.add(genre)
        film.studios.add(studio)
        films[title] = film
    for title, place in [(IRONY, moscow), (TEARS, moscow), (BROTHER, petersburg)]:
        FilmLocationFactory(film=films[title], place=place, kind=LocationKind.SETTING)
    AwardFactory(film=films[CRANES], organisation=cannes, ceremony_year=1958)
    AwardFactory(film=films[TEARS], organisation=academy, ceremony_year=1981)
    AwardFactory(
        film=films[BROTHER],
        organisation=cannes,
        ceremony_year=1998,
        outcome=AwardOutcome.NOMINATED,
    )
    CuratedListEntryFactory(curated_list=soviet_love, film=films[IRONY], position=1)
    CuratedListEntryFactory(curated_list=soviet_love, film=films[TEARS], position=2)
    ryazanov = PersonFactory(name="Eldar Ryazanov", slug="eldar-ryazanov")
    CreditFactory(film=films[IRONY], person=ryazanov, role=CreditRole.DIRECTOR)
    CreditFactory(film=films[GARAGE], person=ryazanov, role=CreditRole.DIRECTOR)
    return films


# --- reading the page, as a person would ---


def titles(response):
    """The film cards' titles, in the order shown."""
    assert response.status_code == 200, response.status_code
    found = re.findall(r'class="film-card__title"><a href="[^"]*">(.*?)</a>', page_of(response))
    return [html.unescape(title) for title in found]


def page_of(response):
    return response.content.decode()


def options(response, name):
    """A select's options as shown: (text, selected), the blank "any" choice first."""
    pattern = rf'<select id="id_{name}" name="{name}"[^>]*>(.*?)</select>'
    select = re.search(pattern, page_of(response), re.S)
    assert select, f"no select named {name}"
    return [
        (html.unescape(text), bool(selected))
        for _value, selected, text in re.findall(
            r'<option value="([^"]*)"( selected)?>(.*?)</option>', select.group(1)
        )
    ]


def chosen(response, name):
    return [text for text, selected in options(response, name) if selected]


def chips(response):
    """The active-filter chips: (text, the link that removes the filter)."""
    found = re.findall(r'<a class="chip[^"]*" href="([^"]*)">(.*?)<span', page_of(response))
    return [(html.unescape(text), html.unescape(href)) for href, text in found]


# --- blank by default ---


def test_the_blank_page_shows_every_film_with_every_facet_on_any(client, catalogue):
    response = client.get(URL)

    assert titles(response) == EVERY_FILM
    for name in FACETS:
        assert chosen(response, name) == [], name
        assert options(response, name)[0][0].startswith("Any")
    assert chosen(response, "ordering") == ["Year, oldest first"]
    assert chips(response) == []


def test_a_form_submitted_with_one_filter_shows_its_films(client, catalogue):
    """The whole form comes back with its blank fields: they mean "any", not decade 1890."""
    form = dict.fromkeys(FACETS, "") | {"award_outcome": "won", "ordering": "year"}

    response = client.get(URL, form, follow=True)

    assert response.redirect_chain == [(URL + "?award_outcome=won&ordering=year", 302)]
    assert titles(response) == [CRANES, TEARS]


# --- facets and their counts ---


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("decade", ["Any decade", "1950s (1)", "1970s (3)", "1990s (1)"]),
        ("country", ["Any country", "Russia (1)", "Soviet Union (4)"]),
        ("genre", ["Any genre", "Comedy (2)", "Drama (2)", "Thriller (1)"]),
        ("studio", ["Any studio", "Lenfilm (1)", "Mosfilm (4)"]),
        ("setting", ["Any place", "Moscow (2)", "Saint Petersburg (1)"]),
        (
            "award_organisation",
            ["Any", "Academy Awards (1)", "Cannes Film Festival (2)"],
        ),
        ("award_outcome", ["Any", "Nominated (1)", "Won (2)"]),
        ("list", ["Any list", "Soviet love (2)"]),
        ("verification", ["Any", "Unverified (2)", "Confirmed (2)", "Disputed (1)"]),
    ],
)
def test_each_facet_lists_the_catalogues_values_with_their_film_counts(
    client, catalogue, name, expected
):
    assert [text for text, _ in options(client.get(URL), name)] == expected


def test_a_draft_list_is_no_facet_value_for_visitors(client, catalogue):
    assert "Work in progress (0)" not in page_of(client.get(URL))
    assert "Work in progress" not in page_of(client.get(URL))


def test_facet_counts_follow_the_other_filters_but_not_their_own(client, catalogue):
    response = client.get(URL, {"genre": "comedy"})

    # Another genre is still one choice away, counted over the whole catalogue...
    assert [text for text, _ in options(response, "genre")][1:] == [
        "Comedy (2)",
        "Drama (2)",
        "Thriller (1)",
    ]
    # ...while the other facets count the comedies only.
    assert [text for text, _ in options(response, "decade")][1:] == ["1970s (2)"]
    assert [text for text, _ in options(response, "verification")][1:] == ["Unverified (2)"]


def test_the_award_facets_count_one_and_the_same_award(client, catalogue):
    response = client.get(URL, {"award_outcome": "nominated"})

    # Cannes gave one nomination (Brother): its win (Cranes) is not counted here.
    assert [text for text, _ in options(response, "award_organisation")][1:] == [
        "Cannes Film Festival (1)"
    ]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("decade", "1970", [IRONY, GARAGE, TEARS]),
        ("country", "russia", [BROTHER]),
        ("genre", "drama", [CRANES, TEARS]),
        ("studio", "lenfilm", [BROTHER]),
        ("setting", "moscow", [IRONY, TEARS]),
        ("award_organisation", "cannes", [CRANES, BROTHER]),
        ("award_outcome", "nominated", [BROTHER]),
        ("list", "soviet-love", [IRONY, TEARS]),
        ("verification", "disputed", [BROTHER]),
    ],
)
def test_each_facet_narrows_the_films_and_shows_its_choice(
    client, catalogue, name, value, expected
):
    response = client.get(URL, {name: value})

    assert titles(response) == expected
    assert len(chosen(response, name)) == 1


# --- names and any case ---


@pytest.mark.parametrize(
    ("query", "expected", "chip"),
    [
        ({"genre": "Drama"}, [CRANES, TEARS], "Genre: Drama"),
        ({"genre": "DRAMA"}, [CRANES, TEARS], "Genre: Drama"),
        ({"country": "USSR"}, [CRANES, IRONY, GARAGE, TEARS], "Country: Soviet Union"),
        ({"country": "Soviet Union"}, [CRANES, IRONY, GARAGE, TEARS], "Country: Soviet Union"),
        ({"country": "su"}, [CRANES, IRONY, GARAGE, TEARS], "Country: Soviet Union"),
        ({"country": "Russia"}, [BROTHER], "Country: Russia"),
        ({"studio": "Mosfilm"}, [CRANES, IRONY, GARAGE, TEARS], "Studio: Mosfilm"),
        ({"studio": "Мосфильм"}, [CRANES, IRONY, GARAGE, TEARS], "Studio: Mosfilm"),
        ({"setting": "Moscow"}, [IRONY, TEARS], "Set in: Moscow"),
        ({"setting": "saint petersburg"}, [BROTHER], "Set in: Saint Petersburg"),
        (
            {"award_organisation": "Cannes Film Festival"},
            [CRANES, BROTHER],
            "Award from: Cannes Film Festival",
        ),
        ({"award_outcome": "Won"}, [CRANES, TEARS], "Award outcome: Won"),
        ({"list": "SOVIET LOVE"}, [IRONY, TEARS], "In the list: Soviet love"),
        ({"decade": "1970s"}, [IRONY, GARAGE, TEARS], "Decade: 1970s"),
        ({"verification": "Confirmed"}, [CRANES, TEARS], "Verification: Confirmed"),
        ({"director": "Eldar Ryazanov"}, [IRONY, GARAGE], "Director: Eldar Ryazanov"),
    ],
)
def test_filters_take_names_and_any_case(client, catalogue, query, expected, chip):
    response = client.get(URL, query)

    assert titles(response) == expected
    assert [text for text, _ in chips(response)] == [chip]


@pytest.mark.parametrize(
    ("name", "value", "noun", "label"),
    [
        ("genre", "Western", "genre", "Genre"),
        ("country", "Narnia", "country", "Country"),
        ("studio", "Pixar", "studio", "Studio"),
        ("setting", "Atlantis", "place", "Set in"),
        ("list", "work-in-progress", "list", "In the list"),  # a draft: visitors may not see it
    ],
)
def test_a_name_that_matches_nothing_says_so_next_to_its_field(
    client, catalogue, name, value, noun, label
):
    query = {name: value}

    response = client.get(URL, query)

    assert response.status_code == 200
    message = UNKNOWN_NAME % {"value": value, "noun": noun}
    assert html.escape(message) in page_of(response)
    assert f'aria-describedby="errors_{name}"' in page_of(response)
    assert "Fix the filters above to see films" in page_of(response)
    assert titles(response) == []
    # The bad value is a chip too, with the way out.
    assert chips(response) == [(f"{label}: {value}", URL)]


def test_a_value_that_is_no_choice_says_so(client, catalogue):
    response = client.get(URL, {"decade": "abc", "genre": "drama"})

    assert html.escape(UNKNOWN_CHOICE % {"value": "abc"}) in page_of(response)
    assert titles(response) == []
    # The facets still help: they count over the filters that are valid.
    assert [text for text, _ in options(response, "decade")][1:] == ["1950s (1)", "1970s (1)"]


def test_a_film_announced_for_a_later_decade_is_browsed_by_that_decade(client, catalogue):
    FilmFactory(title="Announced", release_year=2031)

    everything = client.get(URL)
    assert "2030s (1)" in [text for text, _ in options(everything, "decade")]
    assert titles(client.get(URL, {"decade": "2030"})) == ["Announced"]


# --- sort ---


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("year", [CRANES, IRONY, GARAGE, TEARS, BROTHER]),
        ("-year", [BROTHER, GARAGE, TEARS, IRONY, CRANES]),  # a tie goes to the older row
        ("title", [BROTHER, GARAGE, TEARS, CRANES, IRONY]),
        ("-title", [IRONY, CRANES, TEARS, GARAGE, BROTHER]),
        ("runtime", [GARAGE, BROTHER, CRANES, TEARS, IRONY]),
        ("-runtime", [IRONY, TEARS, CRANES, BROTHER, GARAGE]),
    ],
)
def test_the_sort_control_orders_the_films(client, catalogue, ordering, expected):
    response = client.get(URL, {"ordering": ordering})

    assert titles(response) == expected
    assert len(chosen(response, "ordering")) == 1


@pytest.mark.parametrize("ordering", ["budget", "year,budget", "-position,%"])
def test_a_sort_that_is_no_choice_says_so_next_to_the_sort_control(client, catalogue, ordering):
    response = client.get(URL, {"ordering": ordering})

    assert response.status_code == 200
    assert 'aria-describedby="errors_ordering"' in page_of(response)
    assert 'id="errors_ordering"' in page_of(response)
    assert "Fix the filters above to see films" in page_of(response)
    assert titles(response) == []


@pytest.mark.parametrize(
    ("name", "value"), [("ordering", "year\x00"), ("decade", "\x00\x07"), ("q", "a\x00")]
)
def test_a_control_character_in_the_address_is_a_400_not_quoted_back(
    client, catalogue, name, value
):
    response = client.get(URL, {name: value})

    assert response.status_code == 400
    assert b"\x00" not in response.content and b"\x07" not in response.content


def test_a_sort_that_is_no_choice_says_so_in_russian_on_the_russian_page(client, catalogue):
    response = client.get("/ru" + URL, {"ordering": "бюджет"})

    assert response.status_code == 200
    assert "«бюджет» — не один из вариантов: выберите вариант из списка." in page_of(response)
    assert 'aria-describedby="errors_ordering"' in page_of(response)


def test_a_chosen_list_shows_in_its_own_order_and_offers_that_sort(client, catalogue):
    response = client.get(URL, {"list": "soviet-love"})

    assert titles(response) == [IRONY, TEARS]
    assert chosen(response, "ordering") == ["List order"]
    assert titles(client.get(URL, {"list": "soviet-love", "ordering": "-position"})) == [
        TEARS,
        IRONY,
    ]
    assert titles(client.get(URL, {"list": "soviet-love", "ordering": "-year"})) == [TEARS, IRONY]


def test_list_order_is_offered_only_with_a_list(client, catalogue):
    assert "List order" not in [text for text, _ in options(client.get(URL), "ordering")]


# --- chips ---


def test_each_active_filter_is_a_chip_whose_link_drops_only_it(client, catalogue):
    query = {"genre": "comedy", "decade": "1970", "ordering": "-year", "page": "1"}

    response = client.get(URL, query)

    assert chips(response) == [
        ("Decade: 1970s", URL + "?genre=comedy&ordering=-year"),
        ("Genre: Comedy", URL + "?decade=1970&ordering=-year"),
    ]
    removed = client.get(chips(response)[0][1])
    assert titles(removed) == [GARAGE, IRONY]  # every comedy, newest first


def test_a_long_value_typed_into_the_address_is_shortened_in_its_chip(client, catalogue):
    response = client.get(URL, {"studio": "x" * 300})

    [(text, link)] = chips(response)
    assert text == "Studio: " + "x" * 39 + "…"
    assert link == URL


def test_removing_the_list_chip_drops_its_order_too(client, catalogue):
    response = client.get(URL, {"list": "soviet-love", "ordering": "position"})

    assert chips(response) == [("In the list: Soviet love", URL)]


def test_a_filter_without_a_facet_is_kept_when_the_form_is_sent_again(client, catalogue):
    response = client.get(URL, {"director": "eldar-ryazanov"})

    assert '<input type="hidden" name="director" value="eldar-ryazanov">' in page_of(response)
    assert chips(response) == [("Director: Eldar Ryazanov", URL)]
    assert titles(client.get(URL, {"director": "eldar-ryazanov", "genre": "comedy"})) == [
        IRONY,
        GARAGE,
    ]


def test_a_shared_address_shows_the_same_films(client, catalogue):
    first = client.get(URL, {"country": "su", "genre": "drama", "ordering": "-year"})
    again = client.get(first.request["PATH_INFO"] + "?" + first.request["QUERY_STRING"])

    assert titles(first) == titles(again) == [TEARS, CRANES]


# --- queries ---


@pytest.mark.parametrize("size", [1, 20])
def test_browse_with_facets_runs_a_constant_number_of_queries(
    client, db, django_assert_num_queries, size
):
    list_ = CuratedListFactory(title="Big list", slug="big-list")
    drama, moscow = GenreFactory(name="Drama"), PlaceFactory(name="Moscow", slug="moscow")
    cannes = OrganisationFactory(name="Cannes", slug="cannes")
    for index in range(size):
        film = FilmFactory(release_year=1950 + index)
        film.countries.add(CountryFactory(code=f"C{index % 5}", name=f"Country {index % 5}"))
        film.genres.add(drama, GenreFactory(name=f"Genre {index}"))
        film.studios.add(StudioFactory())
        FilmLocationFactory(film=film, place=moscow)
        FilmLocationFactory(film=film)
        AwardFactory(film=film, organisation=cannes, ceremony_year=1960 + index)
        CreditFactory(film=film)
        CuratedListEntryFactory(curated_list=list_, film=film, position=index + 1)
    query = {"genre": "Drama", "setting": "moscow", "list": "big-list", "award_outcome": "won"}

    with django_assert_num_queries(budget.browse_page(named_filters=3)):
        response = client.get(URL, query)
    assert len(titles(response)) == size

    with django_assert_num_queries(budget.browse_page()):
        assert client.get(URL).status_code == 200


def test_a_title_search_ranks_once_for_the_films_and_once_for_all_facets(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget.browse_page(named_filters=1, search=True)):
        response = client.get(URL, {"q": "irony", "genre": "comedy"})

    assert titles(response) == [IRONY]
    assert chips(response)[0][0] == "Title: irony"
    assert [text for text, _ in options(response, "decade")][1:] == ["1970s (1)"]
