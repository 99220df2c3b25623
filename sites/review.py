"""Review per office: who approves what an office's "Redaktion" submits.

* **Pages**: every office has its own workflow, "Freigabe (<office>)", with one group
  approval task whose reviewers are the office's "Freigabe" group (on the state site also
  the coordinators), assigned to every locale root of the office's site. Nobody of another
  office is asked, notified or able to act.
* **Office-owned snippets with workflows** (self-help groups): Wagtail assigns snippet
  workflows per model, so one workflow serves every office; its ``OfficeReviewTask`` asks
  the tenancy module who may publish for the owning office, and only they are notified.

Provisioning calls ``create_office_workflow``; migration 0005 did the same for offices that
existed before. A new translation of a home page gets its office's workflow with its
permissions (``sites.provisioning.sync_locale_root_permissions``).
"""

import contextlib
import contextvars

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from . import tenancy
from .models import OfficeReviewTask

#: Name of the one workflow of office-owned snippets (self-help groups).
SNIPPET_WORKFLOW = "Freigabe durch die Kontaktstelle"


def office_workflow_name(office):
    return _("Freigabe (%(office)s)") % {"office": office.short_name or office.name}


def create_office_workflow(office, reviewer_groups):
    """The page workflow of ``office``, reviewed by ``reviewer_groups``, on every locale
    root of its site; and the shared snippet workflow (once per installation)."""
    name = office_workflow_name(office)
    task = GroupApprovalTask.objects.create(
        name=_("Prüfung durch %(office)s") % {"office": office.short_name or office.name}
    )
    task.groups.set(reviewer_groups)
    workflow = Workflow.objects.create(name=name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for root in tenancy.locale_roots(office.site):
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    ensure_snippet_workflow()
    return workflow


def ensure_snippet_workflow():
    """One workflow with an ``OfficeReviewTask`` for every office-owned model that has
    workflows (``WorkflowMixin``); created once, extended when an app adds such a model."""
    from wagtail.models import WorkflowMixin

    models = [model for model in tenancy.owned_models() if issubclass(model, WorkflowMixin)]
    if not models:
        return None
    workflow = Workflow.objects.filter(name=SNIPPET_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=SNIPPET_WORKFLOW)
        task = OfficeReviewTask.objects.create(name=SNIPPET_WORKFLOW)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for model in models:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        WorkflowContentType.objects.get_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    return workflow


def give_locale_root_its_workflow(home_page):
    """A new translation of an office home page is reviewed like the source."""
    source = WorkflowPage.objects.filter(
        page__translation_key=home_page.translation_key, page__depth=home_page.depth
    ).exclude(page=home_page)
    assignment = source.first()
    if assignment is not None:
        WorkflowPage.objects.update_or_create(
            page=home_page, defaults={"workflow_id": assignment.workflow_id}
        )


def publishers_of(office_ids):
    """Active users who may publish for any of ``office_ids`` (their groups hold
    ``publish_page`` on a locale root of the office's site)."""
    roots = [
        path
        for path, (_site, office_id) in tenancy._root_owners().items()
        if office_id in office_ids
    ]
    groups = GroupPagePermission.objects.filter(
        permission__codename="publish_page", page__path__in=roots
    ).values("group_id")
    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()


#: Set while a caller that sends its own, more specific note starts a review.
_submission_mailed_by_caller = contextvars.ContextVar("submission_mailed_by_caller", default=False)


@contextlib.contextmanager
def submission_mailed_by_caller():
    """Start a review without Wagtail's "submitted for review" mail to the reviewers: the
    caller mails them itself (a group's own proposal says who proposed what and why)."""
    token = _submission_mailed_by_caller.set(True)
    try:
        yield
    finally:
        _submission_mailed_by_caller.reset(token)


class OfficeReviewSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Mails the reviewers of an ``OfficeReviewTask``: the owning office's publishers (and
    superusers, as Wagtail does for its group tasks), never another office's staff."""

    def can_handle(self, instance, **kwargs):
        if _submission_mailed_by_caller.get():
            return False
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, OfficeReviewTask
        )

    def get_recipient_users(self, task_state, **kwargs):
        triggering_user = kwargs.get("user")
        owners = tenancy.owner_office_ids(task_state.workflow_state.content_object)
        condition = Q(pk__in=publishers_of(owners or frozenset()).values("pk"))
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            condition |= Q(is_superuser=True)
        recipients = get_user_model().objects.filter(condition)
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients


office_review_submission_notifier = OfficeReviewSubmissionNotifier()


def connect_notifier():
    from wagtail.signals import task_submitted

    task_submitted.connect(
        office_review_submission_notifier,
        sender=TaskState,
        dispatch_uid="office_review_task_submitted_email_notification",
    )


def reviewer_groups_of(office):
    """The office's "Freigabe" group; on the state site also the coordinators."""
    from .provisioning import group_prefix

    names = [f"{group_prefix(office)} – Freigabe"]
    if office.is_state:
        names.append(tenancy.COORDINATORS_GROUP)
    return list(Group.objects.filter(name__in=names))
