"""Form fields become translatable (wagtail-localize translates only translatable child
objects). Existing rows get the locale of their page, and the German field and its copies
on the translated pages get one shared translation key (matched by page translation key
and ``clean_name``), so that later translations update them instead of duplicating."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("contactformfield", "groupfoundingformfield")


def fill_locale_and_translation_key(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("home", name)
        keys, taken = {}, set()
        # Values, not instances: historical form pages cannot be instantiated (no template).
        rows = model.objects.order_by("pk").values_list(
            "pk", "clean_name", "sort_order", "page__translation_key", "page__locale_id"
        )
        for pk, clean_name, sort_order, page_key, locale_id in rows:
            group = (page_key, clean_name or f"#{sort_order}-{pk}")
            key = keys.setdefault(group, uuid.uuid4())
            if (key, locale_id) in taken:  # two fields of one page with one name
                key = uuid.uuid4()
            taken.add((key, locale_id))
            model.objects.filter(pk=pk).update(locale_id=locale_id, translation_key=key)


def locale_field(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="wagtailcore.locale",
        verbose_name="locale",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_standard_page_newsletter_signup"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        *[
            operation
            for name in MODELS
            for operation in (
                migrations.AddField(model_name=name, name="locale", field=locale_field(True)),
                migrations.AddField(
                    model_name=name,
                    name="translation_key",
                    field=models.UUIDField(editable=False, null=True),
                ),
            )
        ],
        migrations.RunPython(fill_locale_and_translation_key, migrations.RunPython.noop),
        *[
            operation
            for name in MODELS
            for operation in (
                migrations.AlterField(model_name=name, name="locale", field=locale_field(False)),
                migrations.AlterField(
                    model_name=name,
                    name="translation_key",
                    field=models.UUIDField(default=uuid.uuid4, editable=False),
                ),
                migrations.AlterUniqueTogether(
                    name=name, unique_together={("translation_key", "locale")}
                ),
            )
        ],
    ]
