"""The search service: the same first results on SQLite and PostgreSQL, for any script."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue.models import Film, FilmTitle, Person
from core import text_search as search
from discovery.search import search as site_search
from lists.models import CuratedList
from tests.factories import (
    CreditFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
    FilmTitleFactory,
    PersonFactory,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL indexes and plans"
)

PEOPLE = {
    "menshov": ("Vladimir Menshov", "Владимир Меньшов"),
    "ryazanov": ("Eldar Ryazanov", "Эльдар Рязанов"),
    "myagkov": ("Andrei Myagkov", "Андрей Мягков"),
    "freindlich": ("Alisa Freindlich", "Алиса Фрейндлих"),
    "kalatozov": ("Mikhail Kalatozov", "Михаил Калатозов"),
    "mikhalkov": ("Nikita Mikhalkov", "Никита Михалков"),
    "tarkovsky": ("Andrei Tarkovsky", "Андрей Тарковский"),
    "bondarchuk": ("Natalya Bondarchuk", "Наталья Бондарчук"),
    "daneliya": ("Georgiy Daneliya", "Георгий Данелия"),
    "balabanov": ("Aleksei Balabanov", "Алексей Балабанов"),
    "bodrov": ("Sergei Bodrov Jr.", "Сергей Бодров-младший"),
    "norstein": ("Yuri Norstein", "Юрий Норштейн"),
}

# slug: (English title, original title, romanized title, year, [(person, role)], synopsis)
FILMS = {
    "moscow": (
        "Moscow Does Not Believe in Tears",
        "Москва слезам не верит",
        "Moskva slezam ne verit",
        1979,
        [("menshov", "director")],
        "Three young women arrive in Moscow in 1958 to find work and love.",
    ),
    "irony": (
        "The Irony of Fate, or Enjoy Your Bath!",
        "Ирония судьбы, или С лёгким паром!",
        "Ironiya sudby, ili S lyogkim parom!",
        1975,
        [("ryazanov", "director"), ("myagkov", "actor")],
        "After a New Year's Eve in a Moscow bathhouse, a surgeon wakes up in Leningrad.",
    ),
    "office-romance": (
        "Office Romance",
        "Служебный роман",
        "Sluzhebny roman",
        1977,
        [("ryazanov", "director"), ("myagkov", "actor"), ("freindlich", "actor")],
        "A shy statistician courts his stern boss.",
    ),
    "cranes": (
        "The Cranes Are Flying",
        "Летят журавли",
        "Letyat zhuravli",
        1957,
        [("kalatozov", "director")],
        "Veronika waits for Boris, who has left for the front.",
    ),
    "burnt": (
        "Burnt by the Sun",
        "Утомлённые солнцем",
        "Utomlyonnye solntsem",
        1994,
        [("mikhalkov", "director"), ("mikhalkov", "actor")],
        "A summer day in 1936 at the dacha of a revolutionary hero.",
    ),
    "solaris": (
        "Solaris",
        "Солярис",
        "Solyaris",
        1972,
        [("tarkovsky", "director"), ("bondarchuk", "actor")],
        "A psychologist is sent to a station orbiting an ocean planet.",
    ),
    "rublev": (
        "Andrei Rublev",
        "Андрей Рублёв",
        "Andrey Rublyov",
        1966,
        [("tarkovsky", "director")],
        "The life of the icon painter in fifteenth-century Russia.",
    ),
    "ivans-childhood": (
        "Ivan's Childhood",
        "Иваново детство",
        "Ivanovo detstvo",
        1962,
        [("tarkovsky", "director")],
        "A boy scout behind the front lines of the war.",
    ),
    "kin-dza-dza": (
        "Kin-dza-dza!",
        "Кин-дза-дза!",
        "Kin-dza-dza!",
        1986,
        [("daneliya", "director")],
        "Two Muscovites are transported to the desert planet Pluke.",
    ),
    "brother": (
        "Brother",
        "Брат",
        "Brat",
        1997,
        [("balabanov", "director"), ("bodrov", "actor")],
        "Danila comes to St Petersburg to join his brother.",
    ),
    "brother-2": (
        "Brother 2",
        "Брат 2",
        "Brat 2",
        2000,
        [("balabanov", "director"), ("bodrov", "actor")],
        "Danila goes to America.",
    ),
    "hedgehog": (
        "Hedgehog in the Fog",
        "Ёжик в тумане",
        "Yozhik v tumane",
        1975,
        [("norstein", "director")],
        "A hedgehog gets lost in the fog on the way to his friend the bear cub.",
    ),
}

LISTS = {
    "soviet-love": ("Soviet Love Stories", "Romance from Moscow to Leningrad."),
    "tarkovsky-essentials": ("Tarkovsky's Essential Films", "Seven films, seven worlds."),
    "new-year": ("Films for New Year's Eve", "Ирония судьбы every 31 December, and more."),
}


def build_catalogue():
    people = {
        key: PersonFactory(slug=key, name=name, native_name=native)
        for key, (name, native) in PEOPLE.items()
    }
    films = {}
    for slug, (title, original, romanized, year, credits, synopsis) in FILMS.items():
        films[slug] = film = FilmFactory(
            slug=slug,
            title=title,
            original_title=original,
            romanized_title=romanized,
            original_language="ru",
            release_year=year,
            synopsis=synopsis,
        )
        for person, role in credits:
            CreditFactory(film=film, person=people[person], role=role)
    FilmTitleFactory(film=films["irony"], title="The Irony of Fate", kind=FilmTitle.Kind.ENGLISH)
    lists = {
        slug: CuratedListFactory(slug=slug, title=title, introduction=intro)
        for slug, (title, intro) in LISTS.items()
    }
    return SimpleNamespace(people=people, films=films, lists=lists)


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The small real catalogue, built once per module and rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        data = build_catalogue()
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def described(result):
    """A result as "kind:slug" (films, people and lists are told apart)."""
    if result is None:
        return None
    kind = {Film: "film", Person: "person", CuratedList: "list"}[type(result)]
    return f"{kind}:{result.slug}"


# Query → the first result of the site-wide search. The same on SQLite and PostgreSQL.
FIRST_RESULTS = [
    # Russian titles in Cyrillic, with and without ё
    ("Москва слезам не верит", "film:moscow"),
    ("москва слезам", "film:moscow"),
    ("Ирония судьбы", "film:irony"),
    ("Утомлённые солнцем", "film:burnt"),
    ("Утомленные солнцем", "film:burnt"),
    ("УТОМЛЁННЫЕ СОЛНЦЕМ", "film:burnt"),
    ("Летят журавли", "film:cranes"),
    ("Солярис", "film:solaris"),
    ("Андрей Рублёв", "film:rublev"),
    ("Андрей Рублев", "film:rublev"),
    ("Кин-дза-дза", "film:kin-dza-dza"),
    ("Брат", "film:brother"),
    ("Брат 2", "film:brother-2"),
    ("Ёжик в тумане", "film:hedgehog"),
    ("Ежик в тумане", "film:hedgehog"),
    ("Иваново детство", "film:ivans-childhood"),
    # Russian titles in Latin letters: everyday, BGN/PCGN and ISO 9 spellings
    ("Moskva slezam", "film:moscow"),
    ("ironiya sudby", "film:irony"),
    ("Ironija sud'by", "film:irony"),
    ("s legkim parom", "film:irony"),
    ("Utomlyonnye solntsem", "film:burnt"),
    ("Utomlënnye solncem", "film:burnt"),
    ("letyat zhuravli", "film:cranes"),
    ("Letjat žuravli", "film:cranes"),
    ("Solyaris", "film:solaris"),
    ("Andrey Rublyov", "film:rublev"),
    ("kin dza dza", "film:kin-dza-dza"),
    ("Kin-dza-dza!", "film:kin-dza-dza"),
    ("Kindzadza", "film:kin-dza-dza"),
    ("Brat 2", "film:brother-2"),
    ("yozhik v tumane", "film:hedgehog"),
    ("ezhik", "film:hedgehog"),
    # English titles
    ("Moscow Does Not Believe in Tears", "film:moscow"),
    ("moscow doesnt believe", "film:moscow"),
    ("moscow doesn't believe in tears", "film:moscow"),
    ("The Irony of Fate", "film:irony"),
    ("enjoy your bath", "film:irony"),
    ("cranes flying", "film:cranes"),
    ("burnt by the sun", "film:burnt"),
    ("Solaris", "film:solaris"),
    ("andrei rublev", "film:rublev"),
    ("Brother", "film:brother"),
    ("Brother 2", "film:brother-2"),
    ("ivans childhood", "film:ivans-childhood"),
    ("hedgehog fog", "film:hedgehog"),
    ("office romance", "film:office-romance"),
    # People, any script and spelling: a name query finds the person before their films
    ("Menshov", "person:menshov"),
    ("Меньшов", "person:menshov"),
    ("Men'shov", "person:menshov"),
    ("Vladimir Menshov", "person:menshov"),
    ("Tarkovski", "person:tarkovsky"),
    ("Tarkovskiy", "person:tarkovsky"),
    ("Tarkovskij", "person:tarkovsky"),
    ("Tarkowski", "person:tarkovsky"),
    ("Андрей Тарковский", "person:tarkovsky"),
    ("Эльдар Рязанов", "person:ryazanov"),
    ("Ryasanov", "person:ryazanov"),
    ("Балабанов", "person:balabanov"),
    ("Alexei Balabanov", "person:balabanov"),
    ("Mikhalkov", "person:mikhalkov"),
    ("Freyndlikh", "person:freindlich"),
    # Typos: one or two wrong letters in a word of five or more
    ("Menchov", "person:menshov"),
    ("Michalkow", "person:mikhalkov"),
    ("Tarkavskee", "person:tarkovsky"),
    ("Soalris", "film:solaris"),
    ("Solris", "film:solaris"),
    ("Moskva slezem ne verit", "film:moscow"),
    ("zhuravly letiat", "film:cranes"),
    ("Utomlenye solntsem", "film:burnt"),
    # Titles and names together; lists
    ("Solaris Tarkovsky", "film:solaris"),
    ("Ryazanov Myagkov irony", "film:irony"),
    ("soviet love", "list:soviet-love"),
    ("essential films", "list:tarkovsky-essentials"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), FIRST_RESULTS, ids=[q for q, _ in FIRST_RESULTS])
def test_first_result(catalogue, query, expected):
    assert described(site_search(query).top) == expected


def test_the_table_has_at_least_thirty_cases():
    assert len(FIRST_RESULTS) >= 30


@pytest.mark.django_db
def test_an_exact_title_comes_before_titles_that_start_with_it(catalogue):
    assert [film.slug for film in Film.objects.search("Brother")] == ["brother", "brother-2"]
    assert [film.slug for film in Film.objects.search("Брат 2")][0] == "brother-2"


@pytest.mark.django_db
def test_a_name_query_lists_the_persons_films(catalogue):
    films = {film.slug for film in Film.objects.search("Tarkovsky")}
    assert films == {"solaris", "rublev", "ivans-childhood"}


@pytest.mark.django_db
def test_a_title_query_ranks_films_first_and_a_name_query_people_first(catalogue):
    assert site_search("Andrei Rublev").best_kind == "films"
    assert site_search("Andrei Tarkovsky").best_kind == "people"
    assert [kind for kind, _ in site_search("Tarkovsky").sections] == [
        "people",
        "films",
        "lists",
    ]


@pytest.mark.django_db
def test_people_search_finds_people_by_native_name(catalogue):
    assert [person.slug for person in Person.objects.search("Рязанов")] == ["ryazanov"]


@pytest.mark.django_db
def test_a_word_spelled_right_is_never_outranked_by_a_typo(catalogue):
    # "Solaris" matches as written, so typos of it (none here) are not even looked for.
    ranked = search.rank(Film.objects.all(), "Solaris")
    assert [pk for pk, _ in ranked] == [catalogue.films["solaris"].pk]


@pytest.mark.django_db
def test_filter_queryset_returns_a_queryset_that_filters_and_paginates(catalogue):
    results = Film.objects.search("Tarkovsky")
    assert results.count() == 3
    older = results.filter(release_year__lt=1970)
    assert list(older.values_list("slug", flat=True)) == ["rublev", "ivans-childhood"]
    assert len(results[1:3]) == 2
    assert results.in_decade(1970).get().slug == "solaris"


@pytest.mark.django_db
def test_search_of_lists_respects_visibility(catalogue, editor):
    DraftListFactory(slug="draft-love", title="Draft love stories")
    assert [lst.slug for lst in site_search("love stories").lists] == ["soviet-love"]
    visible = [lst.slug for lst in site_search("love stories", user=editor).lists]
    assert sorted(visible) == ["draft-love", "soviet-love"]


@pytest.mark.django_db
def test_nothing_matches_a_query_of_unknown_words(catalogue):
    assert not site_search("Терминатор")
    assert not Film.objects.search("zzzzzz").exists()


BAD_INPUT = [
    "",
    "   \t\n ",
    "🎬🍿🎥",
    "' OR 1=1 --",
    "'; DROP TABLE catalogue_film; --",
    "%",
    "_",
    "%%__%%",
    "\x00",
    "\x00\x01\x02\x1b[31m",
    "\\",
    "a" * 10_000,
    "Moskva " * 2_000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", BAD_INPUT, ids=range(len(BAD_INPUT)))
def test_bad_input_is_answered_without_error(catalogue, query):
    results = site_search(query)
    films = list(Film.objects.search(query))
    assert len(results.films) <= 20
    assert len(films) <= search.MAX_RESULTS
    assert Film.objects.count() == len(FILMS)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "  ", "🎬", "%", "_", "\x00", "--"])
def test_queries_without_words_find_nothing(catalogue, query):
    assert not site_search(query)
    assert not Film.objects.search(query).exists()


@pytest.mark.django_db
def test_control_characters_separate_words(catalogue):
    assert described(site_search("Moskva\x00slezam\x07").top) == "film:moscow"


@pytest.mark.django_db
def test_a_long_query_is_cut_to_its_first_words(catalogue):
    assert described(site_search("Solaris" + " " * 10_000 + "Terminator").top) == "film:solaris"
    assert search.parse_query("word " * 5_000).words == ("vord",) * search.MAX_QUERY_WORDS


@pytest.mark.django_db
def test_search_costs_the_same_number_of_queries_whatever_the_matches(catalogue):
    def count_queries(query):
        with CaptureQueriesContext(connection) as queries:
            site_search(query)
        return len(queries)

    few = count_queries("Menshov")  # one film, one person
    for index in range(8):
        film = FilmFactory(title=f"Menshov retrospective {index}")
        CreditFactory(film=film, person=catalogue.people["menshov"])
    assert count_queries("Menshov") == few


# --- The stored key, kept current ---------------------------------------------------------


@pytest.mark.django_db
def test_search_text_holds_all_titles_people_and_synopsis(catalogue):
    film = Film.objects.get(slug="irony")
    names, people, prose = film.search_text.split(search.SECTION_SEPARATOR)
    assert "ironia sudbi ili s legkim parom" in names.split(search.ENTRY_SEPARATOR)
    assert "the ironi of fate" in names.split(search.ENTRY_SEPARATOR)
    assert "eldar riazanov" in people.split(search.ENTRY_SEPARATOR)
    assert search.search_key("bathhouse") in prose.split()


@pytest.mark.django_db
def test_renaming_a_film_updates_its_key():
    film = FilmFactory(title="Working title")
    film.title = "Stalker"
    film.save()
    assert Film.objects.search("Stalker").get() == film
    assert not Film.objects.search("Working").exists()
    assert "stalker" in film.search_text


@pytest.mark.django_db
def test_adding_and_removing_a_title_updates_the_films_key():
    film = FilmFactory(title="Stalker")
    alternative = FilmTitleFactory(film=film, title="Пикник на обочине")
    assert Film.objects.search("Пикник").get() == film
    alternative.delete()
    assert not Film.objects.search("Пикник").exists()


@pytest.mark.django_db
def test_crediting_and_renaming_a_person_updates_the_films_key():
    film = FilmFactory(title="Russian Ark")
    person = PersonFactory(name="Aleksandr Sokurov")
    credit = CreditFactory(film=film, person=person)
    assert Film.objects.search("Sokurov").get() == film
    person.native_name = "Александр Сокуров"
    person.save()
    assert Film.objects.search("Сокуров").get() == film
    credit.delete()
    assert not Film.objects.search("Sokurov").exists()


@pytest.mark.django_db
def test_a_lists_key_follows_its_title_and_introduction():
    curated_list = CuratedListFactory(title="Winter films", introduction="Snow and tangerines")
    assert CuratedList.objects.search("tangerines").get() == curated_list
    curated_list.title = "Зимнее кино"
    curated_list.save()
    assert CuratedList.objects.search("зимнее").get() == curated_list


@pytest.mark.django_db
def test_rebuild_search_text_repairs_rows_written_without_signals(catalogue):
    Film.objects.update(search_text="")
    Person.objects.update(search_text="")
    CuratedList.objects.update(search_text="")
    assert not site_search("Menshov")
    call_command("rebuild_search_text", verbosity=0)
    assert described(site_search("Menshov").top) == "person:menshov"
    assert described(site_search("soviet love").top) == "list:soviet-love"
    assert described(site_search("Solaris").top) == "film:solaris"


@pytest.mark.django_db
def test_compose_search_text_matches_the_saved_key(catalogue):
    person = Person.objects.get(slug="menshov")
    assert search.compose_search_text([person.name, person.native_name]) == person.search_text


# --- PostgreSQL: the GIN indexes serve the queries --------------------------------------

SEARCH_INDEXES = {
    f"{table}_{suffix}"
    for table in ("catalogue_film", "catalogue_person", "lists_curatedlist")
    for suffix in ("search_trgm", "search_fts", "search_titles_fts")
}


@postgresql_only
@pytest.mark.django_db
def test_the_migration_creates_the_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert SEARCH_INDEXES <= names


@postgresql_only
@pytest.mark.django_db
def test_connections_use_the_typo_threshold_of_the_search():
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == search.PG_TRIGRAM_THRESHOLD


def explain(model, query, typos):
    """The plan of the statement that fetches the candidates of `query` among `model` rows."""
    querysets = search.candidate_querysets(model.objects.all(), search.parse_query(query), typos)
    sql, params = search.postgresql_candidates_sql(querysets, 60)
    with connection.cursor() as cursor:
        # The test tables are tiny; without this the planner rightly prefers sequential scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
@pytest.mark.django_db
def test_exact_search_uses_the_full_text_gin_indexes(catalogue):
    plan = explain(Film, "Moskva slezam", typos=False)
    assert "catalogue_film_search_titles_fts" in plan
    assert "catalogue_film_search_fts" in plan


@postgresql_only
@pytest.mark.django_db
def test_typo_search_uses_the_trigram_gin_index(catalogue):
    assert "catalogue_person_search_trgm" in explain(Person, "Menchov", typos=True)


@postgresql_only
@pytest.mark.django_db
def test_list_search_uses_the_lists_indexes(catalogue):
    plan = explain(CuratedList, "soviet", typos=False)
    assert "lists_curatedlist_search_titles_fts" in plan
    assert "lists_curatedlist_search_fts" in plan


@pytest.mark.django_db
def test_typo_candidates_include_every_typo_python_accepts(catalogue):
    # PostgreSQL's trigram threshold is lower than Python's; SQLite's LIKE prefilter is a
    # necessary condition of Python's test. Either way SQL never drops a typo Python accepts.
    for query in ["Menchov", "Tarkavskee", "Soalris", "Solris", "Michalkow", "Freyndlikh"]:
        parsed = search.parse_query(query)
        for model in (Film, Person):
            fetched = {pk for pk, _ in search._candidates(model.objects.all(), parsed, True, 20)}
            accepted = {
                pk
                for pk, text in model.objects.values_list("pk", "search_text")
                if search.rank_key(parsed, text, typos=True) is not None
            }
            assert accepted <= fetched, (query, model)


@pytest.mark.django_db
def test_search_composes_with_annotated_and_ordered_querysets(catalogue):
    lists = CuratedList.objects.published().with_entry_counts().order_by("title").search("love")
    assert [(lst.slug, lst.entry_count) for lst in lists] == [("soviet-love", 0)]
    films = Film.objects.for_cards().in_decade(1970).search("Ryazanov")
    assert [film.slug for film in films] == ["office-romance", "irony"]  # ties: by title
