"""GIN index for the public search on PostgreSQL (other databases scan; see search.py)."""

from django.db import migrations

INDEX = "directory_group_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_selfhelpgroup "
            "USING gin (to_tsvector('simple'::regconfig, search_document))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
