"""Review per office for installations that existed before: each office's pages get a
workflow reviewed by the office's "Freigabe" group (on the state site also by the
coordinators), on every locale root of its site. The shared workflow of office-owned
snippets is ensured after every migrate (``sites.review.ensure_snippet_workflow``)."""

from django.db import migrations


def create_workflows(apps, schema_editor):
    Office = apps.get_model("sites", "Office")
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    for office in Office.objects.select_related("site__root_page"):
        root = office.site.root_page
        roots = list(Page.objects.filter(translation_key=root.translation_key, depth=2))
        label = office.short_name or office.name
        names = [f"{label} – Freigabe"]
        if office.kind == "state":
            names.append("Landeskoordination")
        groups = list(Group.objects.filter(name__in=names))
        if not groups:
            continue
        task = GroupApprovalTask.objects.create(
            name=f"Prüfung durch {label}", content_type=task_type, active=True
        )
        task.groups.set(groups)
        workflow = Workflow.objects.create(name=f"Freigabe ({label})", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        for page in roots:
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0004_office_review_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflows, migrations.RunPython.noop)]
