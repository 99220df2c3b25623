"""Forgiving, multilingual search: search terms per language on topics, the search lexicon
with a trigram index (pg_trgm on PostgreSQL), and search documents rebuilt with the
multilingual word folding of ``directory.text`` (Cyrillic and Arabic words, the Turkish i)."""

from django.db import migrations, models


def create_trigram_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_searchword_trgm "
            "ON directory_searchword USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_searchword_key_trgm "
            "ON directory_searchword USING gin (key gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchword_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchword_key_trgm")


def rebuild_documents_and_lexicon(apps, schema_editor):
    from directory import lexicon
    from directory.models import build_search_document

    SelfHelpGroup = apps.get_model("directory", "SelfHelpGroup")
    SearchWord = apps.get_model("directory", "SearchWord")
    changed = []
    for group in SelfHelpGroup.objects.prefetch_related("topics").iterator(chunk_size=2000):
        document = build_search_document(group, group.topics.all())
        if document != group.search_document:
            group.search_document = document
            changed.append(group)
    SelfHelpGroup.objects.bulk_update(changed, ["search_document"], batch_size=2000)
    Topic = apps.get_model("directory", "Topic")
    if Topic.objects.exists() or SelfHelpGroup.objects.exists():
        lexicon.rebuild(
            vocabulary=_vocabulary(Topic), SearchWord=SearchWord, SelfHelpGroup=SelfHelpGroup
        )


def _vocabulary(Topic):
    """The phrases of the historical topics, in the shape ``lexicon.vocabulary_words`` reads."""
    entries = []
    for topic in Topic.objects.all():
        phrases = [topic.name, *topic.synonyms.splitlines(), *topic.related_terms.splitlines()]
        entries += [(topic.pk, (), phrase, "") for phrase in phrases]
    return {"entries": entries}


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_district_upper_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="search_terms",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="Suchbegriffe in anderen Sprachen"
            ),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100, unique=True)),
                ("key", models.CharField(default="", max_length=100)),
                ("vocabulary", models.BooleanField(default=False)),
            ],
            options={"verbose_name": "Suchwort", "verbose_name_plural": "Suchwörter"},
        ),
        migrations.RunPython(create_trigram_extension, drop_trigram_index, elidable=False),
        migrations.RunPython(
            rebuild_documents_and_lexicon, migrations.RunPython.noop, elidable=True
        ),
    ]
