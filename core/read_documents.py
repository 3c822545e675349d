"""Read documents: what a public API read answers about one object, or the blocks of a
visitor's page about one object (pages/documents.py), stored per language and served by the
next read instead of being rebuilt from a dozen tables (docs/performance.md, "Read documents").

A document holds JSON data (the serializer's, or a page's blocks), with the request's origin
taken out of its links (a placeholder put back for each request's host), and the tags of the
tracked rows it shows, as the response cache names them (`core.response_cache`): its film, the
people credited, the lists it appears in. When a write commits, the documents holding any tag
it made stale are deleted (`forget_stale`, a `when_stale` listener); so is every document of a
kind that registered the written model as a collection. A write no row tag describes
(EVERY_OBJECT_TAG: a genre renamed, a bulk load, a restore) and every `migrate` applying
migrations start a new generation instead: the documents of older ones are never served, and
`build_read_documents` purges them. The next read of a missing document builds and stores it.

A read that misses builds while writes may be committing: the clock (`ReadDocumentClock`)
ticks with every deleting commit, and a document built while it ticked is not stored. A
document is served until READ_DOCUMENT_HOURS after it was built, and never past a scheduled
publication (`valid_until`), nor by another release.
"""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    router,
    transaction,
)
from django.db.models import F, Subquery
from django.dispatch import receiver
from django.utils import timezone, translation

from core.models import ReadDocument, ReadDocumentClock, ReadDocumentTag
from core.response_cache import (
    EVERY_OBJECT_TAG,
    collection_tag,
    next_scheduled_moment,
    when_stale,
)

logger = logging.getLogger(__name__)

# Bumped when what a document holds changes shape; with KINOTEKA_RELEASE it keeps one
# release's documents from being served by another.
DOCUMENT_FORMAT = 1
# Stands for the request's origin ("https://host") at the start of a stored link: a character
# no text of the catalogue holds (Unicode's private use area).
ORIGIN_PLACEHOLDER = "\ue000"
CLOCK_ID = 1


@dataclass(frozen=True)
class Kind:
    """A kind of document: the collection tags whose writes make all of them stale, and
    `build(batch_size)`, which builds and stores them all and returns (stored, skipped)."""

    collections: frozenset
    build: object


_kinds = {}


def register_kind(kind, collections=(), build=None):
    """Declare a kind of document. A write to any row of `collections` (models a document may
    show without loading their rows) deletes every document of the kind."""
    _kinds[kind] = Kind(frozenset(collection_tag(model) for model in collections), build)


def registered_kinds():
    return dict(_kinds)


def release():
    return f"{DOCUMENT_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}:{code_edition()}"


# What documents are made of besides the data: the floors' code (serializers, querysets, page
# helpers), the templates and the compiled translations.
EDITION_SOURCES = ("core", "catalogue", "lists", "pictures", "discovery", "pages", "api")


@cache
def code_edition():
    """A digest of the code, templates and translations this process builds documents with:
    a deploy changing any of them serves none of the documents built before, whether or not
    it sets KINOTEKA_RELEASE or applies a migration."""
    base = Path(settings.BASE_DIR)
    folders = [base / name for name in EDITION_SOURCES]
    folders += [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    files = []
    for folder in folders:
        files += [path for path in folder.rglob("*") if path.suffix in (".py", ".html", ".mo")]
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        name = path.relative_to(base) if path.is_relative_to(base) else path.name
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def _edition_changed(setting, **kwargs):
    if setting in ("TEMPLATES", "LOCALE_PATHS", "BASE_DIR"):
        code_edition.cache_clear()


@dataclass
class Reading:
    """What `find` read: the document's data and tags (None on a miss), and what `store` needs
    for a document built next: the clock as it was, and until when the document may serve."""

    data: object
    tags: object
    clock: tuple
    valid_until: datetime.datetime = None


def _clock():
    return ReadDocumentClock.objects.filter(pk=CLOCK_ID)


def _valid_until():
    """Until when a document built from now on may be served."""
    moments = [timezone.now() + datetime.timedelta(hours=settings.READ_DOCUMENT_HOURS)]
    if (scheduled := next_scheduled_moment()) is not None:
        moments.append(scheduled)
    return min(moments)


def current_documents():
    """The documents that may be served: of this release and the clock's generation, not
    expired."""
    generation = _clock().values("generation")[:1]
    return ReadDocument.objects.filter(
        release=release(), generation=Subquery(generation), valid_until__gt=timezone.now()
    )


def _lookup_parameters(alias, kind, keys):
    """The parameters of `_find_statement` in their order (`_find_many_statement`: the keys
    first, then the others)."""
    return [
        kind,
        *keys,
        translation.get_language(),
        release(),
        # This process's clock, as the next scheduled publication is given on it.
        connections[alias].ops.adapt_datetimefield_value(timezone.now()),
        CLOCK_ID,
    ]


def find(kind, key, origin):
    """The document of `kind` and `key` in the current language, for a reader at `origin`,
    and the clock, in one query (and the next scheduled publication on a miss)."""
    alias = router.db_for_read(ReadDocument)
    with connections[alias].cursor() as cursor:
        cursor.execute(_find_statement(alias), _lookup_parameters(alias, kind, [key]))
        row = cursor.fetchone()
    if row is None:  # the clock's row is made by a migration; a flushed database has none
        ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS).get_or_create(pk=CLOCK_ID)
        row = (0, 0, None, None)
    ticks, generation, body, tags = row
    if body is None:
        return Reading(None, None, (ticks, generation), _valid_until())
    body = body.replace(f'"{ORIGIN_PLACEHOLDER}/', f'"{_escaped(origin)}/')
    return Reading(json.loads(body), set(tags.split()), (ticks, generation))


def find_many(kind, keys, origin):
    """The documents of `kind` for `keys` in the current language, for a reader at `origin`
    ({key: data} of those found), and a Reading for storing the others, in one query."""
    alias = router.db_for_read(ReadDocument)
    with connections[alias].cursor() as cursor:
        parameters = [*keys, *_lookup_parameters(alias, kind, [])]
        cursor.execute(_find_many_statement(alias, len(keys)), parameters)
        rows = cursor.fetchall()
    if not rows:  # the clock's row is made by a migration; a flushed database has none
        ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS).get_or_create(pk=CLOCK_ID)
        rows = [(0, 0, None, None)]
    origin_link = f'"{_escaped(origin)}/'
    found = {
        key: json.loads(body.replace(f'"{ORIGIN_PLACEHOLDER}/', origin_link))
        for _ticks, _generation, key, body in rows
        if body is not None
    }
    ticks, generation = rows[0][:2]
    # Until when the others may serve: asked only when some are to be built (it may query).
    valid_until = _valid_until() if len(found) < len(keys) else None
    return found, Reading(None, None, (ticks, generation), valid_until)


def read_or_build(kind, keys, origin, build):
    """The data of the documents of `kind` for `keys`, in that order, for a reader at `origin`:
    those found read in one query, the others built by `build(missing keys)` ((key, data, tags)
    triples) and stored. A key `build` gives nothing for (a row gone meanwhile) is left out;
    documents that cannot be read are all built."""
    try:
        found, reading = find_many(kind, keys, origin)
    except DatabaseError:
        logger.warning("Could not read %s documents; building them", kind, exc_info=True)
        found, reading = {}, None
    missing = [key for key in keys if key not in found]
    if missing:
        built = list(build(missing))
        found.update((key, data) for key, data, _tags in built)
        if reading is not None:
            try:
                store(kind, origin, built, reading)
            except DatabaseError:  # SQLite: another write holds the lock; the next read stores
                logger.info("Could not store %s documents", kind, exc_info=True)
    return [found[key] for key in keys if key in found]


@cache
def _find_many_statement(alias, count):
    """`_find_statement` for `count` keys at once: a row per document found (one, without a
    document, if none is). The keys are a table joined to the documents, so each is one probe
    of the unique (kind, key, language) index whatever the planner's statistics say: as
    `key IN (…)` PostgreSQL could scan every document of the kind (3 ms, not 0.2) while the
    table's statistics lagged behind its growth."""
    quote = connections[alias].ops.quote_name
    clock, document = ReadDocumentClock._meta, ReadDocument._meta

    def column(model, name):
        return quote(model.get_field(name).column)

    keys = ", ".join(["(%s)"] * count)
    return (
        f"WITH wanted(key) AS (VALUES {keys}) "
        f"SELECT clock.{column(clock, 'ticks')}, clock.{column(clock, 'generation')}, "
        f"found.key, found.body "
        f"FROM {quote(clock.db_table)} clock LEFT JOIN ("
        f"SELECT document.{column(document, 'key')} AS key, document.{column(document, 'body')} "
        f"AS body, document.{column(document, 'generation')} AS generation "
        f"FROM wanted JOIN {quote(document.db_table)} document "
        f"ON document.{column(document, 'key')} = wanted.key "
        f"WHERE document.{column(document, 'kind')} = %s "
        f"AND document.{column(document, 'language')} = %s "
        f"AND document.{column(document, 'release')} = %s "
        f"AND document.{column(document, 'valid_until')} > %s"
        f") found ON found.generation = clock.{column(clock, 'generation')} "
        f"WHERE clock.{column(clock, 'id')} = %s"
    )


@cache
def _find_statement(alias):
    """The clock and the current document of a key: the hot path of every read served from a
    document, written once rather than compiled from a queryset on every read (the ORM took
    longer to build that query than the database took to answer it)."""
    quote = connections[alias].ops.quote_name
    clock, document = ReadDocumentClock._meta, ReadDocument._meta

    def column(model, name):
        return quote(model.get_field(name).column)

    return (
        f"SELECT clock.{column(clock, 'ticks')}, clock.{column(clock, 'generation')}, "
        f"document.{column(document, 'body')}, document.{column(document, 'tags')} "
        f"FROM {quote(clock.db_table)} clock LEFT JOIN {quote(document.db_table)} document "
        f"ON document.{column(document, 'kind')} = %s AND document.{column(document, 'key')} = %s "
        f"AND document.{column(document, 'language')} = %s "
        f"AND document.{column(document, 'release')} = %s "
        f"AND document.{column(document, 'generation')} = clock.{column(clock, 'generation')} "
        f"AND document.{column(document, 'valid_until')} > %s "
        f"WHERE clock.{column(clock, 'id')} = %s"
    )


def before_building():
    """What `store` needs of documents about to be built without a `find`."""
    clock = _clock().values_list("ticks", "generation").first() or (0, 0)
    return Reading(None, None, clock, _valid_until())


# A batch built while writes commit is built again this many times, then skipped.
BUILD_ATTEMPTS = 3


def build_in_batches(kind, keys, build_batch, batch_size=200, shard=(1, 1)):
    """Build and store the documents of `kind` for `keys` (of `shard` (k, n): every n-th from
    the k-th), `batch_size` at a time: `build_batch(keys)` returns (origin, documents) as
    `store` takes them. Returns (stored, skipped): a batch is skipped when writes kept
    committing while it was built."""
    number, shards = shard
    keys = keys[number - 1 :: shards]
    stored = skipped = 0
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        for _attempt in range(BUILD_ATTEMPTS):
            reading = before_building()
            origin, documents = build_batch(batch)
            count = store(kind, origin, documents, reading)
            if count or not documents:
                stored += count
                break
        else:
            skipped += len(batch)
    return stored, skipped


def origin_of(request):
    """ "https://host": what a document's links start with for this request's reader."""
    return request.build_absolute_uri("/")[:-1]


def _escaped(text):
    return json.dumps(text, ensure_ascii=False)[1:-1]


def store(kind, origin, documents, reading):
    """Store `documents`, (key, data, tags) triples built after `reading` was read, as the
    documents of `kind` in the current language; `tags` are those of the rows each shows.
    Nothing is stored if the clock ticked since (a write committed meanwhile); returns how
    many were stored."""
    if reading.valid_until <= timezone.now():
        return 0
    language = translation.get_language()
    ticks, generation = reading.clock
    origin_link = f'"{_escaped(origin)}/'
    rows = []
    for key, data, tags in documents:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if ORIGIN_PLACEHOLDER in body:
            continue  # a text holds the stand-in itself: served, it would become the origin
        tags = sorted(tags - {EVERY_OBJECT_TAG} - _kinds[kind].collections)
        rows.append(
            ReadDocument(
                kind=kind,
                key=key,
                language=language,
                release=release(),
                generation=generation,
                body=body.replace(origin_link, f'"{ORIGIN_PLACEHOLDER}/'),
                tags=" ".join(tags),
                valid_until=reading.valid_until,
            )
        )
    primary = DEFAULT_DB_ALIAS
    try:
        with transaction.atomic(using=primary):
            clock = _clock().using(primary).select_for_update().values_list("ticks", "generation")
            if clock.first() != (ticks, generation):
                return 0  # a write committed while these were built: they may show old rows
            ReadDocument.objects.using(primary).filter(
                kind=kind, language=language, key__in=[key for key, _data, _tags in documents]
            ).delete()  # expired, of another generation or release
            stored = ReadDocument.objects.using(primary).bulk_create(rows)
            ReadDocumentTag.objects.using(primary).bulk_create(
                ReadDocumentTag(document=document, tag=tag)
                for document in stored
                for tag in document.tags.split()
            )
    except IntegrityError:
        return 0  # another read stored one of them at the same moment
    return len(stored)


def _tick(**changes):
    clock = ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS)
    if not clock.filter(pk=CLOCK_ID).update(ticks=F("ticks") + 1, **changes):
        clock.get_or_create(pk=CLOCK_ID, defaults={"ticks": 1, "generation": 1})


@when_stale
def forget_stale(tags):
    """Forget the documents showing what a committed write changed (its `tags`). When they
    cannot be deleted (the database busy), every document is forgotten instead: one UPDATE,
    tried once more, rather than documents saying what the write changed for hours."""
    try:
        _forget(tags)
    except DatabaseError:
        logger.warning("Could not forget the documents a write made stale; forgetting all")
        forget_all()


def _forget(tags):
    if EVERY_OBJECT_TAG in tags:
        forget_all()
        return
    documents = ReadDocument.objects.using(DEFAULT_DB_ALIAS)
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        _tick()
        kinds = [name for name, kind in _kinds.items() if kind.collections & set(tags)]
        if kinds:
            documents.filter(kind__in=kinds).delete()
        # Apart: with OR, PostgreSQL reads every document instead of the tags' index.
        holding = ReadDocumentTag.objects.filter(tag__in=tags).values("document_id")
        documents.filter(pk__in=holding).delete()


def forget_all():
    """Start a new generation: no document built before is served again. One UPDATE, where
    deleting hundreds of thousands of rows would hold an editor's request (`purge_forgotten`
    deletes them later)."""
    _tick(generation=F("generation") + 1)


def forget_all_after_migrate(using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """A post_migrate receiver: migrations applied may have changed what documents hold (a
    deploy without any says so by its KINOTEKA_RELEASE). Not when the migration went back to
    before the documents existed."""
    if (
        plan
        and using == DEFAULT_DB_ALIAS
        and ReadDocumentClock._meta.db_table in (connections[using].introspection.table_names())
    ):
        forget_all()


def purge_forgotten():
    """Delete the documents no read will serve again: of older generations or releases, or
    expired. Returns how many."""
    current = current_documents().values("pk")
    stale = ReadDocument.objects.using(DEFAULT_DB_ALIAS).exclude(pk__in=current)
    return stale.delete()[0]
