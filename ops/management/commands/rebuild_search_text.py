"""Recompute every row's search_text (after loaddata or bulk writes, which send no signals)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.models import Film, Person
from core import response_cache
from lists.models import CuratedList

BATCH_SIZE = 500


def rebuild(queryset):
    """Write each row's composed search_text where it changed; return the count."""
    changed = []
    count = 0
    for row in queryset.iterator(chunk_size=BATCH_SIZE):
        search_text = row.compose_search_text()
        if search_text != row.search_text:
            row.search_text = search_text
            changed.append(row)
        if len(changed) >= BATCH_SIZE:
            count += queryset.model.objects.bulk_update(changed, ["search_text"])
            changed = []
    if changed:
        count += queryset.model.objects.bulk_update(changed, ["search_text"])
    return count


class Command(BaseCommand):
    help = "Recompute the normalized search text of every film, person and list."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = {
                "films": rebuild(
                    Film.objects.order_by("pk").prefetch_related("titles", "credits__person")
                ),
                "people": rebuild(Person.objects.order_by("pk")),
                "lists": rebuild(CuratedList.objects.order_by("pk")),
            }
            # bulk_update sends no signals, and search results may have changed.
            response_cache.invalidate()
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            self.stdout.write(f"Search text rebuilt ({summary} changed).")
