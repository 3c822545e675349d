"""A visitor's read of one object, answered from its read document (core/read_documents.py)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from rest_framework.response import Response

from core import read_documents
from core.response_cache import note_loaded, noting_loaded_objects, tags_of_loaded
from discovery.visibility import may_see_drafts


class ReadDocumentMixin:
    """`retrieve` answers visitors from the object's read document, and stores the answer it
    builds when there is none. Those who may see drafts always get a live answer.

    `document_kind` names the documents; `document_collections` are models whose every write
    makes all of them stale (those a detail may show without loading their rows)."""

    document_kind = None
    document_collections = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.document_kind:
            read_documents.register_kind(cls.document_kind, cls.document_collections)

    def answers_from_document(self, request):
        return (
            settings.READ_DOCUMENTS
            and request.method in ("GET", "HEAD")
            and request.accepted_renderer.format == "json"
            and not may_see_drafts(request.user)
            # Inside a transaction a read may follow writes not yet committed, which documents
            # learn of only at the commit.
            and not connection.in_atomic_block
        )

    def retrieve(self, request, *args, **kwargs):
        if not self.answers_from_document(request):
            return super().retrieve(request, *args, **kwargs)
        key = kwargs[self.lookup_field]
        origin = request.build_absolute_uri("/")[:-1]
        found = read_documents.find(self.document_kind, key, origin)
        if found.data is not None:
            note_loaded(found.tags)
            return Response(found.data)
        with noting_loaded_objects() as loaded:
            response = super().retrieve(request, *args, **kwargs)
        if response.status_code == 200:
            read_documents.store(self.document_kind, origin, [(key, response.data, loaded)], found)
        return response


class _BuildingRequest(HttpRequest):
    """A visitor's GET, for building documents outside any request: its host is never shown
    (the origin is taken out of what a document stores)."""

    def get_host(self):
        return BUILDING_HOST


BUILDING_HOST = "read-documents.invalid"


def build_documents(view_class, batch_size=200):
    """Build and store the read document of every object a visitor may read through
    `view_class`'s retrieve, in the current language, `batch_size` objects a query; returns
    how many it stored. A batch built while a write committed is built again."""
    http_request = _BuildingRequest()
    http_request.method = "GET"
    http_request.user = AnonymousUser()
    view = view_class(action_map={"get": "retrieve"}, kwargs={}, format_kwarg=None)
    view.request = view.initialize_request(http_request)
    origin = view.request.build_absolute_uri("/")[:-1]
    objects = view.get_queryset().order_by("pk")
    keys = list(objects.values_list("pk", flat=True))
    stored = 0
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        for _attempt in range(3):
            found = read_documents.before_building()
            documents = [
                (
                    getattr(row, view.lookup_field),
                    view.get_serializer(row).data,
                    tags_of_loaded(row),
                )
                for row in view.get_queryset().filter(pk__in=batch)
            ]
            count = read_documents.store(view.document_kind, origin, documents, found)
            if count or not documents:
                stored += count
                break
    return stored
