"""Search on PostgreSQL: pg_trgm and unaccent, a text search configuration, GIN indexes.

Every operation is a no-op on other databases (SQLite searches the same search_text key with
LIKE). The indexes are on expressions over `search_text` and are not part of the models'
state, so `makemigrations` sees nothing to do. core.text_search uses the same expressions
(a test checks the plans).

The tsvectors are built by two PL/pgSQL functions rather than inline expressions: PL/pgSQL is
never inlined, so the planner sees their declared cost and uses the GIN indexes instead of a
sequential scan that would rebuild a tsvector for every row it reads.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

TS_CONFIG = "kinoteka_search"
TABLES = ["catalogue_film", "catalogue_person", "lists_curatedlist"]


def section_vector(section):
    return f"to_tsvector('{TS_CONFIG}'::regconfig, split_part(search_text, ' | ', {section}))"


WEIGHTED_VECTOR = " || ".join(
    f"setweight({section_vector(section)}, '{weight}')"
    for section, weight in ((1, "A"), (2, "B"), (3, "C"))
)


def vector_function(name, body):
    return (
        f"CREATE FUNCTION {name}(search_text text) RETURNS tsvector "
        # PARALLEL UNSAFE: a search reads a few dozen rows; starting workers costs more.
        "LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE COST 1000 "
        # pg_restore empties search_path; the function must still find its configuration.
        "SET search_path FROM CURRENT "
        f"AS $$ BEGIN RETURN {body}; END $$"
    )


FORWARD = [
    # "simple" (no stemming: keys are folded transliterations, not English) plus unaccent.
    f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part "
    "WITH unaccent, simple",
    # The names section (titles, a person's names), and all three sections weighted A, B, C.
    vector_function("kinoteka_names_vector", section_vector(1)),
    vector_function("kinoteka_search_vector", WEIGHTED_VECTOR),
]
for table in TABLES:
    FORWARD += [
        f"CREATE INDEX {table}_search_fts ON {table} "
        "USING gin (kinoteka_search_vector(search_text))",
        f"CREATE INDEX {table}_search_titles_fts ON {table} "
        "USING gin (kinoteka_names_vector(search_text))",
        # Typos are looked for in names only: short texts keep pg_trgm selective and cheap.
        f"CREATE INDEX {table}_search_trgm ON {table} "
        "USING gin (split_part(search_text, ' | ', 1) gin_trgm_ops)",
    ]

BACKWARD = [
    f"DROP INDEX IF EXISTS {table}_{suffix}"
    for table in TABLES
    for suffix in ("search_trgm", "search_fts", "search_titles_fts")
] + [
    "DROP FUNCTION IF EXISTS kinoteka_search_vector(text)",
    "DROP FUNCTION IF EXISTS kinoteka_names_vector(text)",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("lists", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
