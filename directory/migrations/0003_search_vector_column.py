"""A stored ``tsvector`` of the search document on PostgreSQL, with a GIN index on it.

The public search used to match ``to_tsvector('simple', search_document)`` computed per row:
the expression index found candidate rows, but the recheck, the counts and the facets
parsed every matching document again on every request. A generated column is computed once
when the row is written, by the database itself, so every write path keeps it current
(``save()``, queryset ``update()``, the bulk import). The column is not a model field: only
the ``tsmatch`` lookup (``models.TsMatch``) reads it, and SQLite (which has no full-text
type) keeps matching the plain text column.

The index is built without GIN's "fast update" pending list: after a bulk import the list
held every new row until the next vacuum, and each search scanned it -- PostgreSQL then
preferred reading the whole table (30 ms instead of 1 ms per query). Writes to the
directory are rare; reads are not.
"""

from django.db import migrations

OLD_INDEX = "directory_group_search_document_gin"
INDEX = "directory_group_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE directory_selfhelpgroup ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_selfhelpgroup USING gin (search_vector) "
        "WITH (fastupdate = off)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON directory_selfhelpgroup "
        "USING gin (to_tsvector('simple'::regconfig, search_document))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE directory_selfhelpgroup DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_document_index")]

    operations = [migrations.RunPython(forwards, backwards)]
