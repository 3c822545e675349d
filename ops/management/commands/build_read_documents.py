"""Build the read documents of every object a visitor may read (core/read_documents.py)."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core import read_documents


def shard(given):
    number, _, shards = given.partition("/")
    if not (number.isdigit() and shards.isdigit() and 1 <= int(number) <= int(shards)):
        raise argparse.ArgumentTypeError("K/N with 1 ≤ K ≤ N, e.g. 1/2")
    return int(number), int(shards)


class Command(BaseCommand):
    help = (
        "Build the read documents of every film, person and list a visitor may read in the "
        "API and on the site, in each language, and delete those no read will serve again: "
        "after a bulk load or a deploy (reads also build them one by one)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Only this language (repeat for more); every language by default.",
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(read_documents.registered_kinds()),
            help="Only this kind of document (repeat for more); every kind by default.",
        )
        parser.add_argument("--batch", type=int, default=200, help="Objects per query.")
        parser.add_argument(
            "--shard",
            type=shard,
            default=(1, 1),
            metavar="K/N",
            help="Only every N-th object from the K-th: N processes build one kind together "
            "(documents no read would serve are then left for a run without --shard).",
        )

    def handle(self, *args, language=None, kind=None, batch=200, shard=(1, 1), **options):
        kinds = read_documents.registered_kinds()
        if shard == (1, 1):
            purged = read_documents.purge_forgotten()
            self.stdout.write(f"{purged} documents no read would serve deleted")
        else:
            # Shards build side by side: two of them deleting the same rows would deadlock.
            self.stdout.write("Documents no read would serve are left to an unsharded run")
        skipped = 0
        for code in language or [code for code, _name in settings.LANGUAGES]:
            with translation.override(code):
                for name in kind or sorted(kinds):
                    stored, not_stored = kinds[name].build(batch, shard)
                    skipped += not_stored
                    self.stdout.write(f"{name} ({code}): {stored} stored, {not_stored} skipped")
        if skipped:
            raise CommandError(
                f"{skipped} documents were not stored: writes kept committing while they were "
                "built. Run the command again (reads build them too)."
            )
