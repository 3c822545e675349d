"""Send reads to a read replica and writes to the primary (docs/scaling.md).

Active only when settings define a `replica` alias (DATABASE_REPLICA_URL). Replication lags,
so code that must read its own write at once (a redirect after saving, a service that
re-reads inside a transaction) uses `.using("default")`; inside an atomic block on the
primary, reads follow the write connection automatically (see `db_for_read`).
"""

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"


class PrimaryReplicaRouter:
    """Reads → `replica`, writes and migrations → `default`; both hold the same rows."""

    def db_for_read(self, model, **hints):
        # A transaction open on the primary must see its own uncommitted rows.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary, so rows from either may be related.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema through replication, never by `migrate`.
        return db == PRIMARY
