"""Office staff and coordinators of existing installations may translate (provisioning
grants ``wagtail_localize.submit_translation`` to new offices' groups)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()
    if permission is None:  # a new database: provisioning grants it
        return
    staff = GroupSitePermission.objects.filter(permission__codename="change_office").values(
        "group_id"
    )
    for group in Group.objects.filter(pk__in=staff):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("sites", "0005_office_review_workflows")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
