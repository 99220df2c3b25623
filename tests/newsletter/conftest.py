"""Fixtures of the newsletter tests: a real SMTP server on loopback and a small newsletter.

The SMTP server is aiosmtpd on 127.0.0.1 (a free port), shared by the module; each test
gets it emptied. ``smtp`` also switches Django to the SMTP backend pointed at it.
"""

import datetime
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from wagtail.models import Locale

from newsletter import sources
from newsletter.models import (
    ConsentText,
    MailingList,
    NewsletterIssue,
    NewsletterPage,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)


class RecordingHandler:
    """Keeps every accepted message; can refuse recipients with scripted replies."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.messages = []
        self.replies = {}  # address -> list of SMTP replies for the next RCPT commands

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        planned = self.replies.get(address.lower())
        if planned:
            return planned.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 Message accepted for delivery"

    def parsed(self):
        return [message_from_bytes(raw, policy=policy.default) for _f, _t, raw in self.messages]

    def recipients(self):
        return [rcpt for _f, tos, _raw in self.messages for rcpt in tos]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """The recording handler of a real SMTP server that Django now sends to."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.NEWSLETTER_RATE_LIMIT = 0
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0.01
    smtp_server.handler.reset()
    return smtp_server.handler


@pytest.fixture
def events_source():
    """A provider like the one the events app registers at merge time."""

    def provider(month, locale):
        return [
            sources.Item(
                title=f"Gesprächsabend {month:%m/%Y} ({locale})",
                url="http://alpha.localhost/veranstaltungen/gespraechsabend/",
                date=month + datetime.timedelta(days=9),
                office="KS Alpha",
            ),
            {
                "title": "Infoabend Gruppengründung",
                "url": "http://beta.localhost/veranstaltungen/infoabend/",
                "date": month + datetime.timedelta(days=14),
                "office": "KS Beta",
            },
        ]

    sources.register("test_events", provider, label="Veranstaltungen (Test)")
    yield provider
    sources.unregister("test_events")


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def state_list(offices):
    return MailingList.objects.create(office=offices["state"], name="Landesnewsletter")


@pytest.fixture
def alpha_list(offices):
    return MailingList.objects.create(office=offices["alpha"], name="Neues aus Alpha")


@pytest.fixture
def newsletter_page(offices):
    return add_page(
        offices["state"].site.root_page,
        NewsletterPage(title="Newsletter", slug="newsletter"),
    )


@pytest.fixture
def issue(newsletter_page, state_list, events_source):
    return add_page(
        newsletter_page,
        NewsletterIssue(
            title="Ausgabe März",
            slug="ausgabe-maerz",
            month=datetime.date(2026, 3, 1),
            mailing_list=state_list,
            preheader="Neues aus den Kontaktstellen",
            body=[
                ("heading", "Neue Gruppen"),
                (
                    "paragraph",
                    '<p>Mehr auf <a href="https://example.org/info">unserer Seite</a>.</p>',
                ),
                (
                    "auto_content",
                    {"heading": "Termine", "source": "test_events", "limit": 5, "empty_text": ""},
                ),
                (
                    "call_to_action",
                    {
                        "text": "",
                        "label": "Jetzt mitmachen",
                        "page": None,
                        "url": "https://example.org/mitmachen",
                    },
                ),
            ],
        ),
    )


def english_edition(issue, title="March issue"):
    """Translate ``issue`` (and its parent) to English and publish the edition."""
    from wagtail_localize.operations import translate_object

    english = Locale.objects.get(language_code="en")
    parent = issue.get_parent().specific
    if not parent.has_translation(english):
        translate_object(parent, [english])
    translate_object(issue, [english])
    edition = NewsletterIssue.objects.get(translation_key=issue.translation_key, locale=english)
    edition.title = title
    edition.save_revision().publish()
    return NewsletterIssue.objects.get(pk=edition.pk)


def make_subscriber(email, mailing_list, status=SubscriptionStatus.CONFIRMED, language="de"):
    from django.utils import timezone

    consent = ConsentText.current()
    subscriber = Subscriber.objects.create(email=email, language=language)
    Subscription.objects.create(
        subscriber=subscriber,
        mailing_list=mailing_list,
        status=status,
        requested_at=timezone.now(),
        consent_text=consent,
        consent_version=consent.version,
        consent_copy=consent.text,
        confirmed_at=timezone.now() if status == SubscriptionStatus.CONFIRMED else None,
    )
    return subscriber


def assert_denied(response):
    from tests.conftest import assert_refused

    assert_refused(response)
