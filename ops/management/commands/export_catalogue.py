"""Dump the public catalogue as gzipped JSON Lines, one file per table, for bulk consumers.

    manage.py export_catalogue DIR

writes DIR/<table>.jsonl.gz (one JSON object per row, by primary key) for every catalogue
table, the published lists and their entries, and each many-to-many link table (e.g.
`film_countries`), plus DIR/manifest.json with the row counts and the time of the dump.
Drafts, history and accounts are never written; search keys are left out (they are derived).
Rows are streamed in chunks, so memory stays flat however large the catalogue.
"""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalogue import models as catalogue
from discovery.visibility import public_films, public_lists, public_people
from lists.models import CuratedListEntry

CHUNK_SIZE = 2000
# Derived columns a consumer can rebuild and should not rely on.
LEFT_OUT = {"search_text"}


def public_tables():
    """(name, queryset) for every table of the dump, in a stable order: what a visitor may
    see (published films and lists, and the rows about them)."""
    published = public_lists()
    films = public_films()
    of_films = {"film__in": films}
    tables = [
        ("countries", catalogue.Country.objects.all()),
        ("genres", catalogue.Genre.objects.all()),
        ("organisations", catalogue.Organisation.objects.all()),
        ("places", catalogue.Place.objects.all()),
        ("sources", catalogue.Source.objects.all()),
        ("people", public_people()),
        ("films", films),
        ("film_titles", catalogue.FilmTitle.objects.filter(**of_films)),
        ("credits", catalogue.Credit.objects.filter(**of_films)),
        ("awards", catalogue.Award.objects.filter(Q(film__isnull=True) | Q(**of_films))),
        ("film_locations", catalogue.FilmLocation.objects.filter(**of_films)),
        ("adapted_works", catalogue.AdaptedWork.objects.filter(**of_films)),
        ("facts", catalogue.Fact.objects.filter(**of_films)),
        ("lists", published),
        (
            "list_entries",
            CuratedListEntry.objects.filter(curated_list__in=published, **of_films),
        ),
    ]
    links = []
    for name, queryset in tables:
        for field in queryset.model._meta.local_many_to_many:
            through = field.remote_field.through
            # Only the links of the rows written above (an unpublished film's are left out).
            owner = {f"{field.m2m_field_name()}__in": queryset}
            links.append(
                (f"{name.removesuffix('s')}_{field.name}", through.objects.filter(**owner))
            )
    return tables + links


def columns(model):
    return [field.attname for field in model._meta.concrete_fields if field.attname not in LEFT_OUT]


def write_table(path, queryset):
    """Write `queryset` as gzipped JSON Lines at `path`; return the number of rows."""
    count = 0
    rows = queryset.order_by("pk").values(*columns(queryset.model))
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


class Command(BaseCommand):
    help = "Dump the public catalogue as gzipped JSON Lines, one file per table."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files (created if missing).")

    def handle(self, directory, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        counts = {}
        # One snapshot: on PostgreSQL, a repeatable-read view would be stricter still.
        with transaction.atomic():
            for name, queryset in public_tables():
                counts[name] = write_table(target / f"{name}.jsonl.gz", queryset)
        manifest = {"generated_at": timezone.now().isoformat(), "tables": counts}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(f"Wrote {len(counts)} tables ({sum(counts.values())} rows) to {target}")
