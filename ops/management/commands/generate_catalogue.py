"""Generate a large, realistic synthetic catalogue for benchmarks and scale tests.

    python manage.py generate_catalogue --films 100000 --seed 42

Everything is written with bulk_create in batches inside one transaction, so an interrupted
run leaves nothing behind. bulk_create sends no signals, so each row's `search_text` is
composed here from the in-memory rows by the models' own `compose_search_text`.
The same --seed on the same starting database gives the same catalogue.
"""

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from catalogue.models import (
    Award,
    AwardOutcome,
    Country,
    Credit,
    CreditRole,
    Film,
    FilmLocation,
    FilmTitle,
    Genre,
    LocationKind,
    Organisation,
    Person,
    Place,
    Source,
    Verification,
)
from core import response_cache
from core.models import free_slug
from core.spelling import make_slug, romanize
from lists.models import CuratedList, CuratedListEntry

# The Source every generated list points at; its presence marks a generated database.
SOURCE_SLUG = "synthetic-catalogue"
BATCH_SIZE = 2000
# Films are generated (and their children inserted) this many at a time to bound memory.
CHUNK_SIZE = 5000

# --- Vocabulary: Russian words with their English glosses, combined into titles. -------------
ADJECTIVES = [
    ("Белый", "White"), ("Чёрный", "Black"), ("Красный", "Red"), ("Тихий", "Quiet"),
    ("Долгий", "Long"), ("Последний", "Last"), ("Первый", "First"), ("Холодный", "Cold"),
    ("Горячий", "Hot"), ("Старый", "Old"), ("Новый", "New"), ("Далёкий", "Distant"),
    ("Золотой", "Golden"), ("Зелёный", "Green"), ("Синий", "Blue"), ("Ночной", "Night"),
    ("Летний", "Summer"), ("Зимний", "Winter"), ("Осенний", "Autumn"), ("Весенний", "Spring"),
    ("Странный", "Strange"), ("Большой", "Big"), ("Маленький", "Little"), ("Живой", "Living"),
    ("Железный", "Iron"), ("Стеклянный", "Glass"), ("Северный", "Northern"),
    ("Южный", "Southern"), ("Потерянный", "Lost"), ("Вечный", "Eternal"),
]  # fmt: skip
NOUNS = [
    ("Солнце", "Sun"), ("Берег", "Shore"), ("Поезд", "Train"), ("Город", "City"),
    ("Дом", "House"), ("Сад", "Garden"), ("Ветер", "Wind"), ("Путь", "Road"), ("Сон", "Dream"),
    ("Остров", "Island"), ("Мост", "Bridge"), ("Лес", "Forest"), ("Снег", "Snow"),
    ("Корабль", "Ship"), ("Огонь", "Fire"), ("Голос", "Voice"), ("Час", "Hour"),
    ("Брат", "Brother"), ("Отец", "Father"), ("Рассвет", "Dawn"), ("Закат", "Sunset"),
    ("Вокзал", "Station"), ("Фронт", "Front"), ("Космос", "Cosmos"), ("Вальс", "Waltz"),
    ("Романс", "Romance"), ("Урожай", "Harvest"), ("Маяк", "Lighthouse"), ("Караван", "Caravan"),
    ("Сталкер", "Stalker"), ("Гром", "Thunder"), ("Зеркало", "Mirror"), ("Пароход", "Steamer"),
]  # fmt: skip
PLACES_OF = [
    ("пустыни", "of the Desert"), ("над Невой", "over the Neva"), ("в степи", "in the Steppe"),
    ("над городом", "over the City"), ("у моря", "by the Sea"), ("в тайге", "in the Taiga"),
    ("на Волге", "on the Volga"), ("в горах", "in the Mountains"), ("за рекой", "beyond the River"),
    ("под Москвой", "near Moscow"), ("на севере", "in the North"), ("в деревне", "in the Village"),
]  # fmt: skip

FIRST_NAMES = [
    "Александр", "Алексей", "Андрей", "Борис", "Вадим", "Василий", "Виктор", "Владимир",
    "Георгий", "Григорий", "Дмитрий", "Евгений", "Иван", "Игорь", "Константин", "Леонид",
    "Михаил", "Никита", "Николай", "Олег", "Павел", "Пётр", "Сергей", "Станислав", "Юрий",
    "Анна", "Валентина", "Вера", "Галина", "Екатерина", "Елена", "Ирина", "Людмила",
    "Марина", "Мария", "Наталья", "Нина", "Ольга", "Светлана", "Татьяна", "Инна", "Лариса",
]  # fmt: skip
FEMALE_FIRST_NAMES = set(FIRST_NAMES[FIRST_NAMES.index("Анна") :])
SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Козлов",
    "Новиков", "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов",
    "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Беляев",
    "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров", "Андреев", "Ковалёв",
    "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Алексеев",
    "Степанов", "Яковлев", "Сорокин", "Сергеев", "Романов", "Захаров", "Борисов", "Королёв",
    "Герасимов", "Пономарёв", "Григорьев", "Лазарев", "Медведев", "Ершов", "Никитин",
    "Соболев", "Рябов", "Поляков", "Цветков", "Данилов", "Жуков", "Фролов", "Журавлёв",
]  # fmt: skip
CHARACTERS = [
    "Сухов", "Саид", "Верещагин", "Катерина", "Гоша", "Шарапов", "Жеглов", "Штирлиц",
    "Людмила", "Рахимов", "Петруха", "Абдулла", "Гюльчатай", "Бывалов", "Лётчик", "Врач",
    "Учитель", "Капитан", "Председатель", "Мальчик", "Девушка", "Старик", "Инженер",
]  # fmt: skip

COUNTRIES = [
    ("SU", "Soviet Union", 0.55), ("RU", "Russia", 0.25), ("UA", "Ukraine", 0.04),
    ("GE", "Georgia", 0.04), ("KZ", "Kazakhstan", 0.02), ("BY", "Belarus", 0.02),
    ("AM", "Armenia", 0.02), ("FR", "France", 0.02), ("DE", "Germany", 0.02),
    ("FI", "Finland", 0.01), ("PL", "Poland", 0.01),
]  # fmt: skip
GENRES = [
    "Drama", "Comedy", "War", "Science fiction", "Adventure", "Crime", "Melodrama", "Musical",
    "Fairy tale", "Historical", "Thriller", "Documentary", "Animation", "Western", "Romance",
]  # fmt: skip
STUDIOS = [
    ("Mosfilm", "Мосфильм"), ("Lenfilm", "Ленфильм"),
    ("Gorky Film Studio", "Киностудия им. Горького"),
    ("Dovzhenko Film Studios", "Киностудия им. Довженко"), ("Soyuzmultfilm", "Союзмультфильм"),
    ("Georgia-film", "Грузия-фильм"), ("Belarusfilm", "Беларусьфильм"),
    ("Sverdlovsk Film Studio", "Свердловская киностудия"),
    ("Odessa Film Studio", "Одесская киностудия"),
    ("Kazakhfilm", "Казахфильм"), ("Armenfilm", "Арменфильм"), ("CTB Film Company", "СТВ"),
]  # fmt: skip
AWARD_BODIES = [
    ("Academy of Motion Picture Arts and Sciences", "award_body", "US",
     ["Best Foreign Language Film", "Best Cinematography"]),
    ("Cannes Film Festival", "festival", "FR", ["Palme d'Or", "Grand Prix", "Best Director"]),
    ("Venice Film Festival", "festival", "IT", ["Golden Lion", "Silver Lion"]),
    ("Berlin International Film Festival", "festival", "DE", ["Golden Bear", "Silver Bear"]),
    ("Moscow International Film Festival", "festival", "SU", ["Golden St. George", "Grand Prix"]),
    ("Nika Award", "award_body", "RU", ["Best Film", "Best Director", "Best Actor"]),
    ("Golden Eagle Award", "award_body", "RU", ["Best Film", "Best Screenplay"]),
    ("Kinotavr", "festival", "RU", ["Grand Prix", "Best Debut"]),
]  # fmt: skip
EXTRA_COUNTRIES = {"US": "United States", "IT": "Italy"}
CITIES = [
    ("Moscow", "Москва", "SU"), ("Leningrad", "Ленинград", "SU"), ("Kiev", "Киев", "SU"),
    ("Tbilisi", "Тбилиси", "SU"), ("Odessa", "Одесса", "SU"), ("Yalta", "Ялта", "SU"),
    ("Riga", "Рига", "SU"), ("Tallinn", "Таллин", "SU"), ("Baku", "Баку", "SU"),
    ("Samarkand", "Самарканд", "SU"), ("Murmansk", "Мурманск", "SU"), ("Irkutsk", "Иркутск", "SU"),
    ("Vladivostok", "Владивосток", "SU"), ("Kazan", "Казань", "SU"),
    ("Volgograd", "Волгоград", "SU"), ("Sochi", "Сочи", "RU"),
    ("Saint Petersburg", "Санкт-Петербург", "RU"), ("Paris", "Париж", "FR"),
    ("Berlin", "Берлин", "DE"), ("Helsinki", "Хельсинки", "FI"),
]  # fmt: skip
LIST_THEMES = [
    "Soviet comedies", "Films about trains", "Winter films", "War dramas", "Films set in Moscow",
    "Science fiction of the thaw", "Georgian cinema", "Debuts", "Films about the sea",
    "Musicals", "Fairy tales", "Road movies", "Village prose on screen", "Crime classics",
]  # fmt: skip


class Progress:
    """A one-line progress bar on stderr (no dependency, fine in logs and terminals)."""

    def __init__(self, label, total, stream=None, enabled=True):
        self.label, self.total, self.stream, self.enabled = label, total, stream, enabled
        self.started = time.monotonic()
        self.done = 0
        self.shown = -1

    def advance(self, count):
        self.done += count
        fraction = self.done / self.total if self.total else 1
        # Redraw once per percent, not once per call.
        if not self.enabled or int(fraction * 100) == self.shown:
            return
        self.shown = int(fraction * 100)
        bar = "#" * int(fraction * 30)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label:<8} [{bar:<30}] {self.done:>7}/{self.total} {elapsed:6.1f}s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


class CatalogueGenerator:
    """Builds the synthetic catalogue; one instance per run, driven by one seeded Random."""

    def __init__(self, films, seed, lists, progress_stream=None):
        self.film_count = films
        self.list_count = lists
        self.rng = random.Random(seed)
        self.progress_stream = progress_stream
        self.counts = {}
        self.next_suffix = {}

    # --- helpers ------------------------------------------------------------------------
    def take_free_slug(self, base, taken):
        """A free slug for `base` among `taken`, which it joins."""
        slug = free_slug(base, taken, self.next_suffix)
        taken.add(slug)
        return slug

    def progress(self, label, total):
        return Progress(
            label, total, self.progress_stream, enabled=self.progress_stream is not None
        )

    def bulk(self, model, rows):
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        key = model._meta.label
        self.counts[key] = self.counts.get(key, 0) + len(rows)
        return rows

    def popular(self, items):
        """Pick with a long tail: a few people and places appear very often, most rarely."""
        return items[int(len(items) * self.rng.random() ** 2.5)]

    # --- reference data -----------------------------------------------------------------
    def make_reference_data(self):
        all_countries = [(code, name) for code, name, _ in COUNTRIES] + list(
            EXTRA_COUNTRIES.items()
        )
        self.countries = {}
        for code, name in all_countries:
            self.countries[code], _ = Country.objects.get_or_create(
                code=code, defaults={"name": name, "slug": make_slug(name)}
            )
        self.country_weights = [weight for _, _, weight in COUNTRIES]
        self.country_codes = [code for code, _, _ in COUNTRIES]
        self.genres = [
            Genre.objects.get_or_create(slug=make_slug(name), defaults={"name": name})[0]
            for name in GENRES
        ]
        self.studios = [
            Organisation.objects.get_or_create(
                slug=make_slug(name),
                defaults={
                    "name": name,
                    "native_name": native,
                    "kind": Organisation.Kind.STUDIO,
                    "country": self.countries["SU"],
                },
            )[0]
            for name, native in STUDIOS
        ]
        self.award_bodies = [
            (
                Organisation.objects.get_or_create(
                    slug=make_slug(name),
                    defaults={"name": name, "kind": kind, "country": self.countries[code]},
                )[0],
                categories,
            )
            for name, kind, code, categories in AWARD_BODIES
        ]
        taken = set(Place.objects.values_list("slug", flat=True))
        places = []
        for name, native, code in CITIES:
            if make_slug(name) in taken:
                continue
            places.append(
                Place(
                    slug=self.take_free_slug(make_slug(name), taken),
                    name=name,
                    native_name=native,
                    country=self.countries[code],
                )
            )
        # Districts and landmarks give the long tail of places a real catalogue has.
        for _ in range(300):
            adjective, adjective_en = self.rng.choice(ADJECTIVES)
            noun, noun_en = self.rng.choice(NOUNS)
            city, city_native, code = self.rng.choice(CITIES)
            name = f"{adjective_en} {noun_en}, {city}"
            places.append(
                Place(
                    slug=self.take_free_slug(make_slug(name), taken),
                    name=name,
                    native_name=f"{adjective} {noun.lower()}, {city_native}",
                    country=self.countries[code],
                )
            )
        self.bulk(Place, places)
        self.places = list(Place.objects.order_by("slug"))

    # --- people -------------------------------------------------------------------------
    def make_people(self, count):
        taken = set(Person.objects.values_list("slug", flat=True))
        people = []
        progress = self.progress("people", count)
        for index in range(count):
            first = self.rng.choice(FIRST_NAMES)
            surname = self.rng.choice(SURNAMES)
            if first in FEMALE_FIRST_NAMES:
                surname = surname + "а"
            native_name = f"{first} {surname}"
            name = romanize(native_name).title()
            birth_year = self.rng.randint(1880, 2000)
            death_year = birth_year + self.rng.randint(40, 95)
            person = Person(
                slug=self.take_free_slug(make_slug(name), taken),
                name=name,
                native_name=native_name,
                birth_year=birth_year,
                death_year=death_year if death_year < 2025 else None,
                verification=Verification.CONFIRMED if index % 3 else Verification.UNVERIFIED,
            )
            person.search_text = person.compose_search_text()
            people.append(person)
            if len(people) >= CHUNK_SIZE:
                self.bulk(Person, people)
                progress.advance(len(people))
                self.people.extend(people)
                people = []
        self.bulk(Person, people)
        progress.advance(len(people))
        self.people.extend(people)

    # --- films and everything hanging off them --------------------------------------------
    def film_year(self):
        # Most of the catalogue is Soviet-era; a long tail before and after.
        return min(2025, max(1910, int(self.rng.gauss(1968, 22))))

    def film_titles(self):
        adjective, adjective_en = self.rng.choice(ADJECTIVES)
        noun, noun_en = self.rng.choice(NOUNS)
        shape = self.rng.random()
        if shape < 0.3:
            return noun, noun_en
        if shape < 0.8:
            return f"{adjective} {noun.lower()}", f"The {adjective_en} {noun_en}"
        place, place_en = self.rng.choice(PLACES_OF)
        return f"{adjective} {noun.lower()} {place}", f"The {adjective_en} {noun_en} {place_en}"

    def make_film_chunk(self, count, film_slugs):
        films, children = [], []
        for _ in range(count):
            original, english = self.film_titles()
            year = self.film_year()
            romanized = romanize(original).capitalize()
            film = Film(
                slug=self.take_free_slug(make_slug(f"{english} {year}"), film_slugs),
                title=english,
                original_title=original,
                original_language="ru",
                romanized_title=romanized,
                release_year=year,
                release_date=(
                    date(year, 1, 1) + timedelta(days=self.rng.randint(0, 364))
                    if self.rng.random() < 0.6
                    else None
                ),
                runtime_minutes=self.rng.randint(62, 190),
                synopsis=f"{english}: a story of {self.rng.choice(NOUNS)[1].lower()} and "
                f"{self.rng.choice(NOUNS)[1].lower()}, {year}.",
                verification=(
                    Verification.CONFIRMED if self.rng.random() < 0.8 else Verification.UNVERIFIED
                ),
                admissions=self.rng.randint(1, 80) * 1_000_000 if self.rng.random() < 0.1 else None,
            )
            titles = [
                FilmTitle(title=english, kind=FilmTitle.Kind.ENGLISH, language="en"),
                FilmTitle(title=romanized, kind=FilmTitle.Kind.ROMANIZATION, language="ru-Latn"),
            ]
            if self.rng.random() < 0.15:
                noun, _ = self.rng.choice(NOUNS)
                titles.append(FilmTitle(title=noun, kind=FilmTitle.Kind.WORKING, language="ru"))
            credits = self.make_credits()
            film.search_text = film.compose_search_text(
                titles, [credit.person for credit in credits]
            )
            films.append(film)
            children.append((titles, credits))
        self.bulk(Film, films)
        self.make_film_children(films, children)
        return films

    def make_credits(self):
        credits, used = [], set()

        def credit(role, billing_order=None, character=""):
            for _ in range(5):
                person = self.popular(self.people)
                if (person.pk, role) not in used:
                    used.add((person.pk, role))
                    credits.append(
                        Credit(
                            person=person,
                            role=role,
                            billing_order=billing_order,
                            character=character,
                            verification=Verification.CONFIRMED,
                        )
                    )
                    return

        credit(CreditRole.DIRECTOR, 1)
        if self.rng.random() < 0.1:
            credit(CreditRole.DIRECTOR, 2)
        for order in range(1, self.rng.randint(1, 2) + 1):
            credit(CreditRole.WRITER, order)
        credit(CreditRole.CINEMATOGRAPHER)
        credit(CreditRole.COMPOSER)
        for order in range(1, self.rng.randint(3, 8) + 1):
            credit(CreditRole.ACTOR, order, self.rng.choice(CHARACTERS))
        return credits

    def make_film_children(self, films, children):
        through_countries = Film.countries.through
        through_genres = Film.genres.through
        through_studios = Film.studios.through
        titles, credits, countries, genres, studios, locations = [], [], [], [], [], []
        for film, (film_titles, film_credits) in zip(films, children, strict=True):
            for title in film_titles:
                title.film = film
                titles.append(title)
            for credit in film_credits:
                credit.film = film
                credits.append(credit)
            codes = {self.soviet_or_russian(film.release_year)}
            if self.rng.random() < 0.15:
                codes.add(self.rng.choices(self.country_codes, self.country_weights)[0])
            countries += [
                through_countries(film_id=film.pk, country_id=self.countries[code].pk)
                for code in sorted(codes)
            ]
            genres += [
                through_genres(film_id=film.pk, genre_id=genre.pk)
                for genre in self.rng.sample(self.genres, self.rng.randint(1, 3))
            ]
            studios.append(
                through_studios(film_id=film.pk, organisation_id=self.popular(self.studios).pk)
            )
            setting = self.popular(self.places)
            period_year = min(film.release_year, max(1800, int(self.rng.gauss(1940, 40))))
            locations.append(
                FilmLocation(
                    film=film,
                    place=setting,
                    kind=LocationKind.SETTING,
                    period=str(period_year),
                    period_start_year=period_year,
                    period_end_year=period_year,
                )
            )
            if self.rng.random() < 0.5:
                locations.append(
                    FilmLocation(
                        film=film, place=self.popular(self.places), kind=LocationKind.FILMING
                    )
                )
        self.bulk(FilmTitle, titles)
        self.bulk(Credit, credits)
        self.bulk(through_countries, countries)
        self.bulk(through_genres, genres)
        self.bulk(through_studios, studios)
        self.bulk(FilmLocation, locations)
        self.make_awards(films, children)

    def soviet_or_russian(self, year):
        if year < 1992:
            return "SU"
        return "RU" if self.rng.random() < 0.85 else self.rng.choice(["UA", "GE", "KZ", "BY"])

    def make_awards(self, films, children):
        awards = []
        for film, (_, film_credits) in zip(films, children, strict=True):
            if self.rng.random() >= 0.05:
                continue
            organisation, categories = self.rng.choice(self.award_bodies)
            for category in self.rng.sample(categories, self.rng.randint(1, len(categories))):
                director = film_credits[0].person if film_credits else None
                awards.append(
                    Award(
                        organisation=organisation,
                        category=category,
                        ceremony_year=min(2100, film.release_year + 1),
                        film=film,
                        person=director if category == "Best Director" else None,
                        outcome=(
                            AwardOutcome.WON if self.rng.random() < 0.3 else AwardOutcome.NOMINATED
                        ),
                        verification=Verification.CONFIRMED,
                    )
                )
        self.bulk(Award, awards)

    # --- lists --------------------------------------------------------------------------
    def make_lists(self, films):
        taken = set(CuratedList.objects.values_list("slug", flat=True))
        published_from = datetime(2015, 1, 1, tzinfo=UTC)
        progress = self.progress("lists", self.list_count)
        lists, entry_plan = [], []
        for index in range(self.list_count):
            theme = self.rng.choice(LIST_THEMES)
            title = f"{theme}: {self.rng.choice(ADJECTIVES)[1].lower()} selection {index + 1}"
            curated_list = CuratedList(
                slug=self.take_free_slug(make_slug(title), taken),
                title=title,
                introduction=f"An editor's choice of {theme.lower()}, ranked.",
                status=CuratedList.Status.PUBLISHED,
                published_at=published_from + timedelta(minutes=self.rng.randint(0, 5_000_000)),
                featured=index < 6,
                source=self.source,
            )
            curated_list.search_text = curated_list.compose_search_text()
            lists.append(curated_list)
            entry_plan.append(self.rng.sample(films, self.rng.randint(10, 100)))
        self.bulk(CuratedList, lists)
        entries = []
        for curated_list, chosen in zip(lists, entry_plan, strict=True):
            for position, (film_id, title, year, synopsis) in enumerate(chosen, start=1):
                entries.append(
                    CuratedListEntry(
                        curated_list=curated_list,
                        film_id=film_id,
                        position=position,
                        blurb=f"{title} ({year}) — {synopsis}",
                        fact=f"Shot in {self.rng.randint(20, 120)} days.",
                        verification=Verification.CONFIRMED,
                    )
                )
            progress.advance(1)
        self.bulk(CuratedListEntry, entries)

    # --- the run ------------------------------------------------------------------------
    def run(self):
        self.people = []
        self.source = Source.objects.create(
            slug=SOURCE_SLUG,
            title="Synthetic catalogue (generate_catalogue)",
            kind=Source.Kind.EDITORIAL,
            text=f"generate_catalogue --films {self.film_count} --lists {self.list_count}",
        )
        self.make_reference_data()
        self.make_people(max(50, self.film_count * 2 // 5))
        film_slugs = set(Film.objects.values_list("slug", flat=True))
        # Keep only what lists need (pk, title, year, synopsis), not 100,000 Film objects.
        films = []
        progress = self.progress("films", self.film_count)
        for start in range(0, self.film_count, CHUNK_SIZE):
            count = min(CHUNK_SIZE, self.film_count - start)
            films += [
                (film.pk, film.title, film.release_year, film.synopsis)
                for film in self.make_film_chunk(count, film_slugs)
            ]
            progress.advance(count)
        self.make_lists(films)
        return self.counts


class Command(BaseCommand):
    help = "Generate a synthetic catalogue (people, films, credits, awards, lists) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--lists", type=int, default=500, help="Published lists to create.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, films, seed, lists, no_progress=False, **options):
        if films < 100 or lists < 0:
            raise CommandError("--films must be at least 100 (lists draw up to 100 films each).")
        if Source.objects.filter(slug=SOURCE_SLUG).exists():
            raise CommandError(
                "This database already holds a generated catalogue; use a fresh database."
            )
        started = time.monotonic()
        generator = CatalogueGenerator(
            films, seed, lists, progress_stream=None if no_progress else sys.stderr
        )
        with transaction.atomic():
            counts = generator.run()
            response_cache.invalidate()  # bulk_create sends no signals
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics so the planner sees 100,000 films, not an empty table, and a
            # visibility map so counts can be index-only scans (autovacuum would get there later).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{label}: {count}" for label, count in sorted(counts.items()))
        self.stdout.write(f"Generated in {elapsed:.1f}s ({summary})")
