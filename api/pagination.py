"""Page-number pagination with strict parameters: a bad page or page_size is a 400, not a guess."""

from rest_framework import pagination, serializers
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100
BLANK_NUMBER = "A valid integer is required."


class PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page_size` from 1 to 100 (default 20)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        # DRF would silently ignore a bad page_size and answer 404 to page=0: say what is wrong.
        PageParameters(data=request.query_params).is_valid(raise_exception=True)
        for name in (self.page_query_param, self.page_size_query_param):
            if request.query_params.get(name) == "":  # a serializer would read "" as absent
                raise serializers.ValidationError(
                    {name: [PageParameters().fields[name].error_messages["invalid"]]}
                )
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
