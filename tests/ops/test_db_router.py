"""The read-replica router: reads from `replica`, writes to `default`, only when configured."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.db_router import PrimaryReplicaRouter
from lists.models import CuratedList

ROOT = Path(__file__).resolve().parents[2]


def test_router_reads_from_the_replica_and_writes_to_the_primary():
    router = PrimaryReplicaRouter()

    assert router.db_for_read(CuratedList) == "replica"
    assert router.db_for_write(CuratedList) == "default"


def test_router_migrates_only_the_primary():
    router = PrimaryReplicaRouter()

    assert router.allow_migrate("default", "lists") is True
    assert router.allow_migrate("replica", "lists") is False


def run_django(code, env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_a_replica_url_there_is_no_router(tmp_path):
    output = run_django(
        "from django.conf import settings\n"
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS)",
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}"},
    )

    assert output == "['default'] []"


def test_with_a_replica_url_reads_hit_the_replica_and_writes_the_primary(tmp_path):
    """Two real database aliases: the replica is a copy of the primary taken before a write."""
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{primary}",
        "DATABASE_REPLICA_URL": f"sqlite:///{replica}",
    }
    run_django(
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from catalogue.models import Genre\n"
        "Genre.objects.create(name='Drama', slug='drama')",
        env,
    )
    shutil.copy(primary, replica)  # "replication" up to this point

    output = run_django(
        "from catalogue.models import Genre\n"
        "Genre.objects.create(name='Comedy', slug='comedy')\n"  # a write: primary only
        "print(sorted(Genre.objects.values_list('slug', flat=True)),"  # a read: the replica
        " sorted(Genre.objects.using('default').values_list('slug', flat=True)))",
        env,
    )

    assert output == "['drama'] ['comedy', 'drama']"
