"""Load the seed catalogue (fixtures/seed/*.json) built from the four source documents, with a
first version of every row in its history, and the roles (the Editors group) in place."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.models import Film
from lists.history import record_baseline_history
from lists.roles import apply_roles

SEED_REASON = "Loaded from seed"

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"


def seed_fixture_paths():
    """Every seed fixture file; natural keys let them load in any order."""
    return sorted(str(path) for path in SEED_DIR.glob("*.json"))


class Command(BaseCommand):
    help = (
        "Load the seed catalogue. --if-empty skips a database that has films; "
        "--reset flushes first."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--if-empty", action="store_true", help="Do nothing if films exist.")
        group.add_argument(
            "--reset", action="store_true", help="Delete all data (users too) before loading."
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        if if_empty and Film.objects.exists():
            self.stdout.write("The catalogue already has films; seed not loaded.")
            return
        paths = seed_fixture_paths()
        if not paths:
            self.stderr.write(f"No seed fixtures in {SEED_DIR}.")
            return
        with transaction.atomic():
            if reset:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", *paths, verbosity=options["verbosity"])
            # loaddata saves rows raw (no signals), so derived search text is built here,
            # and each row's first version (what a revert can always go back to).
            call_command("rebuild_search_text", verbosity=0)
            record_baseline_history(SEED_REASON)
            # --reset flushed the groups with the rest; the roles are code, so put them back.
            apply_roles()
        self.stdout.write(self.style.SUCCESS(f"Loaded the seed catalogue from {len(paths)} files."))
