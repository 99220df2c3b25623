"""One real message of every type of mail the platform sends, built by the project's code.

Used by the mail tests (headers, SpamAssassin) and by ``benchmarks/mail_check.py``. Each
message goes through the same path a visitor or editor triggers: HTTP posts with the test
client for the public forms, the send loop for the newsletter, the management command
for the reminder. Mails are captured with Django's locmem backend.

The mail types (``KINDS``), who gets them and who sends them:

================================  ==================  ===================================
kind                              to                  from / Reply-To
================================  ==================  ===================================
newsletter_issue                  subscriber          list's office / office
newsletter_test                   editor (test send)  list's office / office
newsletter_confirm                person signing up   list's office / office
newsletter_already_subscribed     person signing up   list's office / office
directory_contact_to_office       office (and group)  office / the visitor
directory_contact_confirmation    visitor             office / office
directory_stale_groups            office              platform / -
directory_confirmation_request    group's contact     office / office
directory_group_proposal          office's publishers office / group's contact
event_registration                visitor             office / office
event_waiting_list                visitor             office / office
form_submission                   office              office / the visitor
admin_password_reset              editor              platform / -
================================  ==================  ===================================
"""

import datetime
import io
import re
from email import message_from_bytes, policy

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

KINDS = [
    "newsletter_issue",
    "newsletter_test",
    "newsletter_confirm",
    "newsletter_already_subscribed",
    "directory_contact_to_office",
    "directory_contact_confirmation",
    "directory_stale_groups",
    "directory_confirmation_request",
    "directory_group_proposal",
    "event_registration",
    "event_waiting_list",
    "form_submission",
    "admin_password_reset",
]

#: Mails the platform writes on its own (RFC 3834 ``Auto-Submitted: auto-generated``); the
#: newsletter issue and its test copy are written by people and carry the list headers.
AUTOMATIC = set(KINDS) - {"newsletter_issue", "newsletter_test"}

#: Mails with an HTML part (checked with the Nu HTML Checker where it is installed).
HTML_KINDS = {"newsletter_issue", "newsletter_test"}

VISITOR = "erika.muster@example.org"
GROUP_CONTACT = "hannelore.beispiel@example.org"


def raw_bytes(message):
    """The bytes a mail server would receive for ``message`` (an ``EmailMessage``)."""
    return message.message().as_bytes(linesep="\r\n")


def parse(message):
    """``message`` as a real client reads it: Python's email parser, ``policy.default``."""
    return message_from_bytes(raw_bytes(message), policy=policy.default)


def _png():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (29, 79, 110)).save(buffer, "PNG")
    return buffer.getvalue()


def _take(outbox_start):
    new = mail.outbox[outbox_start:]
    return new


def _client(hostname):
    return Client(HTTP_HOST=hostname)


def _newsletter(offices, samples):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from newsletter.demo import issue_body
    from newsletter.mail import IssueMailer
    from newsletter.models import (
        ConsentText,
        Dispatch,
        MailingList,
        NewsletterIssue,
        NewsletterPage,
        Subscriber,
    )
    from newsletter.sending import run_dispatch

    state = offices["state"]
    mailing_list = MailingList.objects.create(
        office=state,
        name="Landesnewsletter Selbsthilfe",
        description="Einmal im Monat: neue Gruppen, Veranstaltungen, Fristen.",
    )
    image = get_image_model().objects.create(
        title="Gruppenraum", file=ImageFile(io.BytesIO(_png()), name="gruppenraum.png")
    )
    page = NewsletterPage(title="Newsletter", slug="newsletter")
    state.site.root_page.add_child(instance=page)
    page.save_revision().publish()
    issue = NewsletterIssue(
        title="Selbsthilfe im Land – Ausgabe März",
        slug="ausgabe-maerz",
        month=datetime.date(2026, 3, 1),
        mailing_list=mailing_list,
        preheader="Neue Gruppen, Gruppen in Gründung und die Frist für die Förderung",
        # The demo's realistic issue (new groups, groups in founding, events, funding),
        # with a picture after the introduction.
        body=[
            *issue_body(datetime.date(2026, 3, 1))[:1],
            ("image", {"image": image, "alt": "Ein heller Gruppenraum", "caption": ""}),
            *issue_body(datetime.date(2026, 3, 1))[1:],
        ],
    )
    page.add_child(instance=issue)
    issue.save_revision().publish()
    issue = NewsletterIssue.objects.get(pk=issue.pk)

    # Sign-up on an office site: the confirmation mail (double opt-in).
    visitor = _client(offices["alpha"].site.hostname)
    start = len(mail.outbox)
    visitor.post(
        "/newsletter/anmelden/",
        {
            "email": VISITOR,
            "name": "Erika Muster",
            "language": "de",
            "lists": [mailing_list.pk],
            "consent": "on",
            "consent_version": ConsentText.current().version,
            "website": "",
        },
    )
    (confirm,) = _take(start)
    samples.append(("newsletter_confirm", confirm))
    subscriber = Subscriber.objects.get(email=VISITOR)
    subscription = subscriber.subscriptions.get()
    from newsletter import services

    services.confirm(subscriber, [subscription.pk])

    # The same address signs up again: the note with the preferences link.
    start = len(mail.outbox)
    visitor.post(
        "/newsletter/anmelden/",
        {
            "email": VISITOR,
            "name": "Erika Muster",
            "language": "de",
            "lists": [mailing_list.pk],
            "consent": "on",
            "consent_version": ConsentText.current().version,
            "website": "",
        },
    )
    (already,) = _take(start)
    samples.append(("newsletter_already_subscribed", already))

    # The issue itself, through the send loop.
    start = len(mail.outbox)
    dispatch = Dispatch.objects.create(
        issue=issue, mailing_list=mailing_list, scheduled_for=timezone.now()
    )
    run_dispatch(dispatch.pk)
    (issue_mail,) = _take(start)
    samples.append(("newsletter_issue", issue_mail))

    # A test send to an editor.
    samples.append(
        (
            "newsletter_test",
            IssueMailer(issue, mailing_list).test_message("redaktion@example.org", "de"),
        )
    )
    return issue


def _directory(offices, samples):
    from directory.models import Rhythm, SelfHelpGroup

    alpha = offices["alpha"]
    group = SelfHelpGroup.objects.create(
        name="Pflegende Angehörige Demenz Pankow",
        office=alpha,
        description="Wer einen Menschen mit Demenz pflegt, braucht auch selbst Unterstützung.",
        audience="relatives",
        district="Prenzlauer Berg",
        city="Berlin",
        rhythm=Rhythm.WEEKLY,
        weekday=1,
        starts_at=datetime.time(18, 0),
        ends_at=datetime.time(20, 0),
        last_verified=datetime.date.today(),
    )
    visitor = _client(alpha.site.hostname)
    start = len(mail.outbox)
    response = visitor.post(
        f"/gruppen/{group.pk}-{group.slug}/",
        {
            "name": "Erika Muster",
            "email": VISITOR,
            "message": "Meine Mutter hat Demenz. Ich würde gern einmal in die Gruppe kommen.",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302, response.status_code
    to_office, confirmation = _take(start)
    samples.append(("directory_contact_to_office", to_office))
    samples.append(("directory_contact_confirmation", confirmation))

    SelfHelpGroup.objects.filter(pk=group.pk).update(
        last_verified=datetime.date.today() - datetime.timedelta(days=500)
    )
    start = len(mail.outbox)
    call_command("mail_stale_groups", stdout=io.StringIO(), stderr=io.StringIO())
    stale = [m for m in _take(start) if alpha.email in m.to]
    samples.append(("directory_stale_groups", stale[0]))

    # The office asks the group to confirm its entry; the contact proposes a change by link.
    from directory.confirmation import request_confirmation
    from directory.forms import GroupProposalForm

    SelfHelpGroup.objects.filter(pk=group.pk).update(
        internal_contact_name="Hannelore Beispiel", internal_email=GROUP_CONTACT
    )
    group.refresh_from_db()
    start = len(mail.outbox)
    request_confirmation(group)
    (request_mail,) = _take(start)
    samples.append(("directory_confirmation_request", request_mail))
    link = re.search(r"https://[^/\s]+(/gruppe/eintrag-pruefen/\S+/)", request_mail.body).group(1)
    form = GroupProposalForm(instance=group)
    data = {"action": "propose", "message": "Wir treffen uns ab März donnerstags."}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        data[name] = "" if value is None else value
    data["weekday"] = "4"
    start = len(mail.outbox)
    response = _client(alpha.site.hostname).post(link, data)
    assert response.status_code == 200, response.status_code
    # The proposal also enters the office's review, whose "submitted" mail from Wagtail
    # goes to superusers; the office's own note is the platform's mail to check.
    (proposal,) = [m for m in _take(start) if m.subject.startswith("Änderungsvorschlag")]
    samples.append(("directory_group_proposal", proposal))


def _events(offices, samples):
    from events.models import EventIndexPage, EventPage, LocationKind
    from events.recurrence import localise

    alpha = offices["alpha"]
    listing = EventIndexPage.objects.child_of(alpha.site.root_page).first()
    day = timezone.localdate() + datetime.timedelta(days=10)
    start_at = localise(datetime.datetime.combine(day, datetime.time(18)))
    event = EventPage(
        title="Infoabend: Eine Selbsthilfegruppe gründen",
        start=start_at,
        end=start_at + datetime.timedelta(hours=2),
        location_kind=LocationKind.ADDRESS,
        address="Stadtteilzentrum\nSchönhauser Allee 59b",
        registration_enabled=True,
        capacity=1,
    )
    listing.add_child(instance=event)
    event.save_revision().publish()
    visitor = _client(alpha.site.hostname)
    token = timezone.localtime(start_at).strftime("%Y%m%dT%H%M")
    url = f"/veranstaltungen/{event.slug}/anmeldung/{token}/"
    start = len(mail.outbox)
    visitor.post(url, {"name": "Erika Muster", "email": VISITOR, "consent": "on"})
    visitor.post(url, {"name": "Max Muster", "email": "max@example.org", "consent": "on"})
    registration, waiting = _take(start)
    samples.append(("event_registration", registration))
    samples.append(("event_waiting_list", waiting))


def _form(offices, samples):
    visitor = _client(offices["alpha"].site.hostname)
    start = len(mail.outbox)
    visitor.post(
        "/kontakt/",
        {
            "ihr_name": "Erika Muster",
            "ihre_e_mail_adresse": VISITOR,
            "ihre_nachricht": "Gibt es bei Ihnen eine Gruppe für pflegende Angehörige?",
            "consent": "on",
            "website": "",
        },
    )
    (notification,) = _take(start)
    samples.append(("form_submission", notification))


def _password_reset(offices, samples):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    address = "redaktion.alpha@example.org"
    if not User.objects.filter(email__iexact=address).exists():
        User.objects.create_user("mail-sample-editor", address, "a-long-sample-password")
    start = len(mail.outbox)
    _client(offices["alpha"].site.hostname).post("/admin/password_reset/", {"email": address})
    (reset,) = _take(start)
    samples.append(("admin_password_reset", reset))


def build_samples(offices):
    """``[(kind, EmailMessage)]``, one per entry of ``KINDS``, in that order.

    ``offices`` is ``{"state": Office, "alpha": Office}`` of a provisioned network whose
    offices have an e-mail address in their profile. Creates rows (call it inside a
    transaction that is rolled back, or on a throw-away database).
    """
    samples = []
    cache.clear()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        NEWSLETTER_SIGNUP_MAIL_PAUSE=0,
        NEWSLETTER_RATE_LIMIT=0,
    ):
        mail.outbox = []
        _newsletter(offices, samples)
        _directory(offices, samples)
        _events(offices, samples)
        _form(offices, samples)
        _password_reset(offices, samples)
    order = {kind: i for i, kind in enumerate(KINDS)}
    samples.sort(key=lambda sample: order[sample[0]])
    assert [kind for kind, _m in samples] == KINDS, [kind for kind, _m in samples]
    return samples
