"""Existing offices' staff groups get the permissions that provisioning now gives new
offices (``NewsletterConfig.office_permissions``): run lists of their own office and see
those lists' subscribers. Which lists is decided by ``newsletter.permissions``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_OFFICE_PERMISSIONS = [
    "add_mailinglist",
    "change_mailinglist",
    "view_mailinglist",
    "view_subscriber",
]


def grant(apps, schema_editor):
    config = apps.get_app_config("newsletter")
    if not getattr(config, "models_module", None):  # migration state apps have none
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="newsletter", codename__in=NEW_OFFICE_PERMISSIONS
        )
    )
    staff_groups = GroupSitePermission.objects.filter(
        permission__codename="change_office", permission__content_type__app_label="sites"
    ).values("group_id")
    for group in Group.objects.filter(pk__in=staff_groups):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0002_heading_block_template"),
        ("sites", "0002_office_branding"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
