"""Every mail type, read as a mail client reads it (Python's email parser, policy=default).

Mailbox providers trust a message that names its sender, dates itself correctly, offers a
working one-click unsubscribe over https and links only to the sending office's site.
"""

import re
from email import message_from_bytes, policy
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from newsletter.tokens import read_personal_token, read_test_token

from .mail_samples import AUTOMATIC, GROUP_CONTACT, KINDS, VISITOR

BERLIN = ZoneInfo("Europe/Berlin")
STATE_HOST = "land.localhost"
ALPHA_HOST = "alpha.localhost"
URL = re.compile(r"""https?://[^\s"'<>)\]]+""")

#: kind -> (office whose name is the sender, expected Reply-To)
SENDERS = {
    "newsletter_issue": ("state", ["team@land.localhost"]),
    "newsletter_test": ("state", ["team@land.localhost"]),
    "newsletter_confirm": ("state", ["team@land.localhost"]),
    "newsletter_already_subscribed": ("state", ["team@land.localhost"]),
    "directory_contact_to_office": ("alpha", [VISITOR]),
    "directory_contact_confirmation": ("alpha", ["team@alpha.localhost"]),
    "directory_stale_groups": (None, []),
    "directory_confirmation_request": ("alpha", ["team@alpha.localhost"]),
    "directory_group_proposal": ("alpha", [GROUP_CONTACT]),
    "event_registration": ("alpha", ["team@alpha.localhost"]),
    "event_waiting_list": ("alpha", ["team@alpha.localhost"]),
    "form_submission": ("alpha", [VISITOR]),
    "admin_password_reset": (None, []),
}
#: pytest-django creates the test database only for a session with a database test.
pytestmark = pytest.mark.django_db

OFFICE_NAMES = {"state": "Landeskoordination Test", "alpha": "Kontaktstelle Alpha"}


def parsed(mail_samples, kind):
    return message_from_bytes(mail_samples[kind][1], policy=policy.default)


def bodies(message):
    """Text of every text part (plain and HTML)."""
    return [
        part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_multipart()
    ]


def test_every_mail_type_is_covered(mail_samples):
    assert list(mail_samples) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_the_date_carries_the_local_offset_of_berlin(mail_samples, kind):
    message = parsed(mail_samples, kind)
    raw_date = str(message["Date"])
    assert not raw_date.endswith("-0000"), raw_date
    sent = message["Date"].datetime
    assert sent.utcoffset() == sent.astimezone(BERLIN).utcoffset(), raw_date


@pytest.mark.parametrize("kind", KINDS)
def test_automatic_mails_say_auto_generated_and_issues_carry_list_headers(mail_samples, kind):
    message = parsed(mail_samples, kind)
    if kind in AUTOMATIC:
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["List-Unsubscribe"] is None
    else:
        assert message["Auto-Submitted"] is None
        assert message["Precedence"] == "bulk"
        assert "<list-" in message["List-Id"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_sender_is_the_office_by_name_and_replies_go_to_it(mail_samples, kind):
    message = parsed(mail_samples, kind)
    office, reply_to = SENDERS[kind]
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "noreply@localhost"  # the one signed platform address
    if office is None:
        assert sender.display_name == "Selbsthilfe"
        assert message["Reply-To"] is None
    else:
        assert sender.display_name == OFFICE_NAMES[office]
        assert [a.addr_spec for a in message["Reply-To"].addresses] == reply_to


@pytest.mark.parametrize("kind", ["newsletter_issue", "newsletter_test"])
def test_the_issue_offers_one_click_unsubscribe_over_https(mail_samples, kind):
    message = parsed(mail_samples, kind)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    uris = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    first = urlsplit(uris[0])
    assert (first.scheme, first.hostname) == ("https", STATE_HOST)
    assert first.path.startswith("/newsletter/abmelden/")
    token = first.path.rstrip("/").rsplit("/", 1)[-1]
    if kind == "newsletter_test":
        # A real, harmless token: the tester's own address, signed.
        assert read_test_token(token) == "redaktion@example.org"
    else:
        assert read_personal_token(token)[2] is not None  # for this one list
    assert uris[1].startswith("mailto:team@land.localhost?subject=")


@pytest.mark.parametrize("kind", ["newsletter_issue", "newsletter_test"])
def test_links_and_images_of_an_issue_point_to_the_sending_offices_site(mail_samples, kind):
    message = parsed(mail_samples, kind)
    html = message.get_body(preferencelist=("html",)).get_content()
    images = re.findall(r'<img[^>]*\ssrc="([^"]+)"', html)
    assert images, "the sample issue has an image"
    admin_host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    for src in images:
        parts = urlsplit(src)
        assert (parts.scheme, parts.hostname) == ("https", STATE_HOST), src
        assert parts.hostname != admin_host
        assert parts.path.startswith(settings.MEDIA_URL)
    for href in re.findall(r'<a[^>]*\shref="([^"]+)"', html):
        parts = urlsplit(href)
        assert parts.scheme == "https" and parts.hostname == STATE_HOST, href


@pytest.mark.parametrize("kind", KINDS)
def test_every_link_in_every_mail_is_https_on_an_office_site(mail_samples, kind):
    message = parsed(mail_samples, kind)
    links = [url for body in bodies(message) for url in URL.findall(body)]
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "https", link
        assert parts.hostname in (STATE_HOST, ALPHA_HOST), link
