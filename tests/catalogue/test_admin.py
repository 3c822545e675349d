"""The catalogue admin as an editor uses it: search, filters, columns, bad input, the queue."""

import pytest
from django.urls import reverse

from catalogue.forms import (
    DISPUTE_NEEDS_NOTE_MESSAGE,
    EMPTY_TITLE_MESSAGE,
    NOTHING_SELECTED_MESSAGE,
    UNCREDITED_AWARD_WARNING,
)
from catalogue.models import (
    GENRE_NAME_TAKEN,
    YEAR_RANGE_MESSAGE,
    Award,
    CreditRole,
    Fact,
    Film,
    Genre,
    Verification,
)
from core.admin import REQUIRED_IN_ONE_LANGUAGE
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    StudioFactory,
)
from tests.helpers import change_form_data, messages_of

pytestmark = pytest.mark.django_db

FILM_CHANGELIST = "admin:catalogue_film_changelist"


@pytest.fixture
def moscow(db):
    """Moscow Does Not Believe in Tears, with its director, as the search must find it."""
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        slug="moscow-does-not-believe-in-tears",
        release_year=1980,
    )
    menshov = PersonFactory(name="Vladimir Menshov", native_name="Владимир Меньшов")
    CreditFactory(film=film, person=menshov, role=CreditRole.DIRECTOR)
    film.refresh_from_db()
    return film


# --- Search, filters, columns ---------------------------------------------------------


@pytest.mark.parametrize("query", ["Москва", "Moskva", "Menshov", "Меньшов", "believe tears"])
def test_film_search_finds_a_film_by_any_title_or_name_in_either_script(
    superuser_client, moscow, query
):
    FilmFactory(title="Office Romance", release_year=1977)
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"q": query})
    assert list(response.context["cl"].result_list) == [moscow]


def test_film_search_that_matches_nothing_shows_no_films(superuser_client, moscow):
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"q": "Solaris"})
    assert list(response.context["cl"].result_list) == []


def test_film_decade_filter_keeps_that_decade_only(superuser_client):
    seventies = FilmFactory(release_year=1979)
    FilmFactory(release_year=1980)
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"decade": "1970"})
    assert list(response.context["cl"].result_list) == [seventies]
    assert "1970s" in response.text and "1980s" in response.text


def test_film_decade_filter_with_nonsense_shows_nothing_not_an_error(superuser_client):
    FilmFactory()
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"decade": "abc"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("decade", ["99999999999999999999", "-1970", "1880"])
def test_film_decade_filter_out_of_range_shows_nothing(superuser_client, decade):
    FilmFactory()
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"decade": decade})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize(
    "path",
    [
        "catalogue/film/abc/history/",
        "catalogue/film/1/history/abc/",
        "lists/curatedlist/x/history/1/",
        "lists/curatedlist/1/history/99999/",
    ],
)
def test_odd_history_urls_are_not_found(superuser_client, path):
    FilmFactory()
    assert superuser_client.get(f"/admin/{path}").status_code == 404


def test_film_list_filter_keeps_the_films_of_that_list(superuser_client):
    entry = CuratedListEntryFactory()
    CuratedListEntryFactory()  # a filter with a single choice is not shown, so two lists
    FilmFactory()
    response = superuser_client.get(
        reverse(FILM_CHANGELIST), {"list_entries__curated_list__id__exact": entry.curated_list.pk}
    )
    assert list(response.context["cl"].result_list) == [entry.film]


def test_film_country_genre_and_studio_filters_keep_matching_films(superuser_client):
    film, other = FilmFactory(), FilmFactory()
    country, genre, studio = CountryFactory(), GenreFactory(), StudioFactory()
    film.countries.add(country)
    film.genres.add(genre)
    film.studios.add(studio)
    other.countries.add(CountryFactory(code="US", name="United States"))
    for param, value in [
        ("countries__id__exact", country.pk),
        ("genres__id__exact", genre.pk),
        ("studios__id__exact", studio.pk),
    ]:
        response = superuser_client.get(reverse(FILM_CHANGELIST), {param: value})
        assert list(response.context["cl"].result_list) == [film], param


def test_needs_review_filter_hides_confirmed_films(superuser_client):
    FilmFactory(verification=Verification.CONFIRMED)
    disputed = FilmFactory(verification=Verification.DISPUTED, release_year=1960)
    unverified = FilmFactory(release_year=1961)
    response = superuser_client.get(reverse(FILM_CHANGELIST), {"verification": "needs-review"})
    assert list(response.context["cl"].result_list) == [disputed, unverified]


def test_film_changelist_counts_the_lists_a_film_is_in(superuser_client):
    film = FilmFactory()
    for curated_list in CuratedListFactory.create_batch(2):
        CuratedListEntryFactory(curated_list=curated_list, film=film)
    response = superuser_client.get(reverse(FILM_CHANGELIST))
    (row,) = response.context["cl"].result_list
    assert row.list_count == 2


def test_award_changelist_filters_by_organisation_year_and_outcome(superuser_client):
    oscar = AwardFactory(ceremony_year=1981, outcome="won")
    AwardFactory(organisation=oscar.organisation, ceremony_year=1980, outcome="won")
    AwardFactory(ceremony_year=1981, outcome="won")
    AwardFactory(organisation=oscar.organisation, ceremony_year=1981, outcome="nominated")
    response = superuser_client.get(
        reverse("admin:catalogue_award_changelist"),
        {"organisation__id__exact": oscar.organisation.pk, "ceremony_year": 1981, "outcome": "won"},
    )
    assert list(response.context["cl"].result_list) == [oscar]


def test_person_search_finds_cyrillic_names_from_latin(superuser_client, moscow):
    response = superuser_client.get(reverse("admin:catalogue_person_changelist"), {"q": "Menshov"})
    assert [person.name for person in response.context["cl"].result_list] == ["Vladimir Menshov"]


def test_autocomplete_for_films_uses_the_search_service(superuser_client, moscow):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Москва",
            "app_label": "catalogue",
            "model_name": "credit",
            "field_name": "film",
        },
    )
    assert [item["id"] for item in response.json()["results"]] == [str(moscow.pk)]


# --- Bad input: a clear message, nothing written ---------------------------------------


def add_film(client, **fields):
    response = client.get(reverse("admin:catalogue_film_add"))
    data = change_form_data(response, title="Stalker", slug="stalker", release_year="1979")
    data.update(fields)
    return client.post(reverse("admin:catalogue_film_add"), data)


def test_a_valid_film_is_added(superuser_client):
    response = add_film(superuser_client)
    assert response.status_code == 302
    assert Film.objects.get(slug="stalker").release_year == 1979


@pytest.mark.parametrize("year", ["1889", "2101"])
def test_a_year_outside_the_cinema_era_is_refused_with_a_plain_message(superuser_client, year):
    response = add_film(superuser_client, release_year=year)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["release_year"] == [YEAR_RANGE_MESSAGE]
    assert not Film.objects.exists()


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_title_is_refused(superuser_client, title):
    response = add_film(superuser_client, title=title)
    assert response.context["adminform"].form.errors["title"] == [EMPTY_TITLE_MESSAGE]
    assert not Film.objects.exists()


def test_an_invalid_inline_row_saves_nothing_of_the_film(superuser_client):
    film = FilmFactory(title="Before")
    credit = CreditFactory(film=film)
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    data = change_form_data(superuser_client.get(url), title="After")
    # A second credit identical to the first: the inline refuses the duplicate.
    data.update(
        {
            "credits-TOTAL_FORMS": "2",
            "credits-1-person": str(credit.person.pk),
            "credits-1-role": credit.role,
            "credits-1-verification": "unverified",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Credit with this Film, Person, Role and Character already exists." in response.text
    film.refresh_from_db()
    assert film.title == "Before"
    assert film.credits.count() == 1


def test_a_ceremony_year_outside_the_era_is_refused(superuser_client):
    award = AwardFactory(ceremony_year=1981)
    url = reverse("admin:catalogue_award_change", args=[award.pk])
    response = superuser_client.post(
        url, change_form_data(superuser_client.get(url), ceremony_year="1700")
    )
    assert response.context["adminform"].form.errors["ceremony_year"] == [YEAR_RANGE_MESSAGE]
    award.refresh_from_db()
    assert award.ceremony_year == 1981


def add_award(client, film, person):
    response = client.get(reverse("admin:catalogue_award_add"))
    data = change_form_data(
        response,
        organisation=str(OrganisationFactory().pk),
        category_en="Best Actress",
        ceremony_year="1981",
        film=str(film.pk),
        person=str(person.pk),
        outcome="won",
        verification="unverified",
    )
    return client.post(reverse("admin:catalogue_award_add"), data, follow=True)


def test_an_award_to_an_uncredited_person_is_saved_with_a_warning(superuser_client):
    film, stranger = FilmFactory(), PersonFactory(name="Somebody Else")
    response = add_award(superuser_client, film, stranger)
    expected = UNCREDITED_AWARD_WARNING.format(person=stranger, film=film)
    assert expected in messages_of(response)
    assert Award.objects.filter(film=film, person=stranger).exists()


def test_an_award_to_a_credited_person_brings_no_warning(superuser_client):
    credit = CreditFactory(role=CreditRole.ACTOR)
    response = add_award(superuser_client, credit.film, credit.person)
    assert not any("is not credited" in message for message in messages_of(response))


def test_an_award_added_on_the_film_form_warns_about_an_uncredited_person(superuser_client):
    film, stranger = FilmFactory(), PersonFactory()
    response = add_award_on_its_films_page(
        superuser_client,
        film,
        follow=True,
        category_en="Best Director",
        person=str(stranger.pk),
        outcome="nominated",
    )
    assert UNCREDITED_AWARD_WARNING.format(person=stranger, film=film) in messages_of(response)


# --- The verification queue -----------------------------------------------------------

QUEUE = "admin:catalogue_verification_queue"


def test_queue_lists_unverified_and_disputed_claims_only(superuser_client):
    unverified = FactFactory()
    disputed = FactFactory(verification=Verification.DISPUTED)
    confirmed = FactFactory(verification=Verification.CONFIRMED)
    response = superuser_client.get(reverse(QUEUE), {"kind": "facts"})
    shown = [item["row"] for item in response.context["rows"]]
    assert set(shown) == {unverified, disputed}
    assert confirmed not in shown


def test_queue_offers_films_credits_awards_facts_and_list_entries(superuser_client):
    response = superuser_client.get(reverse(QUEUE))
    assert [kind["key"] for kind in response.context["kinds"]] == [
        "films",
        "credits",
        "awards",
        "facts",
        "entries",
    ]
    index = superuser_client.get(reverse("admin:index")).text
    assert f'href="{reverse(QUEUE)}"' in index


def test_queue_confirms_selected_claims_with_a_note(superuser_client, superuser):
    first, second, untouched = AwardFactory.create_batch(3)
    response = superuser_client.post(
        reverse(QUEUE) + "?kind=awards",
        {"selected": [first.pk, second.pk], "verdict": "confirmed", "note": "Oscars database."},
    )
    assert response.status_code == 302
    for award in (first, second):
        award.refresh_from_db()
        assert award.verification == Verification.CONFIRMED
        assert award.verification_note == "Oscars database."
        assert award.history.latest().history_user == superuser
    untouched.refresh_from_db()
    assert untouched.verification == Verification.UNVERIFIED


def test_queue_disputes_list_entries_adding_to_their_note(superuser_client):
    entry = CuratedListEntryFactory(verification_note="Blurb says 1979.")
    superuser_client.post(
        reverse(QUEUE) + "?kind=entries",
        {"selected": [entry.pk], "verdict": "disputed", "note": "Released 1980."},
    )
    entry.refresh_from_db()
    assert entry.verification == Verification.DISPUTED
    assert entry.verification_note == "Blurb says 1979.\n\nReleased 1980."


def test_queue_refuses_a_dispute_without_a_reason(superuser_client):
    fact = FactFactory()
    response = superuser_client.post(
        reverse(QUEUE) + "?kind=facts", {"selected": [fact.pk], "verdict": "disputed"}
    )
    assert response.status_code == 200
    assert str(DISPUTE_NEEDS_NOTE_MESSAGE) in response.text
    fact.refresh_from_db()
    assert fact.verification == Verification.UNVERIFIED


def test_queue_refuses_an_empty_selection(superuser_client):
    response = superuser_client.post(reverse(QUEUE) + "?kind=facts", {"verdict": "confirmed"})
    assert str(NOTHING_SELECTED_MESSAGE) in response.text


def test_queue_refuses_rows_not_in_the_queue_and_changes_nothing(superuser_client):
    confirmed = FactFactory(verification=Verification.CONFIRMED, verification_note="ok")
    waiting = FactFactory()
    response = superuser_client.post(
        reverse(QUEUE) + "?kind=facts",
        {"selected": [waiting.pk, confirmed.pk, "not-a-number"], "verdict": "confirmed"},
    )
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.verification == Verification.UNVERIFIED


def test_queue_shows_disputed_only_when_asked(superuser_client):
    FactFactory()
    disputed = FactFactory(verification=Verification.DISPUTED)
    response = superuser_client.get(reverse(QUEUE), {"kind": "facts", "status": "disputed"})
    assert [item["row"] for item in response.context["rows"]] == [disputed]


def test_queue_shows_a_facts_whole_text_and_its_films_public_page(editor_client):
    text = "A long fact about the film. " * 8
    fact = FactFactory(text=text.strip())

    html = editor_client.get(reverse(QUEUE), {"kind": "facts"}).text

    assert text.strip() in html
    assert f"Film: {fact.film}" in html
    assert f'href="{fact.film.get_absolute_url()}"' in html


def test_queue_names_the_list_of_an_entry_and_links_its_page(editor_client):
    entry = CuratedListEntryFactory(blurb="A blurb in full.", fact="A fact in full.")

    html = editor_client.get(reverse(QUEUE), {"kind": "entries"}).text

    assert f"Curated list: {entry.curated_list}" in html
    assert f'href="{entry.curated_list.get_absolute_url()}"' in html
    assert "A blurb in full." in html and "A fact in full." in html


def test_queue_offers_a_select_all_box(editor_client):
    FactFactory()

    html = editor_client.get(reverse(QUEUE), {"kind": "facts"}).text

    assert 'id="select-all-rows"' in html
    assert "verification_queue.js" in html


def test_queue_keeps_the_ticks_after_an_error(editor_client):
    ticked, unticked = FactFactory(), FactFactory()

    response = editor_client.post(
        reverse(QUEUE) + "?kind=facts", {"selected": [ticked.pk], "verdict": "disputed"}
    )

    assert str(DISPUTE_NEEDS_NOTE_MESSAGE) in response.text
    assert f'value="{ticked.pk}" class="action-select" aria-label="Select {ticked}" checked' in (
        response.text
    )
    assert f'value="{unticked.pk}" class="action-select" aria-label="Select {unticked}">' in (
        response.text
    )


@pytest.mark.parametrize(
    ("kind", "factory", "count", "message"),
    [
        ("films", FilmFactory, 1, "Marked 1 film confirmed."),
        ("films", FilmFactory, 3, "Marked 3 films confirmed."),
        ("entries", CuratedListEntryFactory, 1, "Marked 1 list entry confirmed."),
        ("facts", FactFactory, 2, "Marked 2 facts confirmed."),
    ],
)
def test_queue_says_how_many_rows_it_marked_in_good_english(
    editor_client, kind, factory, count, message
):
    rows = [factory() for _ in range(count)]

    response = editor_client.post(
        reverse(QUEUE) + f"?kind={kind}",
        {"selected": [row.pk for row in rows], "verdict": "confirmed"},
        follow=True,
    )

    assert message in messages_of(response)


# --- genres: one name per genre in each language ---

GENRE_ADD = "admin:catalogue_genre_add"


def add_genre(client, **fields):
    data = change_form_data(client.get(reverse(GENRE_ADD)), **fields)
    return client.post(reverse(GENRE_ADD), data)


def test_a_genre_may_not_take_another_genres_russian_name(superuser_client):
    GenreFactory(name_en="Drama", name_ru="Драма", slug="drama")

    response = add_genre(superuser_client, name_en="Melodrama", name_ru="Драма", slug="melodrama")

    assert response.status_code == 200
    assert str(GENRE_NAME_TAKEN) in response.text
    assert not Genre.objects.filter(slug="melodrama").exists()


def test_a_genre_may_not_take_another_genres_english_name(superuser_client):
    GenreFactory(name_en="Drama", name_ru="Драма", slug="drama")

    response = add_genre(superuser_client, name_en="Drama", name_ru="Мелодрама", slug="drama-2")

    assert str(GENRE_NAME_TAKEN) in response.text
    assert not Genre.objects.filter(slug="drama-2").exists()


@pytest.mark.parametrize(
    "names",
    [
        {"name_en": "drama", "name_ru": "Мелодрама"},
        {"name_en": "Melodrama", "name_ru": "ДРАМА"},
        {"name_en": "Драма"},
    ],
)
def test_a_genre_may_not_take_another_genres_name_in_another_case_or_language(
    superuser_client, names
):
    GenreFactory(name_en="Drama", name_ru="Драма", slug="drama")

    response = add_genre(superuser_client, slug="new-genre", **names)

    assert str(GENRE_NAME_TAKEN) in response.text
    assert not Genre.objects.filter(slug="new-genre").exists()


def test_a_genre_keeps_its_own_name_when_edited(superuser_client):
    drama = GenreFactory(name_en="Drama", name_ru="Драма", slug="drama")
    url = reverse("admin:catalogue_genre_change", args=[drama.pk])

    response = superuser_client.post(url, change_form_data(superuser_client.get(url)))

    assert response.status_code == 302


def test_genres_named_in_one_language_only_coexist(superuser_client):
    for english, slug in [("Drama", "drama"), ("Comedy", "comedy")]:
        assert add_genre(superuser_client, name_en=english, slug=slug).status_code == 302
    for russian, slug in [("Драма", "drama-ru"), ("Комедия", "comedy-ru")]:
        add_genre(superuser_client, name_en="", name_ru=russian, slug=slug)
    assert Genre.objects.count() == 4


# --- facts: written in either language ---

FACT_ADD = "admin:catalogue_fact_add"


def test_a_fact_can_be_written_in_russian_only(superuser_client):
    film = FilmFactory()
    data = change_form_data(
        superuser_client.get(reverse(FACT_ADD)),
        film=str(film.pk),
        key="budget",
        text_en="",
        text_ru="Фильм снимали два года.",
    )

    response = superuser_client.post(reverse(FACT_ADD), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    fact = Fact.objects.get(key="budget")
    assert fact.text_ru == "Фильм снимали два года."
    assert not fact.text_en


def test_a_fact_needs_its_text_in_one_language_at_least(superuser_client):
    film = FilmFactory()
    data = change_form_data(superuser_client.get(reverse(FACT_ADD)), film=str(film.pk), key="empty")

    response = superuser_client.post(reverse(FACT_ADD), data)

    assert response.status_code == 200
    assert str(REQUIRED_IN_ONE_LANGUAGE) in response.text


def test_a_facts_history_keeps_both_languages(superuser_client):
    fact = FactFactory(text_en="Shot in two years.")
    fact.text_ru = "Снимали два года."
    fact.save()

    assert (fact.history.first().text_en, fact.history.first().text_ru) == (
        "Shot in two years.",
        "Снимали два года.",
    )
    assert fact.history.last().text_ru is None


def test_a_fact_added_on_its_films_page_can_be_written_in_russian_only(superuser_client):
    film = FilmFactory()
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    data = change_form_data(superuser_client.get(url))
    data.update(
        {
            "facts-TOTAL_FORMS": "1",
            "facts-0-key": "budget",
            "facts-0-kind": Fact.Kind.TRIVIA,
            "facts-0-verification": "unverified",
            "facts-0-text_ru": "Фильм снимали два года.",
        }
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    assert film.facts.get().text_ru == "Фильм снимали два года."


def add_award_on_its_films_page(client, film, follow=False, **fields):
    """POST the film's change form with one new award: a win, with `fields` (its category,
    person...) as given; no category unless given."""
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "awards-TOTAL_FORMS": "1",
            "awards-0-organisation": str(OrganisationFactory().pk),
            "awards-0-ceremony_year": "1981",
            "awards-0-outcome": "won",
            "awards-0-verification": "unverified",
            **{f"awards-0-{column}": value for column, value in fields.items()},
        }
    )
    return client.post(url, data, follow=follow)


def test_an_award_added_on_its_films_page_can_be_named_in_russian_only(superuser_client):
    film = FilmFactory()

    response = add_award_on_its_films_page(
        superuser_client, film, category_ru="Лучший фильм на иностранном языке"
    )

    assert response.status_code == 302
    assert film.awards.get().category_ru == "Лучший фильм на иностранном языке"


def test_an_award_added_on_its_films_page_needs_its_category_in_one_language(superuser_client):
    film = FilmFactory()

    response = add_award_on_its_films_page(superuser_client, film)

    assert response.status_code == 200
    assert not film.awards.exists()
