"""A visitor's read of one object, answered from its read document (core/read_documents.py)."""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection
from django.http import HttpRequest
from rest_framework.response import Response

from core import read_documents
from core.addresses import PLAIN_SLUG
from core.response_cache import note_loaded, noting_loaded_objects, tags_of_loaded
from discovery.visibility import may_see_drafts

logger = logging.getLogger(__name__)


class ReadDocumentMixin:
    """`retrieve` answers visitors from the object's read document, and stores the answer it
    builds when there is none. Those who may see drafts always get a live answer, and so does
    everyone when the documents cannot be read.

    `document_kind` names the documents; `document_collections` are models whose every write
    makes all of them stale (those a detail may show without loading their rows)."""

    document_kind = None
    document_collections = ()
    # The documents of the `list` action's rows, keyed by id (`rows_from_documents`).
    row_document_kind = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.document_kind:
            read_documents.register_kind(
                cls.document_kind, cls.document_collections, partial(build_documents, cls)
            )
        if cls.row_document_kind:
            read_documents.register_kind(
                cls.row_document_kind,
                cls.document_collections,
                partial(build_documents, cls, action="list"),
            )

    def reads_documents(self, request):
        return (
            settings.READ_DOCUMENTS
            and request.method in ("GET", "HEAD")
            and request.accepted_renderer.format == "json"
            # `/films/x.json` writes `.json` into its links: another answer than `/films/x/`.
            and self.format_kwarg is None
            and not may_see_drafts(request.user)
            # Inside a transaction a read may follow writes not yet committed, which documents
            # learn of only at the commit.
            and not connection.in_atomic_block
        )

    def answers_from_document(self, request, key):
        # Any key but a plain slug is a 404 (get_object).
        return self.reads_documents(request) and PLAIN_SLUG.fullmatch(key) is not None

    def rows_from_documents(self, ids):
        """The `list` rows of the objects `ids`, in that order, from their read documents; those
        missing are built (one query and its prefetches) and stored. An id gone meanwhile has
        no row."""

        def build(keys):
            rows = self.get_queryset().filter(pk__in=keys)
            return ((str(row.pk), data, tags) for row, data, tags in serialized_rows(self, rows))

        origin = read_documents.origin_of(self.request)
        keys = [str(pk) for pk in ids]
        return read_documents.read_or_build(self.row_document_kind, keys, origin, build)

    def retrieve(self, request, *args, **kwargs):
        key = kwargs[self.lookup_field]
        if not self.answers_from_document(request, key):
            return super().retrieve(request, *args, **kwargs)
        origin = read_documents.origin_of(request)
        try:
            reading = read_documents.find(self.document_kind, key, origin)
        except DatabaseError:
            logger.warning("Could not read a read document; answering live", exc_info=True)
            return super().retrieve(request, *args, **kwargs)
        if reading.data is not None:
            note_loaded(reading.tags)
            return Response(reading.data)
        with noting_loaded_objects() as loaded:
            response = super().retrieve(request, *args, **kwargs)
        if response.status_code == 200:
            try:
                read_documents.store(
                    self.document_kind, origin, [(key, response.data, loaded)], reading
                )
            except DatabaseError:  # SQLite: another write holds the lock; the next read stores
                logger.info("Could not store a read document", exc_info=True)
        return response


BUILDING_HOST = "read-documents.invalid"


class _BuildingRequest(HttpRequest):
    """A visitor's GET, for building documents outside any request: its host is never shown
    (the origin is taken out of what a document stores)."""

    def get_host(self):
        return BUILDING_HOST


def serialized_rows(view, rows):
    """(row, the view's serializer's data of it, the tags a single read of it would note): what
    the serializer notes (rows it reads from JSON columns) and the rows loaded with it."""
    for row in rows:
        with noting_loaded_objects() as noted:
            data = view.get_serializer(row).data
        yield row, data, noted | tags_of_loaded(row)


def build_documents(view_class, batch_size=200, shard=(1, 1), action="retrieve"):
    """Build and store the read document of every object a visitor may read through
    `view_class`'s `action` (retrieve: keyed by its lookup field; list: a row, keyed by id) (of
    `shard` (k, n): every n-th from the k-th), in the current language, `batch_size` objects a
    query. Returns (stored, skipped): a batch is skipped when writes kept committing while it
    was built."""
    http_request = _BuildingRequest()
    http_request.method = "GET"
    http_request.user = AnonymousUser()
    view = view_class(action_map={"get": action}, kwargs={}, format_kwarg=None)
    view.request = view.initialize_request(http_request)
    origin = read_documents.origin_of(view.request)
    keys = list(view.get_queryset().order_by("pk").values_list("pk", flat=True))
    kind = view.document_kind if action == "retrieve" else view.row_document_kind

    def key_of(row):
        return str(getattr(row, view.lookup_field) if action == "retrieve" else row.pk)

    def build_batch(batch):
        rows = view.get_queryset().filter(pk__in=batch)
        return origin, [
            (key_of(row), data, tags) for row, data, tags in serialized_rows(view, rows)
        ]

    return read_documents.build_in_batches(kind, keys, build_batch, batch_size, shard)
