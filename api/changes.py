"""/changes/: ids and kinds of what changed since a time, deletions included, read from
simple-history's historical tables (the collections' `updated_since` is in api/filters.py)."""

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Now
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
    id = serializers.IntegerField(source="object_id")
    action = serializers.SerializerMethodField()
    changed_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "enum": list(ACTIONS.values())})
    def get_action(self, row):
        return ACTIONS[row["change"]]


def withdrawn(records, shown):
    """Of `records` (a history), those that hide from visitors what they saw before (`shown`,
    a condition on a record): a film unpublished, a list back to draft. To a visitor that is a
    deletion, so a client keeping a copy drops it; the draft's later edits say so again."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    seen_before = records.model.objects.filter(shown, earlier, id=OuterRef("id"))
    return records.filter(Exists(seen_before)).exclude(shown)


def visitors_records(records, shown):
    """`records` a visitor may know of: those of the object while shown, its deletion, and its
    withdrawal (as a deletion)."""
    hidden = ~shown & ~Q(history_type="-")
    return records.filter(
        Q(shown) | Q(history_type="-") | Q(pk__in=withdrawn(records, shown).values("pk"))
    ).annotate(action_code=Case(When(hidden, then=Value("-")), default=F("history_type")))


def change_rows(user, since):
    """Every recorded change at or after `since`, oldest first, as one UNION query.

    Visitors see the changes of films and lists while published, their deletion, and their
    withdrawal (unpublished, back to draft) as a deletion; a draft list's deletion too (its
    id says nothing). They see the changes of the people they may see (a deletion
    included), and the credits, awards, facts and list entries of films and lists they may
    see. Everyone hears of a scheduled list going live (`lists_gone_live`)."""
    rows = []
    for kind, model in KINDS.items():
        records = as_written(history(model).objects.filter(history_date__gte=since).order_by())
        records = records.annotate(action_code=F("history_type"))
        if not may_see_drafts(user):
            if model is CuratedList:
                # The database's clock decides, as for the list itself: a list scheduled
                # for later is not public yet (CuratedListQuerySet.published).
                live = Q(status=CuratedList.Status.PUBLISHED, published_at__lte=Now())
                records = visitors_records(records, live)
            elif model is CuratedListEntry:
                records = records.filter(
                    curated_list_id__in=visible_lists(user).values("id"),
                    film_id__in=visible_films(user).values("id"),
                )
            elif model is Film:
                records = visitors_records(records, Q(is_published=True))
            elif model is Person:
                records = records.filter(
                    Q(id__in=visible_people(user).values("id")) | Q(history_type="-")
                )
            elif model in (Credit, Award, Fact):
                records = records.filter(
                    Q(film_id__isnull=True) | Q(film_id__in=visible_films(user).values("id"))
                )
        rows.append(as_change_rows(records, kind))
    rows.append(as_change_rows(lists_gone_live(since), "list", changed_at="published_at"))
    first, *others = rows
    return first.union(*others, all=True).order_by("changed_at", "object_kind", "record_id")


def as_change_rows(records, kind, changed_at="history_date"):
    """History `records` of `kind` as the feed's columns (`changed_at`: the field saying
    when), all computed, so that each part of the UNION selects them in the same order."""
    return records.annotate(
        object_kind=Value(kind, output_field=CharField()),
        object_id=F("id"),
        change=F("action_code"),
        changed_at=F(changed_at),
        record_id=F("history_id"),
    ).values("object_kind", "object_id", "change", "changed_at", "record_id")


def lists_gone_live(since):
    """A list scheduled for later going live since `since`: no one writes at that moment, so
    no history records it, yet a client must hear that the list is there. Its last record
    before the moment (the list as scheduled) is shown as an update at its `published_at`."""
    records = as_written(history(CuratedList).objects.all())
    later = records.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
    return (
        records.filter(
            status=CuratedList.Status.PUBLISHED,
            published_at__gte=since,
            published_at__lte=Now(),
            history_date__lt=F("published_at"),
        )
        .exclude(Exists(later))
        .order_by()
        .annotate(action_code=Value("~", output_field=CharField()))
    )


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
