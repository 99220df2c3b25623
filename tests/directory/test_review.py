"""Review per office: a Redaktion member submits, the office's Freigabe member decides,
and nobody of another office is asked, told or able to act."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from directory.models import SelfHelpGroup
from tests.conftest import PASSWORD, client_for

from .conftest import group

pytestmark = pytest.mark.django_db


def _member(name, group_name):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def people(db):
    return {
        "redaktion": _member("alpha-redaktion", "KS Alpha – Redaktion"),
        "freigabe": _member("alpha-freigabe", "KS Alpha – Freigabe"),
        "fremd": _member("beta-freigabe", "KS Beta – Freigabe"),
    }


def _client(username, host="alpha.localhost"):
    from django.test import Client

    return client_for(Client(), username, host)


def _group_form(own, **changes):
    return {
        "kind": "group",
        "status": "active",
        "name": own.name,
        "office": own.office_id,
        "audience": own.audience,
        "language_choices": ["de"],
        "rhythm": own.rhythm,
        "weekday": own.weekday,
        "format": own.format,
        **changes,
    }


def test_each_office_s_pages_are_reviewed_by_its_own_freigabe_group(offices):
    for key in ("alpha", "beta"):
        office = offices[key]
        for root in Page.objects.filter(translation_key=office.site.root_page.translation_key):
            workflow = root.get_workflow()
            assert workflow.name == f"Freigabe ({office.short_name})"
            reviewers = workflow.tasks.get().specific.groups.all()
            assert [g.name for g in reviewers] == [f"{office.short_name} – Freigabe"]


def test_a_redaktion_member_submits_a_page_and_only_the_own_freigabe_member_may_approve(
    offices, people
):
    page = offices["alpha"].site.root_page.get_children().get(slug="impressum").specific
    mail.outbox.clear()
    response = _client("alpha-redaktion").post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            "title": "Impressum (neu)",
            "slug": "impressum",
            "intro": "",
            "body-count": "0",
            "action-submit": "action-submit",
        },
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    recipients = {address for message in mail.outbox for address in message.to}
    assert "alpha-freigabe@example.org" in recipients
    assert "beta-freigabe@example.org" not in recipients

    # The other office's reviewer sees nothing of it and cannot approve.
    fremd = _client("beta-freigabe", "beta.localhost")
    assert "Impressum (neu)" not in fremd.get("/admin/").content.decode()
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    fremd.post(url, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    # The office's own reviewer sees it on the dashboard and approves it.
    freigabe = _client("alpha-freigabe")
    assert "Impressum (neu)" in freigabe.get("/admin/").content.decode()
    freigabe.post(url, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    page.refresh_from_db()
    assert page.live and page.title == "Impressum (neu)"


def test_a_group_is_submitted_rejected_with_a_comment_and_the_submitter_is_told(people):
    own = group("Trockene Alkoholiker Wedding")
    redaktion = _client("alpha-redaktion")
    html = redaktion.get(reverse("directory_groups:edit", args=[own.pk])).content.decode()
    assert 'name="action-submit"' in html
    mail.outbox.clear()
    redaktion.post(
        reverse("directory_groups:edit", args=[own.pk]),
        _group_form(own, name="Trockene Alkoholiker (neu)", **{"action-submit": "submit"}),
    )
    own.refresh_from_db()
    assert own.name == "Trockene Alkoholiker Wedding"  # live data unchanged until approved
    state = WorkflowState.objects.get(object_id=str(own.pk), status="in_progress")
    task_state = state.current_task_state
    recipients = {address for message in mail.outbox for address in message.to}
    assert "alpha-freigabe@example.org" in recipients
    assert "beta-freigabe@example.org" not in recipients
    listing = _client("alpha-freigabe").get(reverse("directory_groups:list")).content.decode()
    assert "In Prüfung" in listing or "Änderungen in Prüfung" in listing

    task = task_state.task.specific
    assert not task.get_task_states_user_can_moderate(people["fremd"]).exists()
    assert (
        task.get_task_states_user_can_moderate(people["freigabe"]).filter(pk=task_state.pk).exists()
    )

    reject = reverse("directory_groups:workflow_action", args=[own.pk, "reject", task_state.pk])
    _client("beta-freigabe", "beta.localhost").post(reject, {"comment": "von außen"})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    _client("alpha-freigabe").post(reject, {"comment": "Bitte den Treffpunkt ergänzen."})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    told = [m for m in mail.outbox if "alpha-redaktion@example.org" in m.to]
    assert told and "Bitte den Treffpunkt ergänzen." in told[0].body
    own.refresh_from_db()
    assert own.name == "Trockene Alkoholiker Wedding"


def test_an_approved_group_goes_live_with_the_reviewed_change(people):
    own = group("Trockene Alkoholiker Wedding")
    _client("alpha-redaktion").post(
        reverse("directory_groups:edit", args=[own.pk]),
        _group_form(own, name="Trockene Alkoholiker Mitte", **{"action-submit": "submit"}),
    )
    task_state = WorkflowState.objects.get(
        object_id=str(own.pk), status="in_progress"
    ).current_task_state
    approve = reverse("directory_groups:workflow_action", args=[own.pk, "approve", task_state.pk])
    _client("alpha-freigabe").post(approve, {"comment": ""})
    own = SelfHelpGroup.objects.get(pk=own.pk)
    assert own.live and own.name == "Trockene Alkoholiker Mitte"
    assert own.publication_state == "Veröffentlicht"
