"""Catalogue API views: each picks a queryset method, a serializer and a permission."""

import csv
import itertools
import re

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, permissions, routers, viewsets
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api import serializers
from api.documents import ReadDocumentMixin
from api.http import APIConventionsMixin
from api.pagination import MAX_PAGE_SIZE, PageOrCursorPagination, read_page_parameters
from api.writes import IdempotentCreateMixin, IfMatchMixin, ReadShapedWritesMixin
from catalogue.models import Award, Country, Film, Genre, Organisation, Person, Place
from core.http import conditional_get
from core.response_cache import cache_api_reads
from core.text_search import MAX_RESULTS
from discovery.film_index import INDEX_ORDER, indexed_films
from discovery.filters import NO_NUL, AwardFilter, FilmFilter, OrganisationFilter, PersonFilter
from discovery.search import KINDS as SEARCH_KINDS
from discovery.search import search
from discovery.visibility import (
    built_for_reader,
    visible_films,
    visible_lists,
    visible_people,
)
from lists.models import CuratedList
from lists.querysets import memberships_prefetch
from pictures.models import FilmPicture, PersonPicture, gallery_column

SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")
# A position exists only within a list: ordering by it needs list=, and list= implies it.
FILM_ORDERING_REQUIRES = {"position": "list"}
FILM_ORDERING_IMPLIED_BY = {"list": "position"}


class SlugLookupMixin(APIConventionsMixin):
    """Looks objects up by slug; anything that is not a slug is simply not found (404 JSON)."""

    lookup_field = "slug"
    # Any path segment reaches the view, so a strange one is a JSON 404 rather than no route.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        if not SLUG_PATTERN.fullmatch(self.kwargs.get(self.lookup_field, "")):
            raise NotFound()
        return super().get_object()


class ListFiltersMixin:
    """Filters apply to the list only: a detail URL names its object."""

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset


class ActionSerializersMixin:
    """One serializer per use: `serializer_classes` maps an action to its serializer."""

    serializer_classes = {}

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, self.serializer_classes["list"])


# Rows fetched from the database at a time while an export streams: a worker's memory holds
# one chunk, never the whole catalogue.
EXPORT_CHUNK_ROWS = 1000


class CSVExportMixin(APIConventionsMixin):
    """A CSV download: the file itself bypasses renderers; errors are always JSON.

    An export read through `export_rows_of` gives visitors at most
    settings.EXPORT_ANONYMOUS_ROWS rows (the first, in the requested order; the X-Export-Limit
    header says so); signed-in editors get every row. An export that sends its rows whole
    (a list's) says nothing of a limit."""

    renderer_classes = [JSONRenderer]
    pagination_class = None
    rows_capped_at = None  # set when this request's rows were cut to the visitors' cap

    def export_rows_of(self, queryset):
        """`queryset`'s rows as the export may hold them, read in chunks."""
        if not self.request.user.is_authenticated:
            self.rows_capped_at = settings.EXPORT_ANONYMOUS_ROWS
            queryset = queryset[: self.rows_capped_at]
        return queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and self.rows_capped_at is not None:
            response["X-Export-Limit"] = str(self.rows_capped_at)
        return response

    def perform_content_negotiation(self, request, force=False):
        # A client asking for text/csv gets the CSV, or a JSON error, never a 406.
        return super().perform_content_negotiation(request, force=True)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A text cell that a spreadsheet would run as a formula, made inert by a leading '.

    Only text is touched: the numbers of an export (years, ids) are never negative.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return f"'{cell}"
    return cell


class EditableViewSet(
    IdempotentCreateMixin,
    IfMatchMixin,
    ReadShapedWritesMixin,
    SlugLookupMixin,
    ListFiltersMixin,
    ActionSerializersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rows found by slug: everyone lists and reads them, editors create and update them;
    one serializer per action (`serializer_classes`)."""


class LineBuffer:
    """What csv.writer writes to when streaming: each row comes straight back as text."""

    def write(self, line):
        return line


def csv_response(filename, header, rows, *, stream=True):
    """A CSV download: `header` then `rows`, UTF-8, Excel- and Letterboxd-friendly, streamed
    row by row as `rows` (a lazy iterable) yields them; `stream=False` for a bounded export
    (a list), whose whole body then gets an ETag and answers 304.

    Every export writes through here, so every cell is made spreadsheet-safe here.
    """
    writer = csv.writer(LineBuffer())
    lines = (
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        for row in itertools.chain([header], rows)
    )
    content_type = "text/csv; charset=utf-8"
    if stream:
        response = StreamingHttpResponse(lines, content_type=content_type)
    else:
        response = HttpResponse("".join(lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def director_names(film):
    return ", ".join(credit.person.name for credit in film.director_credits)


# What Letterboxd's importer matches a film by, besides its title and year.
LETTERBOXD_IDENTITY_COLUMNS = ["Directors", "imdbID", "tmdbID", "LetterboxdURI"]


def letterboxd_identity(film):
    """A film's Directors, imdbID, tmdbID and LetterboxdURI cells (blank when unknown)."""
    return [director_names(film), film.imdb_id, film.tmdb_id or "", film.letterboxd_uri]


def read_shaped_writes_schema(write_serializer, detail_serializer):
    """The schema of ReadShapedWritesMixin's writes: they take `write_serializer`'s fields
    and answer the object as a GET gives it."""
    return extend_schema_view(
        **{
            action: extend_schema(
                request=write_serializer, responses={status_code: detail_serializer}
            )
            for action, status_code in (("create", 201), ("update", 200), ("partial_update", 200))
        }
    )


@conditional_get
@cache_api_reads
@extend_schema(tags=["films"])
@read_shaped_writes_schema(serializers.FilmWriteSerializer, serializers.FilmDetailSerializer)
class FilmViewSet(ReadDocumentMixin, EditableViewSet):
    """Films: filterable, ordered list; full detail by slug (a visitor's from its read
    document); editors create and update."""

    # The lists it is in: a list going public or private stales its films by their tags
    # (lists/apps.py); a cached copy also waits for any list write.
    document_kind = "api-film"
    row_document_kind = "api-film-row"
    cache_retrieve_per_object = (CuratedList,)
    answer_writes_as_read = True  # a write answers FilmDetailSerializer's body and ETag

    pagination_class = PageOrCursorPagination  # deep walks over the whole catalogue
    queryset = Film.objects.all()
    filterset_class = FilmFilter
    ordering_requires = FILM_ORDERING_REQUIRES
    ordering_implied_by = FILM_ORDERING_IMPLIED_BY
    serializer_classes = {
        "list": serializers.FilmListSerializer,
        "retrieve": serializers.FilmDetailSerializer,
        "create": serializers.FilmWriteSerializer,
        "update": serializers.FilmWriteSerializer,
        "partial_update": serializers.FilmWriteSerializer,
    }

    def list(self, request, *args, **kwargs):
        # A list's films come in its own order, their rows saying their position: SQL pages them.
        films = (
            None if "list" in request.query_params else indexed_films(request, self.get_queryset())
        )
        if films is None:
            films = self.filter_queryset(self.get_queryset())
        elif self.reads_documents(request):
            # A page of ids, answered from the films' row documents (no position: no list).
            page = self.paginate_queryset(films.ids_only())
            return self.get_paginated_response(self.rows_from_documents(page))
        page = self.paginate_queryset(films)
        if page is None:
            return Response(self.get_serializer(films, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            # Ties of year and title by id, as the film index orders them: pages never overlap.
            return built_for_reader(
                "API films",
                user,
                lambda user: visible_films(user).for_api_list().order_by(*INDEX_ORDER),
            )
        if self.action == "retrieve":
            return built_for_reader(
                "API film",
                user,
                lambda user: (
                    visible_films(user)
                    .for_api_detail()
                    .prefetch_related(memberships_prefetch(visible_lists(user), "api_list_entries"))
                    .annotate(picture_rows=gallery_column(FilmPicture))
                ),
            )
        return visible_films(user)


@extend_schema(
    tags=["films"],
    summary="Films as CSV (the current filters apply)",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV file")},
)
@conditional_get
@extend_schema_view(get=extend_schema(operation_id="films_export_csv"))
class FilmExportView(CSVExportMixin, generics.ListAPIView):
    """Films matching the filters as CSV: Title, Year, Directors, imdbID, tmdbID and
    LetterboxdURI, the columns Letterboxd's importer matches films by."""

    queryset = Film.objects.all()
    filterset_class = FilmFilter
    ordering_requires = FILM_ORDERING_REQUIRES
    ordering_implied_by = FILM_ORDERING_IMPLIED_BY
    serializer_class = serializers.FilmListSerializer  # for the schema's model only

    def get_queryset(self):
        return visible_films(self.request.user).for_api_export()

    def list(self, request, *args, **kwargs):
        films = self.export_rows_of(self.filter_queryset(self.get_queryset()))
        rows = ([film.title, film.release_year, *letterboxd_identity(film)] for film in films)
        response = csv_response(
            "kinoteka-films.csv", ["Title", "Year", *LETTERBOXD_IDENTITY_COLUMNS], rows
        )
        # Streamed, so no body to hash: the ETag says which catalogue and query it holds.
        etag = self.streamed_etag(request)
        if etag:
            response["ETag"] = etag
        return response


@conditional_get
@cache_api_reads
@extend_schema(tags=["people"])
class PersonViewSet(
    ReadDocumentMixin,
    SlugLookupMixin,
    ListFiltersMixin,
    ActionSerializersMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """People credited on, awarded for or depicted in films (a visitor's detail from its read
    document)."""

    document_kind = "api-person"
    cache_retrieve_per_object = ()
    pagination_class = PageOrCursorPagination  # deep walks over everyone
    queryset = Person.objects.all()
    filterset_class = PersonFilter
    serializer_classes = {
        "list": serializers.PersonListSerializer,
        "retrieve": serializers.PersonDetailSerializer,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            return built_for_reader(
                "API person",
                user,
                lambda user: (
                    visible_people(user)
                    .for_api_detail(visible_films(user))
                    .annotate(picture_rows=gallery_column(PersonPicture))
                ),
            )
        return visible_people(user)


@conditional_get
@cache_api_reads
@extend_schema(tags=["awards"])
class AwardViewSet(
    APIConventionsMixin,
    ListFiltersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Wins and nominations, newest ceremony first; one award by its id."""

    queryset = Award.objects.all()
    filterset_class = AwardFilter
    serializer_class = serializers.AwardSerializer

    def get_queryset(self):
        return (
            Award.objects.for_api_list()
            .of_films(visible_films(self.request.user))
            .order_by("-ceremony_year", "organisation__name", "category", "pk")
        )

    def get_object(self):
        # The id comes from the URL as text: anything but a plausible id is not found.
        pk = self.kwargs["pk"]
        if not pk.isdigit() or int(pk) > 2**63 - 1:
            raise NotFound()
        return super().get_object()


@conditional_get
@cache_api_reads
@extend_schema(tags=["awards"])
class OrganisationViewSet(SlugLookupMixin, ListFiltersMixin, viewsets.ReadOnlyModelViewSet):
    """Studios, award bodies and festivals."""

    queryset = Organisation.objects.all()
    filterset_class = OrganisationFilter
    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self):
        return Organisation.objects.select_related("country").order_by("name", "pk")


@conditional_get
@cache_api_reads
@extend_schema(tags=["awards"])
class StudioViewSet(APIConventionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The studios that made films: organisations of kind studio (each links to its
    organisation)."""

    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self):
        return (
            Organisation.objects.filter(kind=Organisation.Kind.STUDIO)
            .select_related("country")
            .order_by("name", "pk")
        )


@conditional_get
@cache_api_reads
@extend_schema(tags=["places"])
class PlaceViewSet(SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Places where films are set or were filmed (`setting=`, `filming_location=`)."""

    queryset = Place.objects.all()
    serializer_class = serializers.PlaceSerializer

    def get_queryset(self):
        return Place.objects.select_related("country").order_by("name", "pk")


@conditional_get
@cache_api_reads
@extend_schema(tags=["films"])
class CountryViewSet(SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Production countries (`country=` takes the code or the slug)."""

    queryset = Country.objects.order_by("name", "pk")
    serializer_class = serializers.CountrySerializer


@conditional_get
@cache_api_reads
@extend_schema(tags=["films"])
class GenreViewSet(SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Genres (`genre=`)."""

    queryset = Genre.objects.order_by("name", "pk")
    serializer_class = serializers.GenreSerializer


# Search results per kind on a page unless `page_size` says otherwise.
SEARCH_PAGE_SIZE = 20


@conditional_get
@cache_api_reads
class SearchView(APIConventionsMixin, APIView):
    """Films, people and lists matching `q`, through the site's one search service, a page
    at a time, each result with its relevance score."""

    permission_classes = [permissions.AllowAny]
    extra_query_parameters = ("q", "page", "page_size")

    @extend_schema(
        tags=["search"],
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": 200, "pattern": NO_NUL},
                description="What to look for: titles, names (at most 200 characters). "
                "Empty: no results.",
            ),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                description="A page number (from 1). The best "
                f"{MAX_RESULTS} matches of each kind are paged; past them, a page is empty.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Results of each kind per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {SEARCH_PAGE_SIZE}); outside that range: 400.",
            ),
        ],
        responses=serializers.SearchResultsSerializer,
    )
    def get(self, request):
        query = serializers.SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = read_page_parameters(request.query_params)
        number, size = page.get("page", 1), page.get("page_size", SEARCH_PAGE_SIZE)
        results = search(
            query.validated_data["q"], user=request.user, limit=size, offset=(number - 1) * size
        )
        url = request.build_absolute_uri()
        links = {"next": None, "previous": None}
        if any(results.more.values()):
            links["next"] = replace_query_param(url, "page", number + 1)
        if number == 2:
            links["previous"] = remove_query_param(url, "page")
        elif number > 2:
            links["previous"] = replace_query_param(url, "page", number - 1)
        data = {"query": results.query, "page": number, **links}
        data.update({kind: getattr(results, kind) for kind in SEARCH_KINDS})
        body = serializers.SearchResultsSerializer(
            data, context={"request": request, "results": results}
        ).data
        response = Response(body)
        link_header = [
            f'<{target}>; rel="{"prev" if rel == "previous" else rel}"'
            for rel, target in links.items()
            if target
        ]
        if link_header:
            response["Link"] = ", ".join(link_header)
        return response


class APIRootView(routers.APIRootView):
    """The API's front door: every collection, the search and the exports."""

    # Names under which the root lists the endpoints that are not collections.
    more_endpoints = {
        "search": "api:search",
        "films_export_csv": "api:film-export",
        "changes": "api:changes",
        "schema": "api:schema",
        "docs": "api:docs",
    }

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in self.more_endpoints.items():
            response.data[name] = reverse(url_name, request=request)
        return response


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([permissions.AllowAny])
@schema(None)
def not_found(request, path):
    """Any other URL under /api/v1/: a JSON 404, like an unknown slug."""
    raise NotFound()
