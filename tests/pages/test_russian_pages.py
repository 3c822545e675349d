"""Every public page under /ru/ speaks Russian: no English word is left outside the data
marked lang="en" (a template string not marked for translation, or one left untranslated,
shows up here). The catalogue's own names are Cyrillic where the page cannot mark them, so
any Latin word that remains comes from the templates or the code."""

import re
from html.parser import HTMLParser

import pytest

from catalogue.models import AwardOutcome, CreditRole, FilmTitle, LocationKind
from core.models import Verification
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
    FilmLocationFactory,
    FilmTitleFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db

# Latin words a Russian page may show: names of other databases and of the feed format, and
# the search box's example of a Latin spelling.
LATIN_ALLOWED = {"IMDb", "Letterboxd", "Wikipedia", "Wikidata", "TMDB", "Kinopoisk", "Atom"}
LATIN_ALLOWED |= {"Moscow"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


class RussianText(HTMLParser):
    """The text a reader sees or hears (text, aria-label, placeholder), outside scripts and
    outside fragments marked with a language other than Russian."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, whether it or an ancestor is foreign or not read)
        self.texts = []

    def skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        # <title> holds the page's own name (data), which no element can mark.
        skip = self.skipped() or tag in ("script", "style", "title") or bool(lang and lang != "ru")
        if not skip:
            self.texts += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.skipped() and data.strip():
            self.texts.append(data.strip())


def english_left_in(html):
    parser = RussianText()
    parser.feed(html)
    return sorted(
        {
            text
            for text in parser.texts
            if any(word not in LATIN_ALLOWED for word in LATIN_WORD.findall(text))
        }
    )


@pytest.fixture
def catalogue():
    """One film with every part a page can show, its director, an award and a list, with
    English titles and prose (the page marks them lang="en") and Cyrillic names elsewhere."""
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        slug="moscow-tears",
        original_title="Москва слезам не верит",
        original_language="ru",
        romanized_title="Moskva slezam ne verit",
        release_year=1980,
        release_date="1980-02-11",
        runtime_minutes=148,
        admissions=84_400_000,
        imdb_id="tt0079579",
        synopsis="Three women come to Moscow.",
    )
    film.countries.add(CountryFactory(code="SU", name="СССР", slug="su"))
    film.genres.add(GenreFactory(name="Мелодрама", slug="melodrama"))
    film.studios.add(StudioFactory(name="Мосфильм", slug="mosfilm"))
    FilmTitleFactory(film=film, title="Moscou ne croit pas aux larmes", language="fr")
    FilmTitleFactory(
        film=film,
        title="Moskau glaubt den Tränen nicht",
        kind=FilmTitle.Kind.WORKING,
        language="de",
    )
    director = PersonFactory(
        name="Vladimir Menshov",
        native_name="Владимир Меньшов",
        slug="menshov",
        birth_year=1939,
        death_year=2021,
    )
    CreditFactory(film=film, person=director, role=CreditRole.DIRECTOR)
    actor = PersonFactory(name="Vera Alentova", native_name="Вера Алентова", slug="alentova")
    CreditFactory(
        film=film,
        person=actor,
        role=CreditRole.ACTOR,
        character="Катерина",
        verification=Verification.UNVERIFIED,
        verification_note="Not in the credits.",
    )
    AwardFactory(
        film=film,
        organisation=OrganisationFactory(name="Оскар", slug="oscar"),
        category="Лучший фильм",
        outcome=AwardOutcome.WON,
    )
    AwardFactory(
        film=film,
        person=director,
        category="Золотой медведь",
        organisation=OrganisationFactory(name="Берлинале", slug="berlinale"),
        outcome=AwardOutcome.NOMINATED,
        verification=Verification.DISPUTED,
    )
    FilmLocationFactory(
        film=film,
        place=PlaceFactory(name="Москва", slug="moskva"),
        kind=LocationKind.SETTING,
        period="1958",
    )
    FactFactory(
        film=film,
        text="It won an Oscar.",
        verification=Verification.DISPUTED,
        verification_note="It was nominated.",
    )
    moscow = CuratedListFactory(
        title="Фильмы о Москве", slug="moscow", introduction="Moscow on screen.", featured=True
    )
    CuratedListEntryFactory(
        curated_list=moscow, film=film, position=1, blurb="A classic.", fact="Seen by millions."
    )
    other = FilmFactory(
        title="The Irony of Fate",
        original_title="Ирония судьбы",
        release_year=1976,
        verification=Verification.UNVERIFIED,
        verification_note="No trace of it.",
    )
    CreditFactory(
        film=other, person=PersonFactory(name="Eldar Ryazanov", native_name="Эльдар Рязанов")
    )
    other.countries.add(film.countries.get())
    CuratedListEntryFactory(
        curated_list=moscow, film=other, position=2, blurb="", verification=Verification.DISPUTED
    )
    return film


PAGES = [
    "/ru/",
    "/ru/lists/",
    "/ru/lists/moscow/",
    "/ru/lists/moscow/?view=compact",
    "/ru/films/moscow-tears/",
    "/ru/films/moscow-tears/?list=moscow",
    "/ru/people/menshov/",
    "/ru/films/",
    "/ru/films/?decade=1980&country=нигде&ordering=-title",
    "/ru/films/?list=moscow&ordering=position",
    "/ru/awards/",
    "/ru/awards/?year=1850",
    "/ru/search/?q=москва",
    "/ru/search/?q=меньшов",
    "/ru/search/?q=ничего-похожего",
    "/ru/no-such-page/",
]


def test_russian_pages_leave_no_english_outside_marked_fragments(client, catalogue):
    english = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        if left := english_left_in(response.content.decode()):
            english[path] = left
    assert english == {}, "\n".join(f"{p}: {t}" for p, t in english.items())


def test_the_check_finds_an_unmarked_string():
    assert english_left_in('<p>Фильм <span lang="en">Stalker</span></p>') == []
    assert english_left_in("<h2>Related films</h2>") == ["Related films"]
    assert english_left_in('<nav aria-label="Pages"></nav>') == ["Pages"]


def test_russian_pages_lead_with_russian_names(client, catalogue):
    film_page = client.get("/ru/films/moscow-tears/").content.decode()
    assert '<h1>Москва слезам не верит <span class="year">(1980)</span></h1>' in film_page
    assert '<p class="original-title" lang="en">Moscow Does Not Believe in Tears</p>' in film_page
    assert '<a href="/ru/people/menshov/">Владимир Меньшов</a>' in film_page

    person_page = client.get("/ru/people/menshov/").content.decode()
    assert "<h1>Владимир Меньшов</h1>" in person_page
    assert '<p class="original-title" lang="en">Vladimir Menshov</p>' in person_page

    list_page = client.get("/ru/lists/moscow/").content.decode()
    assert '?list=moscow">Москва слезам не верит</a></h2>' in list_page


def test_english_pages_lead_with_english_names_and_mark_the_russian_ones(client, catalogue):
    film_page = client.get("/films/moscow-tears/").content.decode()
    assert "<h1>Moscow Does Not Believe in Tears <span" in film_page
    assert '<p class="original-title" lang="ru">Москва слезам не верит</p>' in film_page
    assert '<a href="/people/menshov/">Vladimir Menshov</a>' in film_page


def test_russian_plurals_and_dates(client, catalogue):
    film_page = client.get("/ru/films/moscow-tears/").content.decode()
    assert "148 минут<" in film_page
    assert "11 февраля 1980" in film_page
    for count, words in [(1, "1 фильм"), (2, "2 фильма"), (5, "5 фильмов"), (21, "21 фильм")]:
        from django.utils import translation

        with translation.override("ru"):
            assert (
                translation.ngettext("%(films)s film", "%(films)s films", count) % {"films": count}
                == words
            )


@pytest.mark.parametrize("label", ["Победа", "won", "Won"])
def test_a_choice_is_taken_by_its_label_in_either_language(client, catalogue, label):
    page = client.get("/ru/films/", {"award_outcome": label}).content.decode()
    assert "Итог награды: Победа" in page
    assert "1 фильм<" in page
