"""A translation goes through the office's review like any other edit: a Redaktion member
(who may not publish) translates in wagtail-localize's editor and submits it
("Zur Freigabe einreichen"); until a Freigabe member approves, the public sees the old
text; after the approval the translation is live. Over HTTP, as the editor posts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page, TaskState, WorkflowState

from directory.models import SelfHelpGroup
from sites.translation_review import SUBMIT_ACTION
from tests.conftest import PASSWORD, assert_refused, client_for
from tests.sites.test_translators import _group, _page, _translate_field

pytestmark = pytest.mark.django_db
PAGE_SUBMIT = "wagtail_localize:submit_page_translation"


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def redaktion(client):
    """A member of Alpha's Redaktion only: edits and submits, never publishes."""
    user = get_user_model().objects.create_user("nur-redaktion", "r@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="KS Alpha – Redaktion"))
    return client_for(client, "nur-redaktion", "alpha.localhost")


@pytest.fixture
def freigabe(db):
    user = get_user_model().objects.create_user("nur-freigabe", "f@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="KS Alpha – Freigabe"))
    from django.test import Client

    return client_for(Client(), "nur-freigabe", "alpha.localhost")


def _start_translation(client, url_name, args, english):
    response = client.post(reverse(url_name, args=args), {"locales": [english.pk]})
    assert response.status_code == 302, response.content


def _approve(client, url_name, obj, capture):
    state = WorkflowState.objects.get(object_id=str(obj.pk), status="in_progress")
    task_state = state.current_task_state
    with capture(execute=True):
        response = client.post(
            reverse(url_name, args=[obj.pk, "approve", task_state.pk]), {"comment": ""}
        )
    assert response.status_code < 400, response.content
    return TaskState.objects.get(pk=task_state.pk)


def test_a_redaktion_member_submits_a_translated_page_and_freigabe_publishes_it(
    redaktion, freigabe, offices, english, django_capture_on_commit_callbacks
):
    page = _page(offices["alpha"], "offener-treff", "Offener Treff")
    with django_capture_on_commit_callbacks(execute=True):
        _start_translation(redaktion, PAGE_SUBMIT, [page.pk], english)
    target = page.get_translation(english)
    assert target.live and target.title == "Offener Treff"  # localize's German copy
    _translate_field(redaktion, page, english, "title", "Open meeting")
    _translate_field(redaktion, page, english, "slug", "open-meeting")
    edit = reverse("wagtailadmin_pages:edit", args=[target.pk])

    html = redaktion.get(edit).content.decode()
    assert "data-translation-review" in html and "Zur Freigabe einreichen" in html
    # The publisher keeps localize's "publish" and is not offered the submit button.
    assert "data-translation-review" not in freigabe.get(edit).content.decode()

    response = redaktion.post(edit, {"action": SUBMIT_ACTION})
    assert response.status_code == 302 and response["Location"] == edit
    message = redaktion.get(edit).content.decode()
    assert "ist zur Freigabe eingereicht" in message
    state = WorkflowState.objects.get(object_id=str(target.pk), status="in_progress")
    assert state.workflow.name == "Freigabe (KS Alpha)"
    # Nothing reached the public yet: the live row still holds the German copy.
    target = Page.objects.get(pk=target.pk).specific
    assert target.title == "Offener Treff" and target.slug == "offener-treff"
    assert target.has_unpublished_changes
    assert target.get_latest_revision_as_object().title == "Open meeting"
    visitor = client_for(redaktion.__class__(), None, "alpha.localhost")
    assert "Open meeting" not in visitor.get("/en/offener-treff/").content.decode()

    # The office's Freigabe member finds it in the review queue and approves.
    assert "Open meeting" in freigabe.get("/admin/").content.decode()
    task_state = _approve(
        freigabe, "wagtailadmin_pages:workflow_action", target, django_capture_on_commit_callbacks
    )
    assert task_state.status == TaskState.STATUS_APPROVED
    target = Page.objects.get(pk=target.pk).specific
    assert target.live and not target.has_unpublished_changes
    assert target.title == "Open meeting"
    assert target.url_path.endswith("/open-meeting/")
    response = visitor.get("/en/open-meeting/")
    assert response.status_code == 200 and "Open meeting" in response.content.decode()


def test_a_redaktion_member_submits_a_translated_group_which_stays_live_until_approved(
    redaktion, freigabe, offices, english, django_capture_on_commit_callbacks
):
    group = _group(offices["alpha"], "Angehörige Alpha")
    with django_capture_on_commit_callbacks(execute=True):
        _start_translation(
            redaktion,
            "wagtail_localize:submit_snippet_translation",
            ["directory", "selfhelpgroup", group.pk],
            english,
        )
    translated = group.get_translation(english)
    _translate_field(redaktion, group, english, "name", "Relatives Alpha")
    edit = reverse("directory_groups:edit", args=[translated.pk])
    assert "data-translation-review" in redaktion.get(edit).content.decode()

    # Until now a Redaktion member's "publish" post was refused and nothing changed.
    live_before = SelfHelpGroup.objects.get(pk=translated.pk).live
    response = redaktion.post(edit, {"action": SUBMIT_ACTION})
    assert response.status_code == 302
    translated = SelfHelpGroup.objects.get(pk=translated.pk)
    assert translated.live == live_before  # not taken offline by a draft
    assert translated.name == "Angehörige Alpha"
    assert translated.get_latest_revision_as_object().name == "Relatives Alpha"
    assert WorkflowState.objects.filter(object_id=str(translated.pk), status="in_progress").exists()

    _approve(
        freigabe, "directory_groups:workflow_action", translated, django_capture_on_commit_callbacks
    )
    translated = SelfHelpGroup.objects.get(pk=translated.pk)
    assert translated.live and translated.name == "Relatives Alpha"
    assert translated.office_id == group.office_id


def test_after_changes_are_requested_the_resubmission_resumes_the_review(
    redaktion, freigabe, offices, english, django_capture_on_commit_callbacks
):
    page = _page(offices["alpha"], "treff-zwei", "Treff zwei")
    with django_capture_on_commit_callbacks(execute=True):
        _start_translation(redaktion, PAGE_SUBMIT, [page.pk], english)
    target = page.get_translation(english)
    _translate_field(redaktion, page, english, "title", "Meeting two")
    edit = reverse("wagtailadmin_pages:edit", args=[target.pk])
    redaktion.post(edit, {"action": SUBMIT_ACTION})
    # While the review runs, the editor offers no second submission, and a stale
    # editor's post is told so and changes nothing (as in Wagtail's own editor).
    html = redaktion.get(edit).content.decode()
    assert "Wartet auf Freigabe" in html and 'value="submit-for-review"' not in html
    revisions = target.revisions.count()
    _translate_field(redaktion, page, english, "title", "Meeting 2")
    response = redaktion.post(edit, {"action": SUBMIT_ACTION}, follow=True)
    assert "wartet schon auf die Freigabe" in response.content.decode()
    states = WorkflowState.objects.filter(object_id=str(target.pk))
    assert states.count() == 1 and target.revisions.count() == revisions
    assert Page.objects.get(pk=target.pk).get_latest_revision_as_object().title == "Meeting two"

    task_state = states.get().current_task_state
    response = freigabe.post(
        reverse("wagtailadmin_pages:workflow_action", args=[target.pk, "reject", task_state.pk]),
        {"comment": "Bitte Uhrzeit ergänzen."},
    )
    assert response.status_code < 400
    assert states.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert 'value="submit-for-review"' in redaktion.get(edit).content.decode()
    redaktion.post(edit, {"action": SUBMIT_ACTION})
    state = states.get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert Page.objects.get(pk=target.pk).get_latest_revision_as_object().title == "Meeting 2"


def test_nobody_else_submits_a_translation_through_the_editor(
    client, redaktion, offices, english, django_capture_on_commit_callbacks
):
    page = _page(offices["alpha"], "treff-drei", "Treff drei")
    with django_capture_on_commit_callbacks(execute=True):
        _start_translation(redaktion, PAGE_SUBMIT, [page.pk], english)
    target = page.get_translation(english)
    edit = reverse("wagtailadmin_pages:edit", args=[target.pk])
    revisions = target.revisions.count()
    # Another office's editor: the fence answers 404 for Alpha's page.
    other = client_for(client.__class__(), "editor-beta", "beta.localhost")
    assert other.post(edit, {"action": SUBMIT_ACTION}).status_code == 404
    # A publisher publishes; the submit action is not theirs (Wagtail's refusal).
    publisher = client_for(client.__class__(), "editor-alpha", "alpha.localhost")
    assert_refused(publisher.post(edit, {"action": SUBMIT_ACTION}))
    assert not WorkflowState.objects.filter(object_id=str(target.pk)).exists()
    assert Page.objects.get(pk=target.pk).revisions.count() == revisions
