"""Remove the stock "Welcome to Wagtail" page and its default site.

Every site of this platform is created by provisioning (``create_office``/``load_demo``);
the stock page would otherwise answer for any unknown hostname in development.
"""

from django.db import migrations


def remove_welcome_page(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    stock_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if stock_type is None:
        return
    welcome = Page.objects.filter(depth=2, slug="home", content_type=stock_type)
    Site.objects.filter(root_page__in=welcome).delete()
    for page in welcome:
        root = Page.objects.get(depth=1)
        page.delete()
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(remove_welcome_page, migrations.RunPython.noop)]
