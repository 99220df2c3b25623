"""Give the editor groups of offices provisioned before the Navigation setting existed the
permission to edit their own site's navigation (new offices get it at provisioning)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one is needed now.
    app_config = apps.get_app_config("home")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    Office = apps.get_model("sites", "Office")
    permission = Permission.objects.filter(
        content_type__app_label="home", codename="change_navigation"
    ).first()
    if permission is None:
        return
    for office in Office.objects.all():
        prefix = office.short_name or office.name
        names = [f"{prefix} – Redaktion", f"{prefix} – Freigabe"]
        for group in Group.objects.filter(name__in=names):
            GroupSitePermission.objects.get_or_create(
                group=group, site_id=office.site_id, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_group_founding_navigation_blocks"),
        ("sites", "0002_office_branding"),
        ("wagtailcore", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
