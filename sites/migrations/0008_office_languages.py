"""Sites choose their languages: ``Office.languages``.

Every existing office keeps exactly the languages it has locale roots for (its home page
and the translations of it), so nothing a visitor could reach before disappears and no
language appears that the office never set up.
"""

from django.db import migrations

import sites.languages

LANGUAGE_ORDER = ["de", "en", "tr", "ar", "uk", "ru", "de-x-ls"]


def languages_from_locale_roots(apps, schema_editor):
    Office = apps.get_model("sites", "Office")
    Page = apps.get_model("wagtailcore", "Page")
    for office in Office.objects.select_related("site__root_page"):
        root = office.site.root_page if office.site_id else None
        codes = {"de"}
        if root is not None:
            codes |= set(
                Page.objects.filter(translation_key=root.translation_key).values_list(
                    "locale__language_code", flat=True
                )
            )
        office.languages = [code for code in LANGUAGE_ORDER if code in codes]
        office.save(update_fields=["languages"])


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0007_office_legal_state_closures"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="office",
            name="languages",
            field=sites.languages.LanguagesField(
                default=sites.languages.default_site_languages,
                help_text=(
                    "Deutsch bietet jede Website an. Eine neu gewählte Sprache bekommt sofort "
                    "ihre Startseite und Hauptseiten, zunächst mit dem deutschen Text, bis sie "
                    "übersetzt sind. Eine abgewählte Sprache ist nicht mehr zu sehen; ihre "
                    "Übersetzungen bleiben erhalten."
                ),
                verbose_name="Sprachen der Website",
            ),
        ),
        migrations.RunPython(languages_from_locale_roots, migrations.RunPython.noop),
    ]
