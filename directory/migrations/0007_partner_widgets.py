"""Widgets for partner sites (``PartnerWidget``) and their per-day referral counts
(``WidgetReferral``). Existing offices' staff groups get the permissions that provisioning
now gives new offices (``DirectoryConfig.office_permissions``); which widgets they reach
is decided by the fence (their own office's)."""

from django.contrib.auth.management import create_permissions
import directory.models
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


NEW_OFFICE_PERMISSIONS = [
    "add_partnerwidget",
    "change_partnerwidget",
    "delete_partnerwidget",
    "view_partnerwidget",
]


def grant(apps, schema_editor):
    config = apps.get_app_config("directory")
    if not getattr(config, "models_module", None):  # migration state apps have none
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="directory", codename__in=NEW_OFFICE_PERMISSIONS
        )
    )
    staff_groups = GroupSitePermission.objects.filter(
        permission__codename="change_office", permission__content_type__app_label="sites"
    ).values("group_id")
    for group in Group.objects.filter(pk__in=staff_groups):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_group_confirmation'),
        ('sites', '0009_postcode_areas'),
        ('wagtailcore', '0098_apitoken'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='PartnerWidget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Für wen oder wofür, z. B. „Praxis Müller, Sucht“. Nur im Admin sichtbar.', max_length=120, verbose_name='Bezeichnung')),
                ('heading', models.CharField(blank=True, help_text='Überschrift über der Liste (auf Deutsch; leer: „Selbsthilfegruppen“ in der Sprache des Widgets).', max_length=120, verbose_name='Überschrift')),
                ('key', models.SlugField(default=directory.models.new_widget_key, editable=False, max_length=40, unique=True, verbose_name='Schlüssel in der Adresse')),
                ('districts', models.TextField(blank=True, help_text='Ein Ortsteil pro Zeile, wie bei den Gruppen eingetragen. Leer: alle.', verbose_name='Ortsteile')),
                ('language', models.CharField(default='de', help_text='Sprache des Widgets, wenn die Partnerseite keine wählt (mit ?sprache=… in der Adresse geht jede Sprache Ihrer Website).', max_length=10, verbose_name='Sprache')),
                ('max_entries', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='Höchstens so viele Gruppen')),
                ('active', models.BooleanField(default=True, help_text='Ausgeschaltet zeigt die Adresse nichts mehr (404).', verbose_name='Aktiv')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='Angelegt am')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='Geändert am')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_widgets', to='sites.office', verbose_name='Kontaktstelle')),
                ('topics', models.ManyToManyField(blank=True, help_text='Gruppen zu diesen Themen (und ihren Unterthemen). Leer: alle Themen.', related_name='+', to='directory.topic', verbose_name='Themen')),
            ],
            options={
                'verbose_name': 'Widget für Partnerseiten',
                'verbose_name_plural': 'Widgets für Partnerseiten',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='WidgetReferral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='Tag')),
                ('origin', models.CharField(blank=True, max_length=200, verbose_name='Herkunft')),
                ('hits', models.PositiveIntegerField(default=0, verbose_name='Aufrufe')),
                ('widget', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='directory.partnerwidget', verbose_name='Widget')),
            ],
            options={
                'verbose_name': 'Einbettung eines Widgets',
                'verbose_name_plural': 'Einbettungen von Widgets',
                'indexes': [models.Index(fields=['day'], name='directory_widget_referral_day')],
                'constraints': [models.UniqueConstraint(fields=('widget', 'day', 'origin'), name='directory_widget_referral_unique')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
