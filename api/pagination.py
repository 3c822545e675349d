"""Page-number pagination with strict parameters: a bad page or page_size is a 400, not a guess."""

from rest_framework import pagination, serializers

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
