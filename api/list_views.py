"""Curated lists in the API: read for everyone (drafts for editors only), writes for editors."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied

from api import list_serializers as serializers
from api.documents import ReadDocumentMixin
from api.http import APIConventionsMixin
from api.views import (
    LETTERBOXD_IDENTITY_COLUMNS,
    SLUG_PATTERN,
    CSVExportMixin,
    EditableViewSet,
    SlugLookupMixin,
    csv_response,
    letterboxd_identity,
    read_shaped_writes_schema,
)
from api.writes import IdempotentCreateMixin
from core.http import conditional_get
from core.response_cache import cache_api_reads
from discovery.filters import CuratedListFilter
from discovery.visibility import built_for_reader, visible_films, visible_lists
from lists.models import CuratedList, CuratedListEntry
from pictures.models import ListCover, gallery_column

# Errors a client can see, written once so tests can assert on them.
PUBLISHED_LIST_NOT_DELETED = (
    "Published lists cannot be deleted by editors: unpublish it first (set status to draft)."
)

# Review is the blurb: Letterboxd's list importer reads it as the entry's notes.
LETTERBOXD_COLUMNS = ["Position", "Title", "Year", *LETTERBOXD_IDENTITY_COLUMNS, "Review"]


@conditional_get
@cache_api_reads
@extend_schema(tags=["lists"])
@read_shaped_writes_schema(
    serializers.CuratedListWriteSerializer, serializers.CuratedListDetailSerializer
)
class CuratedListViewSet(ReadDocumentMixin, mixins.DestroyModelMixin, EditableViewSet):
    """Themed, ranked lists of films; entries come in order with their blurb and fact (a
    visitor's from the list's read document). Editors delete drafts; a published list only a
    superuser may delete (as in admin)."""

    document_kind = "api-list"
    cache_retrieve_per_object = ()
    answer_writes_as_read = True  # a write answers CuratedListDetailSerializer's body and ETag
    queryset = CuratedList.objects.all()
    filterset_class = CuratedListFilter
    serializer_classes = {
        "list": serializers.CuratedListListSerializer,
        "retrieve": serializers.CuratedListDetailSerializer,
        "create": serializers.CuratedListWriteSerializer,
        "update": serializers.CuratedListWriteSerializer,
        "partial_update": serializers.CuratedListWriteSerializer,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return built_for_reader(
                "API lists", user, lambda user: visible_lists(user).for_api_list()
            )
        if self.action == "retrieve":
            return built_for_reader(
                "API list",
                user,
                lambda user: (
                    visible_lists(user)
                    .for_api_detail(visible_films(user))
                    .annotate(picture_rows=gallery_column(ListCover))
                ),
            )
        return visible_lists(user)

    def perform_destroy(self, instance):
        if instance.is_published and not self.request.user.is_superuser:
            raise PermissionDenied(PUBLISHED_LIST_NOT_DELETED)
        self.check_if_match(self.request, instance)
        instance.delete()


@extend_schema(
    tags=["lists"],
    summary="A list as CSV for Letterboxd's list importer",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV file")},
)
@conditional_get
@extend_schema_view(get=extend_schema(operation_id="lists_export_csv"))
class CuratedListExportView(CSVExportMixin, SlugLookupMixin, generics.RetrieveAPIView):
    """Position, Title, Year, Directors, imdbID, tmdbID, LetterboxdURI and the blurb as
    Review."""

    serializer_class = serializers.CuratedListListSerializer  # for the schema's model only
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        return visible_lists(user).for_api_detail(visible_films(user))

    def retrieve(self, request, *args, **kwargs):
        curated_list = self.get_object()
        rows = (
            [
                entry.position,
                entry.film.title,
                entry.film.release_year,
                *letterboxd_identity(entry.film),
                entry.blurb,
            ]
            for entry in curated_list.entries.all()
        )
        # A list holds at most a few hundred films: sent whole, with an ETag.
        return csv_response(f"{curated_list.slug}.csv", LETTERBOXD_COLUMNS, rows, stream=False)


@extend_schema(tags=["lists"])
class CuratedListEntryViewSet(
    IdempotentCreateMixin,
    APIConventionsMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Editors add films to a list (POST), change an entry (PUT/PATCH by entry id) and take
    it out (DELETE)."""

    queryset = CuratedListEntry.objects.all()
    serializer_class = serializers.CuratedListEntryWriteSerializer
    filter_backends = []

    def get_curated_list(self):
        slug = self.kwargs["list_slug"]
        if not SLUG_PATTERN.fullmatch(slug):
            raise NotFound()
        return get_object_or_404(visible_lists(self.request.user), slug=slug)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CuratedListEntry.objects.none()
        return CuratedListEntry.objects.filter(curated_list=self.get_curated_list())

    def get_object(self):
        # The id comes from the URL as text: anything but a plausible id is not found.
        pk = self.kwargs["pk"]
        if not pk.isdigit() or int(pk) > 2**63 - 1:
            raise NotFound()
        return super().get_object()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        if self.action == "create":
            context["save_defaults"] = {"curated_list": self.get_curated_list()}
        return context

    def perform_create(self, serializer):
        serializer.save(**serializer.context["save_defaults"])

    def created_location(self, data):
        path = reverse("api:list-entry-detail", args=[self.kwargs["list_slug"], data["id"]])
        return self.request.build_absolute_uri(path)
