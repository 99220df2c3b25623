"""Groups confirm or correct their own entry through a signed link the office mails them."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from directory.confirmation import CONFIRM_SALT, request_confirmation
from directory.dashboard import pending_proposals
from directory.forms import GroupProposalForm
from directory.models import GroupConfirmation, SelfHelpGroup
from tests.conftest import assert_refused, client_for

from .conftest import group, public_get

pytestmark = pytest.mark.django_db

BETA_GROUP = "Trauercafé Beta"
BETA_CONTACT = "bernd.intern@beta.example"
LINK = re.compile(r"https://beta\.localhost(/gruppe/eintrag-pruefen/\S+/)")


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def ask(client, name=BETA_GROUP, user="editor-beta", host="beta.localhost"):
    """The office's editor presses "Bestätigung anfordern"; returns the mail's link path."""
    office_client = client_for(client, user, host)
    before = len(mail.outbox)
    response = office_client.post(reverse("directory_request_confirmation", args=[group(name).pk]))
    assert response.status_code == 302, response.status_code
    office_client.logout()
    (message,) = mail.outbox[before:]
    return message, link_in(message)


def contact(host="beta.localhost", **kwargs):
    return Client(HTTP_HOST=host, **kwargs)


def proposal_data(instance, **changes):
    """What the proposal form posts when the contact changes ``changes`` only."""
    form = GroupProposalForm(instance=instance)
    data = {"action": "propose"}
    for name in form.fields:
        value = form[name].value()
        if name in changes:
            value = changes[name]
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        data[name] = "" if value is None else value
    return data


def test_the_office_asks_its_group_and_the_contact_confirms_by_link(client):
    message, path = ask(client)
    assert message.to == [BETA_CONTACT]
    assert message.reply_to == ["team@beta.localhost"]
    assert "Kontaktstelle Beta" in message.from_email
    assert BETA_GROUP in message.subject and "Bernd Beta-Intern" in message.body
    confirmation = GroupConfirmation.objects.get(group=group(BETA_GROUP))
    assert confirmation.sent_at is not None and confirmation.email == BETA_CONTACT
    # The group and this request's nonce (hyphenated), signed with a timestamp.
    assert path.startswith(f"/gruppe/eintrag-pruefen/{confirmation.group_id}.{confirmation.nonce}:")
    assert len(str(confirmation.nonce)) == 36

    visitor = contact()
    page = visitor.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alles stimmt so" in html and "Änderungen vorschlagen" in html
    assert "Bernd Beta-Intern" in html  # the internal contact, to correct it
    assert "no-store" in page["Cache-Control"] and "noindex" in html
    confirmation.refresh_from_db()
    assert confirmation.answer == ""  # a GET (a link scanner) answers nothing

    done = visitor.post(path, {"action": "confirm"})
    assert done.status_code == 200 and "Vielen Dank!" in done.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.answer == GroupConfirmation.Answer.CONFIRMED
    assert confirmation.answered_by == f"Bernd Beta-Intern <{BETA_CONTACT}>"
    assert timezone.now() - confirmation.answered_at < datetime.timedelta(minutes=1)
    # The group's own confirmation counts: the group is no longer due for its check.
    assert not SelfHelpGroup.objects.stale().filter(name=BETA_GROUP).exists()

    again = visitor.post(path, {"action": "confirm"})
    assert again.status_code == 410 and "schon geantwortet" in again.content.decode()

    report = client_for(client, "editor-beta", "beta.localhost").get(reverse("directory_stale"))
    row = re.search(
        rf'<tr id="group-{confirmation.group_id}">.*?</tr>', report.content.decode(), re.S
    )
    assert row, "the confirmed group is listed in the freshness report"
    assert timezone.localdate().strftime("%d.%m.%Y") in row.group(0)
    assert "Bernd Beta-Intern" in row.group(0) and "bestätigt" in row.group(0)


@pytest.mark.parametrize(
    "token",
    ["x", "a:b:c", "12.not-a-uuid:1abc:xyz", "%00%ff", "9" * 600, "ä.ö:ü"],
)
def test_a_forged_or_malformed_link_gets_a_clear_404(token):
    response = contact().get(f"/gruppe/eintrag-pruefen/{token}/")
    if "%00" in token:  # control characters are refused before any view (sites.security)
        assert response.status_code == 400
        return
    assert response.status_code == 404
    assert "Dieser Link ist ungültig" in response.content.decode()


def test_a_tampered_link_changes_nothing(client):
    _message, path = ask(client)
    token = path.split("/")[-2]
    confirmation = GroupConfirmation.objects.get()
    other = group("Spielerselbsthilfe Beta")
    # Another group's id under the same signature, and a flipped signature character.
    value, _sep, rest = token.partition(":")
    forged = [
        f"{other.pk}.{confirmation.nonce}:{rest}",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
    ]
    for bad in forged:
        response = contact().post(f"/gruppe/eintrag-pruefen/{bad}/", {"action": "confirm"})
        assert response.status_code == 404
    confirmation.refresh_from_db()
    assert confirmation.answer == ""


def test_the_link_works_only_on_its_own_office_s_site(client):
    _message, path = ask(client)
    for host in ("alpha.localhost", "land.localhost"):
        response = contact(host).post(path, {"action": "confirm"})
        assert response.status_code == 404
        assert "Bernd" not in response.content.decode()
    assert GroupConfirmation.objects.get().answer == ""


def test_an_expired_link_is_refused(client):
    _message, path = ask(client)
    confirmation = GroupConfirmation.objects.get()
    GroupConfirmation.objects.filter(pk=confirmation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = contact().post(path, {"action": "confirm"})
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    assert GroupConfirmation.objects.get().answer == ""


def test_a_signature_older_than_thirty_days_is_refused_whatever_the_row_says(client):
    ask(client)
    confirmation = GroupConfirmation.objects.get()

    class Backdated(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(timezone.now().timestamp()) - 31 * 24 * 3600)

    token = Backdated(salt=CONFIRM_SALT).sign(f"{confirmation.group_id}.{confirmation.nonce}")
    response = contact().post(f"/gruppe/eintrag-pruefen/{token}/", {"action": "confirm"})
    assert response.status_code == 410
    assert GroupConfirmation.objects.get().answer == ""


def test_a_newer_request_voids_the_older_link(client):
    _first, old_path = ask(client)
    _second, new_path = ask(client)
    assert old_path != new_path
    response = contact().post(old_path, {"action": "confirm"})
    assert response.status_code == 410 and "neueren Link" in response.content.decode()
    assert not GroupConfirmation.objects.exclude(answer="").exists()
    assert contact().post(new_path, {"action": "confirm"}).status_code == 200


def test_a_proposal_is_a_draft_revision_and_the_live_entry_stays(client):
    beta_group = group(BETA_GROUP)
    old_description = beta_group.description
    old_document = beta_group.search_document
    _message, path = ask(client)
    visitor = contact()
    form_page = visitor.get(path + "?aendern=1")
    assert form_page.status_code == 200
    assert 'name="description"' in form_page.content.decode()

    new_description = "Wir treffen uns jetzt donnerstags im Nachbarschaftshaus Zitrone."
    data = proposal_data(
        beta_group,
        description=new_description,
        weekday="4",
        internal_phone="0171 9999999",
        message="Wir sind umgezogen.",
    )
    before = len(mail.outbox)
    done = visitor.post(path, data)
    assert done.status_code == 200, done.content.decode()[:3000]
    assert "Vielen Dank für Ihre Änderungen" in done.content.decode()

    live = SelfHelpGroup.objects.get(pk=beta_group.pk)
    assert live.live and live.description == old_description and live.weekday == 1
    assert live.internal_phone == "0171 0000007"
    assert live.search_document == old_document
    assert live.has_unpublished_changes
    draft = live.latest_revision.as_object()
    assert draft.description == new_description and draft.weekday == 4
    assert draft.internal_phone == "0171 9999999"
    confirmation = GroupConfirmation.objects.get()
    assert confirmation.answer == GroupConfirmation.Answer.PROPOSED
    assert confirmation.revision_id == live.latest_revision_id
    assert confirmation.message == "Wir sind umgezogen."

    # The public page still shows the live entry.
    detail = public_get(
        Client(HTTP_HOST="beta.localhost"), f"/gruppen/{live.pk}-{live.slug}/"
    ).content.decode()
    assert old_description in detail and new_description not in detail

    # The office's publishers are told once, with the contact's message and a link to the
    # draft (Wagtail's own "submitted" mail of the review goes to superusers only).
    to_office = [m for m in mail.outbox[before:] if "editor-beta@example.org" in m.to]
    (note,) = to_office
    assert all(m.to == ["root@example.org"] for m in mail.outbox[before:] if m is not note)
    assert all("alpha" not in address for address in note.to)
    assert note.subject == f"Änderungsvorschlag der Gruppe „{BETA_GROUP}“"
    assert note.reply_to == [BETA_CONTACT]
    assert f"/admin/directory/groups/edit/{live.pk}/" in note.body

    editor = client_for(client, "editor-beta", "beta.localhost")
    report = editor.get(reverse("directory_stale")).content.decode()
    assert "Änderungsvorschlag der Gruppe" in report and "Wir sind umgezogen." in report
    compare = reverse(
        "directory_groups:revisions_compare", args=[live.pk, "live", confirmation.revision_id]
    )
    assert compare in report.replace("&amp;", "&")
    assert editor.get(compare).status_code == 200

    # The dashboard counts it until the office has published or checked the group.
    assert "Änderungsvorschlag einer Gruppe" in editor.get("/admin/").content.decode()
    assert pending_proposals(live.office) == 1
    editor.post(reverse("directory_verify", args=[live.pk]))
    assert pending_proposals(live.office) == 0

    # Once the office publishes the proposal, it is the live entry.
    SelfHelpGroup.objects.get(pk=live.pk).latest_revision.publish()
    published = SelfHelpGroup.objects.get(pk=live.pk)
    assert published.live and published.description == new_description
    assert published.weekday == 4 and not published.has_unpublished_changes


def test_a_proposal_waits_in_the_office_s_review_and_goes_live_when_approved(client):
    beta_group = group(BETA_GROUP)
    old_description = beta_group.description
    _message, path = ask(client)
    new_description = "Wir treffen uns jetzt im Stadtteilzentrum am Markt, Raum 2."
    contact().post(path, proposal_data(beta_group, description=new_description, message="Neu"))

    state = WorkflowState.objects.get(object_id=str(beta_group.pk), status="in_progress")
    assert state.requested_by is None  # the contact has no account
    task_state = state.current_task_state
    assert task_state.revision_id == GroupConfirmation.objects.get().revision_id
    live = SelfHelpGroup.objects.get(pk=beta_group.pk)
    assert live.description == old_description

    # Only the owning office's publishers may decide; another office's try changes nothing.
    approve = reverse(
        "directory_groups:workflow_action", args=[beta_group.pk, "approve", task_state.pk]
    )
    outsider = client_for(Client(), "editor-alpha", "alpha.localhost")
    outsider.post(approve, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert SelfHelpGroup.objects.get(pk=beta_group.pk).description == old_description

    publisher = client_for(Client(), "editor-beta", "beta.localhost")
    # It waits on the publisher's dashboard like any submission ("Awaiting your review").
    dashboard = publisher.get("/admin/").content.decode()
    assert "Ihre Überprüfung steht aus" in dashboard
    assert BETA_GROUP in dashboard.split("Ihre Überprüfung steht aus", 1)[1]
    publisher.post(approve, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    published = SelfHelpGroup.objects.get(pk=beta_group.pk)
    assert published.live and published.description == new_description
    assert not published.has_unpublished_changes
    assert pending_proposals(published.office) == 0


def test_a_proposal_leaves_a_review_already_running_alone(client):
    beta_group = group(BETA_GROUP)
    _message, path = ask(client)
    workflow = beta_group.get_workflow()
    editor = get_user_model().objects.get(username="editor-beta")
    beta_group.save_revision(user=editor)
    running = workflow.start(beta_group, user=editor)
    submitted_revision = running.current_task_state.revision_id

    contact().post(path, proposal_data(beta_group, description="Vorschlag während einer Prüfung."))
    (state,) = WorkflowState.objects.filter(object_id=str(beta_group.pk), status="in_progress")
    assert state.pk == running.pk
    assert state.current_task_state.revision_id == submitted_revision
    assert GroupConfirmation.objects.get().answer == GroupConfirmation.Answer.PROPOSED


def test_the_proposal_form_explains_what_is_wrong_and_saves_nothing(client):
    beta_group = group(BETA_GROUP)
    _message, path = ask(client)
    bad_times = proposal_data(beta_group, starts_at="20:00", ends_at="19:00")
    response = contact().post(path, bad_times)
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()

    no_consent = proposal_data(beta_group, public_email="trauercafe@example.org")
    response = contact().post(path, no_consent)
    assert response.status_code == 400
    assert "brauchen wir Ihre Einwilligung" in response.content.decode()

    garbage = {"action": "propose", "weekday": "99", "starts_at": "25:99", "website": "x y"}
    assert contact().post(path, garbage).status_code == 400
    assert contact().post(path, {"action": "publish"}).status_code == 400
    assert GroupConfirmation.objects.get().answer == ""
    assert SelfHelpGroup.objects.get(pk=beta_group.pk).latest_revision_id is None

    with_consent = {**no_consent, "consent": "on"}
    assert contact().post(path, with_consent).status_code == 200
    draft = SelfHelpGroup.objects.get(pk=beta_group.pk).latest_revision.as_object()
    assert draft.public_email == "trauercafe@example.org"
    assert draft.public_contact_consent_date == timezone.localdate()


def test_answers_need_the_csrf_token(client):
    _message, path = ask(client)
    strict = contact(enforce_csrf_checks=True)
    assert strict.post(path, {"action": "confirm"}).status_code == 403
    assert GroupConfirmation.objects.get().answer == ""


def test_answers_are_rate_limited(client):
    _message, path = ask(client)
    visitor = contact()
    for _ in range(10):
        assert visitor.post(path, {"action": "propose"}).status_code == 400
    limited = visitor.post(path, {"action": "confirm"})
    assert limited.status_code == 429
    assert GroupConfirmation.objects.get().answer == ""


def test_another_office_can_neither_ask_a_group_nor_see_its_answers(client):
    beta_group = group(BETA_GROUP)
    url = reverse("directory_request_confirmation", args=[beta_group.pk])
    alpha = client_for(client, "editor-alpha", "alpha.localhost")
    assert alpha.get(url).status_code == 404
    assert alpha.post(url).status_code == 404
    alpha.logout()
    coordinator = client_for(client, "coordinator", "land.localhost")
    assert_refused(coordinator.post(url))  # sees the group, does not speak for Beta
    coordinator.logout()
    assert not GroupConfirmation.objects.exists() and not mail.outbox

    request_confirmation(beta_group)
    contact().post(link_in(mail.outbox[-1]), {"action": "confirm"})
    alpha = client_for(client, "editor-alpha", "alpha.localhost")
    report = alpha.get(reverse("directory_stale")).content.decode()
    assert BETA_GROUP not in report and "Bernd" not in report


def test_the_request_page_shows_the_address_and_refuses_a_foreign_next_url(client):
    beta = client_for(client, "editor-beta", "beta.localhost")
    url = reverse("directory_request_confirmation", args=[group(BETA_GROUP).pk])
    listing = beta.get(reverse("directory_groups:list")).content.decode()
    assert url in listing  # "Bestätigung anfordern" in each group's "more" menu
    page = beta.get(url)
    assert page.status_code == 200 and BETA_CONTACT in page.content.decode()
    response = beta.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("directory_stale")
    no_address = group("Spielerselbsthilfe Beta")
    response = beta.post(reverse("directory_request_confirmation", args=[no_address.pk]))
    assert response.status_code == 302
    assert not GroupConfirmation.objects.filter(group=no_address).exists()


def test_the_yearly_run_asks_each_due_group_once():
    call_command("request_group_confirmations", verbosity=0)
    assert [m.to for m in mail.outbox] == [[BETA_CONTACT]]  # alpha's are checked, one has none
    assert GroupConfirmation.objects.get().group == group(BETA_GROUP)
    call_command("request_group_confirmations", verbosity=0)
    assert len(mail.outbox) == 1  # not asked again within 90 days
    GroupConfirmation.objects.update(created_at=timezone.now() - datetime.timedelta(days=91))
    call_command("request_group_confirmations", verbosity=0)
    assert len(mail.outbox) == 2


def test_a_dry_run_asks_nobody():
    call_command("request_group_confirmations", "--probelauf", verbosity=0)
    assert not mail.outbox and not GroupConfirmation.objects.exists()
