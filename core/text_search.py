"""The one search service for the site, the admin and the API.

Every searchable row (Film, Person, CuratedList) stores a `search_text` key, rebuilt on save
(catalogue/signals.py, lists/signals.py) and by `manage.py rebuild_search_text`. It holds
three sections separated by " | ": the row's own names (all titles of a film, a person's
names, a list's title), then the people credited on a film, then prose (a synopsis, a list's
introduction). Within a section, separate names are separated by " ; ". Everything is in one
folded Latin spelling (core/spelling.py's `search_key`), so "Меньшов", "Men'shov" and
"Menshov", or "Тарковский", "Tarkovskiy" and "Tarkovsky", are the same word.

A search runs in two steps:
1. Candidates come from the database: on PostgreSQL through GIN indexes (full-text prefix
   search on the sections, and pg_trgm word similarity for typos); elsewhere (SQLite) through
   LIKE on the same key. Both return a bounded number of rows.
2. One Python scorer, the same for every database, ranks the candidates: an exact title
   first, then all words within one title or name, then words spread over the row, weighted
   titles (A) > people (B) > prose (C) like PostgreSQL's ts_rank (see `rank_key`). So SQLite
   and PostgreSQL give the same order for the same rows. docs/search.md has the details.

Typos are looked for only when no row matches every word as written. Each word of five or
more letters must then be in a title or name: as written, as a prefix, or within two edits
(core/spelling.py's `edit_distance`) of a word sharing enough trigrams with it (the pg_trgm
test, repeated in Python so both databases agree); shorter words may be prefixes anywhere.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When

from core.spelling import edit_distance, search_key
from core.translations import as_written

# Longer queries are cut: nobody types a title this long, and it bounds the work per query.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
# filter_queryset returns at most this many rows: the best matches, in order.
MAX_RESULTS = 200
# Rows fetched per candidate query (PostgreSQL runs two, merged, or one for typos; SQLite one):
# three times the rows wanted, within these bounds. More costs time, fewer costs recall when a
# common word matches thousands of rows.
MIN_CANDIDATES = 60
MAX_CANDIDATES = 300
SQLITE_CANDIDATES = 2000  # SQLite is the small embedded catalogue: rank more, fetch once
# Prose beyond this many characters of key is not searched (it only dilutes the key).
PROSE_KEY_LENGTH = 1000

SECTION_SEPARATOR = " | "
ENTRY_SEPARATOR = " ; "
# ts_rank's default weights for A, B and C: names, people, prose.
SECTION_WEIGHTS = (1.0, 0.4, 0.2)

TS_CONFIG = "kinoteka_search"  # created by catalogue/migrations/0002_search.py

FUZZY_MIN_LENGTH = 5
FUZZY_MAX_EDITS = 2
# Trigram similarity (shared / all trigrams of the two words) a word must have with a query
# word to count as a typo of it. pg_trgm's word_similarity is at least this for the same
# word, and PostgreSQL selects candidates with a slightly lower threshold: it never misses a
# typo Python accepts.
TRIGRAM_THRESHOLD = 0.3
PG_TRIGRAM_THRESHOLD = 0.29

EXACT, PREFIX, TYPO, FAR_TYPO = 1.0, 0.8, 0.6, 0.5

# Words that do not have to match (they still count when they do). Words of one or two
# letters (и, в, с, a, 2) are optional too.
OPTIONAL_WORDS = frozenset(
    "the and for from with are was not ili dlia pro bez".split()  # folded spellings
)

# --- Keys --------------------------------------------------------------------------------


def _entry_keys(texts):
    """Unique keys of several names, some kept in two spellings: with ISO 9 letters read as
    digraphs and plain (Miloš: milosh, milos), with hyphens as spaces and joined (Kin-dza-dza:
    kin dza dza, kindzadza)."""
    keys = {}
    for text in texts:
        if not text:
            continue
        variants = [text] + ([text.replace("-", "")] if "-" in text else [])
        for variant in variants:
            for key in (search_key(variant), search_key(variant, iso9_letters=False)):
                if key:
                    keys[key] = None
    return ENTRY_SEPARATOR.join(keys)


def compose_search_text(names, people=(), prose=""):
    """The search_text of a row from its names (titles), credited people's names and prose.

    Usable on unsaved rows, e.g. by bulk generators that bypass signals.
    """
    prose_key = search_key(prose)
    if len(prose_key) > PROSE_KEY_LENGTH:
        prose_key = prose_key[: PROSE_KEY_LENGTH + 1].rsplit(" ", 1)[0]
    return SECTION_SEPARATOR.join([_entry_keys(names), _entry_keys(people), prose_key])


# --- Queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """A query as folded words; `required` are those every match must contain."""

    words: tuple
    required: tuple

    def __bool__(self):
        return bool(self.words)


def parse_query(query):
    """Fold a user's query; too long, empty or symbol-only input gives few or no words."""
    if not isinstance(query, str):
        query = "" if query is None else str(query)
    words = [word[:MAX_WORD_LENGTH] for word in search_key(query[:MAX_QUERY_LENGTH]).split()]
    words = tuple(words[:MAX_QUERY_WORDS])
    significant = [w for w in words if len(w) >= 3 and w not in OPTIONAL_WORDS]
    required = tuple(dict.fromkeys(significant or words))
    return ParsedQuery(words=words, required=required)


# --- Typos -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def trigrams(word):
    """pg_trgm's trigrams of one word (two spaces before it, one after)."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def typo_quality(query_word, word):
    """TYPO or FAR_TYPO when `word` is a typo of `query_word` (≥5 letters), else 0."""
    if len(query_word) < FUZZY_MIN_LENGTH or query_word == word:
        return 0
    wanted, found = trigrams(query_word), trigrams(word)
    if len(wanted & found) < TRIGRAM_THRESHOLD * len(wanted | found):
        return 0
    distance = edit_distance(query_word, word, limit=FUZZY_MAX_EDITS)
    if distance == 1:
        return TYPO
    if distance == 2:
        return FAR_TYPO
    return 0


def word_quality(query_word, words, typos):
    """How well `query_word` matches the best of `words`: EXACT, PREFIX, a typo or 0."""
    if query_word in words:
        return EXACT
    if any(word.startswith(query_word) for word in words):
        return PREFIX
    if typos:
        return max((typo_quality(query_word, word) for word in words), default=0)
    return 0


# --- Ranking (the same on every database) -----------------------------------------------


def rank_key(parsed, search_text, typos=False):
    """A sort key for a row (smaller sorts first), or None when the row does not match.

    Tiers: an exact title (or name) first; then all required words within one title, where
    higher scores (exact words over prefixes over typos), fewer extra words and a title
    starting with the query come first; then words spread over the row's titles, people and
    prose, by score. A name query ("Tarkovsky") so finds the person "Andrei Tarkovsky" before
    a list titled "Tarkovsky's Essential Films": one extra word against two.
    """
    sections = (search_text or "").split(SECTION_SEPARATOR)
    sections += [""] * (3 - len(sections))
    section_words = [set(section.split()) - {";"} for section in sections[:3]]
    words = parsed.words
    qualities = {}
    for query_word in dict.fromkeys(words):
        if typos and len(query_word) >= FUZZY_MIN_LENGTH:
            # Looking for typos, a long word must be in a title or name (as written or not).
            qualities[query_word] = SECTION_WEIGHTS[0] * word_quality(
                query_word, section_words[0], typos=True
            )
            continue
        best = 0
        for weight, available in zip(SECTION_WEIGHTS, section_words, strict=True):
            if best >= weight:
                break  # later sections weigh less: they cannot do better
            best = max(best, weight * word_quality(query_word, available, typos=False))
        qualities[query_word] = best
    if not all(qualities[word] for word in parsed.required):
        return None
    score = sum(qualities[word] for word in words) / len(words)

    spread = (-1, 0, True, sections[0].split(ENTRY_SEPARATOR)[0])
    candidates = [spread]
    for entry in sections[0].split(ENTRY_SEPARATOR):
        entry_words = entry.split()
        tier, starts_with_query = _entry_match(parsed, entry_words, typos)
        if tier:
            extra = len(entry_words) - len(words)
            candidates.append((-tier, extra, not starts_with_query, entry))
    tier, extra, not_prefix, entry_text = min(candidates)
    return (tier, -round(score, 6), extra, not_prefix, entry_text)


def relevance_score(key):
    """A row's `rank_key` as one number from 0 to 3, higher first, that sorts rows as the key
    does up to its tie-breakers: above 2 an exact title or name, above 1 every word within
    one title, above 0 words spread over titles, people and prose; within a tier, how well
    the words match (exact over prefix over typo, titles over prose)."""
    tier, negative_score = key[0], key[1]
    return round(-tier - 1 - negative_score, 4)


def _entry_match(parsed, entry_words, typos):
    """(tier, starts with the query) of one title: 3 exact, 2 all required words, else 0."""
    words = parsed.words
    if not entry_words:
        return 0, False
    if list(words) == entry_words:
        return 3, True
    count = len(words)
    starts = False
    if count <= len(entry_words):
        head = entry_words[:count]
        starts = list(words[:-1]) == head[:-1] and head[-1].startswith(words[-1])
        if (
            typos
            and count == len(entry_words)
            and all(w == e or typo_quality(w, e) for w, e in zip(words, entry_words, strict=True))
        ):
            return 3, True
    available = set(entry_words)
    if all(word_quality(word, available, typos) for word in parsed.required):
        return 2, starts
    return 0, False


# --- Candidates --------------------------------------------------------------------------


class TitlesVector(Func):
    """The names section as a tsvector (SQL function and GIN index: migration 0002)."""

    function = "kinoteka_names_vector"
    output_field = SearchVectorField()


class WeightedVector(Func):
    """All sections as one tsvector weighted A, B, C (SQL function and GIN index: 0002)."""

    function = "kinoteka_search_vector"
    output_field = SearchVectorField()


class NamesSection(Func):
    """The names section as text: the expression of the *_search_trgm indexes."""

    function = "split_part"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(SECTION_SEPARATOR), Value(1))


def _prefix_tsquery(words):
    # Words are [a-z0-9]+ only (see core.spelling.normalize), so quoting cannot be broken out of.
    return SearchQuery(
        " & ".join(f"'{word}':*" for word in words), search_type="raw", config=TS_CONFIG
    )


def _word_prefix_q(word):
    return Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")


def _typo_pieces_q(word):
    """Rows with a word sharing a trigram (other than its first letter) with `word`.

    Any word that passes the trigram test shares at least two such trigrams, so this
    prefilter never loses a typo that Python would accept.
    """
    q = Q(search_text__startswith=word[:2]) | Q(search_text__contains=f" {word[:2]}")
    q |= Q(search_text__endswith=word[-2:]) | Q(search_text__contains=f"{word[-2:]} ")
    for i in range(len(word) - 2):
        q |= Q(search_text__contains=word[i : i + 3])
    return q


def _is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def candidate_querysets(queryset, parsed, typos):
    """The queries of (pk, search_text) of rows that may match `parsed` (not yet bounded).

    PostgreSQL: GIN-indexed full-text prefix queries (the names section first, so a common
    word in thousands of synopses cannot push the title matches out), and for typos pg_trgm's
    word similarity. Other databases: LIKE on the same key.
    """
    # As written: modeltranslation's values_list() would order the columns as a set.
    queryset = as_written(queryset.order_by())
    if _is_postgresql(queryset):
        if not typos:
            vector_qs = queryset.alias(_vector=WeightedVector(F("search_text")))
            tsquery = _prefix_tsquery(parsed.required)
            titles = queryset.alias(_titles=TitlesVector(F("search_text"))).filter(_titles=tsquery)
            return [
                titles.values_list("pk", "search_text"),
                vector_qs.filter(_vector=tsquery).values_list("pk", "search_text"),
            ]
        # A long word in a title or name, exact or not, passes pg_trgm's test (GIN-indexed);
        # short words are prefixes anywhere, a cheap LIKE on the rows the index found.
        condition = Q()
        for word in parsed.required:
            if len(word) >= FUZZY_MIN_LENGTH:
                condition &= Q(_names__trigram_word_similar=word)
            else:
                condition &= _word_prefix_q(word)
        typos_qs = queryset.alias(_names=NamesSection(F("search_text"))).filter(condition)
        return [typos_qs.values_list("pk", "search_text")]
    condition = Q()
    for word in parsed.required:
        word_q = _word_prefix_q(word)
        if typos and len(word) >= FUZZY_MIN_LENGTH:
            word_q |= _typo_pieces_q(word)
        condition &= word_q
    return [queryset.filter(condition).values_list("pk", "search_text")]


def postgresql_candidates_sql(querysets, count):
    """One statement reading at most `count` rows of each query, merged without duplicates.

    Each query is a MATERIALIZED common table expression: PostgreSQL plans those for reading
    every row, so it uses the GIN indexes, where a plain LIMIT would make it gamble on a
    sequential scan finding `count` rows early (and rebuild a tsvector for each row read).
    The outer LIMIT still stops reading early.
    """
    ctes, params = [], []
    for index, queryset in enumerate(querysets):
        sql, query_params = queryset.query.get_compiler(using=queryset.db).as_sql()
        ctes.append(f"candidates_{index} AS MATERIALIZED ({sql})")
        params += query_params
    selects = " UNION ".join(
        f"(SELECT * FROM candidates_{index} LIMIT %s)" for index in range(len(querysets))
    )
    return f"WITH {', '.join(ctes)} {selects}", [*params, *[count] * len(querysets)]


def _candidates(queryset, parsed, typos, limit):
    """(pk, search_text) of a bounded set of rows that may match `parsed`."""
    querysets = candidate_querysets(queryset, parsed, typos)
    if not _is_postgresql(queryset):
        return list(querysets[0][:SQLITE_CANDIDATES])
    count = min(max(3 * limit, MIN_CANDIDATES), MAX_CANDIDATES)
    sql, params = postgresql_candidates_sql(querysets, count)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def set_trigram_threshold(connection):
    """Set pg_trgm's word similarity threshold for the %> operator of the typo query.

    Called for each new PostgreSQL connection (core/signals.py), so no search pays a
    round trip for it; nothing else in Kinoteka uses pg_trgm's operators.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET pg_trgm.word_similarity_threshold = %s", [str(PG_TRIGRAM_THRESHOLD)]
            )


def rank_phase(queryset, parsed, limit, typos):
    ranked = []
    for pk, search_text in _candidates(queryset, parsed, typos, limit):
        key = rank_key(parsed, search_text, typos)
        if key is not None:
            ranked.append((key, pk))
    ranked.sort()
    return [(pk, key) for key, pk in ranked[:limit]]


def typos_possible(parsed):
    return any(len(word) >= FUZZY_MIN_LENGTH for word in parsed.required)


def rank(queryset, query, limit=MAX_RESULTS):
    """[(pk, sort key)] of the best `limit` rows of `queryset` matching `query`, best first.

    Typos are looked for only when nothing matches as written.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed:
        return []
    ranked = rank_phase(queryset, parsed, limit, typos=False)
    if not ranked and typos_possible(parsed):
        ranked = rank_phase(queryset, parsed, limit, typos=True)
    return ranked


def filter_queryset(queryset, query, *, limit=MAX_RESULTS):
    """Rows of `queryset` (Film, Person or CuratedList) matching `query`, best first.

    At most `limit` rows; the result is a queryset that can be filtered and paginated.
    """
    pks = [pk for pk, _key in rank(queryset, query, limit)]
    if not pks:
        return queryset.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(pks)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=pks).order_by(order)
