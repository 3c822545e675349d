"""/changes/: ids and kinds of what changed since a time, deletions included, read from
simple-history's historical tables (the collections' `updated_since` is in api/filters.py)."""

from django.db.models import CharField, Q, Value
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView

from api.filters import history, parse_since
from api.http import APIConventionsMixin
from catalogue.models import Award, Credit, Fact, Film, Person
from core.translations import as_written
from discovery.visibility import may_see_drafts, visible_films, visible_lists, visible_people
from lists.models import CuratedList, CuratedListEntry

# --- /changes/ -------------------------------------------------------------------------------

# The kinds a change feed names, each with its history and the API's name for it.
KINDS = {
    "film": Film,
    "person": Person,
    "award": Award,
    "credit": Credit,
    "fact": Fact,
    "list": CuratedList,
    "list_entry": CuratedListEntry,
}
ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}


class ChangeSerializer(serializers.Serializer):
    """One recorded change: which object (kind and id), what happened, when."""

    kind = serializers.ChoiceField(choices=list(KINDS), source="object_kind")
    id = serializers.IntegerField()
    action = serializers.SerializerMethodField()
    changed_at = serializers.DateTimeField(source="history_date")

    @extend_schema_field({"type": "string", "enum": list(ACTIONS.values())})
    def get_action(self, row):
        return ACTIONS[row["history_type"]]


def change_rows(user, since):
    """Every recorded change at or after `since`, oldest first, as one UNION query.

    Visitors see the changes of published lists and their entries only (a draft's
    deletion included: its id says nothing), of films while published and of the people
    they may see (a deletion included), with the credits, awards, facts and list entries
    of films they may see."""
    rows = []
    for kind, model in KINDS.items():
        records = as_written(history(model).objects.filter(history_date__gte=since).order_by())
        if not may_see_drafts(user):
            if model is CuratedList:
                records = records.filter(status=CuratedList.Status.PUBLISHED)
            elif model is CuratedListEntry:
                records = records.filter(
                    curated_list_id__in=visible_lists(user).values("id"),
                    film_id__in=visible_films(user).values("id"),
                )
            elif model is Film:
                records = records.filter(Q(is_published=True) | Q(history_type="-"))
            elif model is Person:
                records = records.filter(
                    Q(id__in=visible_people(user).values("id")) | Q(history_type="-")
                )
            elif model in (Credit, Award, Fact):
                records = records.filter(
                    Q(film_id__isnull=True) | Q(film_id__in=visible_films(user).values("id"))
                )
        rows.append(
            records.annotate(object_kind=Value(kind, output_field=CharField())).values(
                "object_kind", "id", "history_type", "history_date", "history_id"
            )
        )
    first, *others = rows
    return first.union(*others, all=True).order_by("history_date", "object_kind", "history_id")


@extend_schema(tags=["changes"])
@extend_schema_view(
    get=extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                required=True,
                description="Changes at or after this time (ISO 8601); poll again with the "
                "`changed_at` of the last change you saw.",
            )
        ],
    )
)
class ChangesView(APIConventionsMixin, ListAPIView):
    """Ids and kinds of everything that changed since a time, deletions included (TMDB's
    /changes): poll it with the `changed_at` of the last change you saw."""

    serializer_class = ChangeSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []
    extra_query_parameters = ("since",)

    def get_queryset(self):
        since = parse_since(self.request.query_params, "since", required=True)
        return change_rows(self.request.user, since)
