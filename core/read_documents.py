"""Read documents: what a public API read answers about one object, stored per language and
served by the next read instead of being rebuilt from a dozen tables (docs/performance.md,
"Read documents").

A document holds the serializer's data, with the request's origin taken out of its links (a
stand-in put back for each request's host), and the tags of the tracked rows it shows, as the
response cache names them (`core.response_cache`): its film, the people credited, the lists
it appears in. When a write commits, the documents holding any tag it made stale are deleted
(`forget_stale`, a `when_stale` listener); so is every document of a kind that registered
the written model as a collection, and every document when the write named no row
(EVERY_OBJECT_TAG). The next read of a deleted document builds it again (`store`), and
`build_read_documents` builds them in bulk.

A read that misses builds while writes may be committing: the clock (`ReadDocumentClock`)
counts deletions, and a document built while one ran is not stored. A document built before
a scheduled publication is not served after it (`valid_until`), nor one of another release.
"""

import json

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F, Q, Subquery
from django.db.models.functions import Now
from django.utils import timezone, translation

from core.models import ReadDocument, ReadDocumentClock, ReadDocumentTag
from core.response_cache import (
    EVERY_OBJECT_TAG,
    collection_tag,
    next_scheduled_moment,
    when_stale,
)

# Bumped when what a document holds changes shape; with KINOTEKA_RELEASE it keeps one
# release's documents from being served by another.
DOCUMENT_FORMAT = 1
# Stands for the request's origin ("https://host") in a stored body: a character no text
# of the catalogue holds (Unicode's private use area).
ORIGIN = "\ue000"
CLOCK_ID = 1

# kind -> the collection tags whose writes make every document of the kind stale.
_kinds = {}


def register_kind(kind, collections=()):
    """Declare a kind of document; a write to any row of `collections` (models a document may
    show without loading them, e.g. lists going public) deletes every document of the kind."""
    _kinds[kind] = {collection_tag(model) for model in collections}


def release():
    return f"{DOCUMENT_FORMAT}:{settings.RESPONSE_CACHE_RELEASE}"


class Found:
    """What `find` read: the document's data and tags (None when there is none); on a miss,
    what `store` needs to store the document built next: the clock's reading and the next
    scheduled moment, both read before building."""

    def __init__(self, data, tags, clock, valid_until=None):
        self.data = data
        self.tags = tags
        self.clock = clock
        self.valid_until = valid_until


def find(kind, key, origin, using=None):
    """The document of `kind` and `key` in the current language, for a reader at `origin`,
    and the clock, in one query (and the next scheduled moment on a miss)."""
    documents = ReadDocument.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=Now()),
        kind=kind,
        key=key,
        language=translation.get_language(),
        release=release(),
    )
    row = (
        ReadDocumentClock.objects.using(using)
        .filter(pk=CLOCK_ID)
        .annotate(
            body=Subquery(documents.values("body")[:1]),
            document_tags=Subquery(documents.values("tags")[:1]),
        )
        .values_list("deletions", "body", "document_tags")
        .first()
    )
    if row is None:  # the clock's row is made by a migration; a flushed database has none
        ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS).get_or_create(pk=CLOCK_ID)
        row = (0, None, None)
    clock, body, tags = row
    if body is None:
        return Found(None, None, clock, next_scheduled_moment())
    data = json.loads(body.replace(ORIGIN, json.dumps(origin)[1:-1]))
    return Found(data, set(tags.split()), clock)


def before_building():
    """What `store` needs of documents about to be built without a `find`: the clock's reading
    and the next scheduled moment."""
    clock = ReadDocumentClock.objects.filter(pk=CLOCK_ID).values_list("deletions", flat=True)
    return Found(None, None, clock.first() or 0, next_scheduled_moment())


def store(kind, origin, documents, found):
    """Store `documents`, (key, data, tags) triples built after `find` gave `found`, as the
    documents of `kind` in the current language; `tags` are those of the rows each shows.
    Nothing is stored if documents were deleted since (a write committed meanwhile)."""
    moment = found.valid_until
    if moment is not None and moment <= timezone.now():
        return 0
    language = translation.get_language()
    escaped_origin = json.dumps(origin, ensure_ascii=False)[1:-1]
    rows = []
    for key, data, tags in documents:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        tags = sorted(tags - {EVERY_OBJECT_TAG} - _kinds.get(kind, set()))
        rows.append(
            ReadDocument(
                kind=kind,
                key=key,
                language=language,
                release=release(),
                body=body.replace(escaped_origin, ORIGIN),
                tags=" ".join(tags),
                valid_until=moment,
            )
        )
    primary = DEFAULT_DB_ALIAS
    try:
        with transaction.atomic(using=primary):
            now = (
                ReadDocumentClock.objects.using(primary)
                .select_for_update()
                .filter(pk=CLOCK_ID)
                .values_list("deletions", flat=True)
                .first()
            )
            if (now or 0) != found.clock:
                return 0  # a write committed while these were built: they may show old rows
            ReadDocument.objects.using(primary).filter(
                kind=kind, language=language, key__in=[row.key for row in rows]
            ).delete()  # expired, or of another release
            stored = ReadDocument.objects.using(primary).bulk_create(rows)
            ReadDocumentTag.objects.using(primary).bulk_create(
                ReadDocumentTag(document=document, tag=tag)
                for document in stored
                for tag in document.tags.split()
            )
    except IntegrityError:
        return 0  # another read stored one of them at the same moment
    return len(stored)


@when_stale
def forget_stale(tags):
    """Delete the documents showing what a committed write changed (its `tags`)."""
    documents = ReadDocument.objects.using(DEFAULT_DB_ALIAS)
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        ticked = (
            ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS)
            .filter(pk=CLOCK_ID)
            .update(deletions=F("deletions") + 1)
        )
        if not ticked:
            ReadDocumentClock.objects.using(DEFAULT_DB_ALIAS).get_or_create(
                pk=CLOCK_ID, defaults={"deletions": 1}
            )
        if EVERY_OBJECT_TAG in tags:
            forget_all()
            return
        kinds = [kind for kind, collections in _kinds.items() if collections & set(tags)]
        if kinds:
            documents.filter(kind__in=kinds).delete()
        # Apart: with OR, PostgreSQL reads every document instead of the tags' index.
        holding = ReadDocumentTag.objects.filter(tag__in=tags).values("document_id")
        documents.filter(pk__in=holding).delete()


def forget_all():
    """Delete every document (a write no row tag describes: a genre renamed, a bulk load)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # Hundreds of thousands of rows: TRUNCATE drops them at once, where DELETE would
        # visit each one (and its tags) inside an editor's request.
        tables = (ReadDocumentTag._meta.db_table, ReadDocument._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(map(connection.ops.quote_name, tables))}")
    else:
        ReadDocument.objects.using(DEFAULT_DB_ALIAS).all().delete()
