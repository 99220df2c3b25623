"""Remove the stock "Welcome to Wagtail" page, its default site and the stock groups.

Every site of this platform is created by provisioning (``create_office``/``load_demo``);
the stock page would otherwise answer for any unknown hostname in development. Wagtail's
stock "Editors" and "Moderators" groups hold permissions on the root page and the root
collection, i.e. on every office at once: one wrong click in the user admin would break
tenancy, so they go too.
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

    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        # After every stock migration that creates or extends the stock groups.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(remove_welcome_page, migrations.RunPython.noop)]
