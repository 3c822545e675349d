"""Page-number pagination with strict parameters: a bad page or page_size is a 400, not a guess."""

from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.paginators import RememberedCountPaginator
from core.response_cache import remembered_count

MAX_PAGE_SIZE = 100
BLANK_NUMBER = "A valid integer is required."


class PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


def read_page_parameters(query_params):
    """`page` and `page_size` as given (either may be absent); a bad or blank one is a 400."""
    parameters = PageParameters(data=query_params)
    parameters.is_valid(raise_exception=True)
    for name in ("page", "page_size"):
        if query_params.get(name) == "":  # a serializer would read "" as absent
            raise serializers.ValidationError(
                {name: [PageParameters().fields[name].error_messages["invalid"]]}
            )
    return parameters.validated_data


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page_size` from 1 to 100 (default 20)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # `count` stays exact: it is kept only until the catalogue changes.
    django_paginator_class = RememberedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # DRF would silently ignore a bad page_size and answer 404 to page=0: say what is wrong.
        read_page_parameters(request.query_params)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = self.get_links()
        if links:
            response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)
        return response

    def get_links(self):
        """RFC 8288 links to the first, previous, next and last pages (those that differ from
        this one)."""
        url = self.request.build_absolute_uri()
        page = self.page
        links = []
        if page.has_previous():
            links.append(("first", remove_query_param(url, self.page_query_param)))
            links.append(("prev", self.get_previous_link()))
        if page.has_next():
            links.append(("next", self.get_next_link()))
            last = page.paginator.num_pages
            links.append(("last", replace_query_param(url, self.page_query_param, last)))
        return links

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        for name in ("next", "previous"):
            response_schema["properties"][name]["example"] = (
                f"https://kinoteka.example/api/v1/films/?page={2 if name == 'next' else 1}"
            )
        return response_schema

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "A page number (from 1); past the last page: 404."
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE)
                parameter["description"] = (
                    f"Results per page, 1 to {MAX_PAGE_SIZE} (default {self.page_size}); "
                    "outside that range: 400."
                )
        return parameters


BAD_CURSOR = "Not a cursor this API gave: start again with an empty cursor= and follow next."


class IdCursorPagination(pagination.CursorPagination):
    """DRF's cursor pagination in id order (stable whatever is added or changed meanwhile)."""

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            position = None if cursor is None else cursor.position
            valid = position is None or (position.isdigit() and int(position) < 2**63)
        if not valid:
            # Like a page number past the last page: no such page (404), said plainly.
            raise NotFound(BAD_CURSOR)
        return cursor


class PageOrCursorPagination(PageNumberPagination):
    """Pages by number, or, for deep walks, by an opaque cursor: `cursor=` (empty) starts a
    walk in id order and each page's `next` continues it, never skipping or repeating a row
    however deep. Both answer `count`, `next`, `previous` and `results`, with a `Link`."""

    cursor_query_param = "cursor"

    def walks(self, request):
        return self.cursor_query_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        if not self.walks(request):
            self.cursor_pagination = None
            return super().paginate_queryset(queryset, request, view)
        # `page` and `ordering` are still checked, but a walk has no page numbers and goes in
        # id order: OpenAPI cannot say two parameters exclude each other, so a client
        # generated from the schema may send them together.
        read_page_parameters(request.query_params)
        self.request = request
        self.count = remembered_count(queryset)
        # An empty cursor decodes to DRF's first page: a walk from the start.
        self.cursor_pagination = IdCursorPagination()
        return self.cursor_pagination.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor_pagination is None:
            return super().get_paginated_response(data)
        walk = self.cursor_pagination
        response = Response(
            {
                "count": self.count,
                "next": walk.get_next_link(),
                "previous": walk.get_previous_link(),
                "results": data,
            }
        )
        links = [
            (rel, url)
            for rel, url in (("next", walk.get_next_link()), ("prev", walk.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "A deep walk in id order instead of page numbers: send it "
                "empty to start, then follow `next` (or the `Link` header), whose cursor is "
                "opaque. A walk has no page numbers and goes in id order: page and ordering do not "
                "apply to it. A cursor the API did not give: 404.",
                "schema": {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9+/=]*$"},
                "example": "",
            },
        ]
