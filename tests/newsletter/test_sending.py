"""Sending issues through a real SMTP server (aiosmtpd on loopback)."""

import re
from collections import Counter

import pytest
from django.core.mail import get_connection
from django.utils import timezone

from newsletter.models import Delivery, Dispatch, Subscription, SubscriptionStatus
from newsletter.sending import run_dispatch

from .conftest import english_edition, make_subscriber

pytestmark = pytest.mark.django_db


def _dispatch(issue):
    return Dispatch.objects.create(
        issue=issue, mailing_list=issue.mailing_list, scheduled_for=timezone.now()
    )


def _links(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    unsubscribe = re.search(r"(https://land\.localhost/newsletter/abmelden/[^\s]+/)", text)
    preferences = re.search(r"(https://land\.localhost/newsletter/einstellungen/[^\s]+/)", text)
    return unsubscribe.group(1), preferences.group(1)


class SimulatedCrash(BaseException):
    """Stands for the process being killed: nothing in the sender may catch it."""


class CrashingConnection:
    """A real SMTP connection that dies before handing over message number ``after + 1``."""

    def __init__(self, after):
        self.inner = get_connection()
        self.after = after
        self.calls = 0

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, messages):
        self.calls += 1
        if self.calls > self.after:
            raise SimulatedCrash
        return self.inner.send_messages(messages)


class TestSendingThroughSmtp:
    def test_only_confirmed_subscribers_receive_the_issue_with_headers_and_both_parts(
        self, smtp, issue, state_list, alpha_list
    ):
        confirmed = make_subscriber("anna@example.org", state_list)
        make_subscriber("pending@example.org", state_list, status=SubscriptionStatus.PENDING)
        make_subscriber("left@example.org", state_list, status=SubscriptionStatus.UNSUBSCRIBED)
        make_subscriber("other-list@example.org", alpha_list)

        counts = run_dispatch(_dispatch(issue).pk)

        assert counts == {"sent": 1, "failed": 0, "skipped": 0, "remaining": 0, "total": 1}
        assert smtp.recipients() == ["anna@example.org"]
        message = smtp.parsed()[0]
        assert message["Subject"] == "Ausgabe März"
        assert message["Message-ID"].endswith("@land.localhost>")
        assert message["Date"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe, _prefs = _links(message)
        assert message["List-Unsubscribe"].strip().startswith(f"<{unsubscribe}>, <mailto:team@land")
        assert "Landesnewsletter" in message["List-Id"]
        html = message.get_body(preferencelist=("html",)).get_content()
        text = message.get_body(preferencelist=("plain",)).get_content()
        # CSS inlined, no <style> left, absolute links, no tracking.
        assert "<style" not in html
        assert 'style="' in html
        assert 'href="/' not in html and 'src="/' not in html
        assert "https://alpha.localhost/veranstaltungen/gespraechsabend/" in html
        assert unsubscribe in html
        assert "Gesprächsabend 03/2026 (de)" in text
        assert "Jetzt mitmachen: https://example.org/mitmachen" in text
        assert "unserer Seite (https://example.org/info)" in text
        delivery = Delivery.objects.get(subscriber=confirmed)
        assert delivery.status == Delivery.Status.SENT
        assert delivery.message_id == message["Message-ID"]

    def test_the_one_click_post_from_the_mail_unsubscribes_without_csrf_token(
        self, smtp, issue, state_list, client
    ):
        subscriber = make_subscriber("anna@example.org", state_list)
        run_dispatch(_dispatch(issue).pk)
        message = smtp.parsed()[0]
        url = re.search(r"<([^>]+)>", message["List-Unsubscribe"]).group(1)
        path = url.replace("https://land.localhost", "")

        client.enforce_csrf_checks = True
        assert client.get(path, HTTP_HOST="land.localhost").status_code == 200
        assert Subscription.objects.get(subscriber=subscriber).status == "confirmed"
        response = client.post(path, {"List-Unsubscribe": "One-Click"}, HTTP_HOST="land.localhost")
        assert response.status_code == 200
        subscription = Subscription.objects.get(subscriber=subscriber)
        assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
        assert subscription.unsubscribe_method == "one-click"

    def test_each_subscriber_gets_the_edition_in_their_language_or_german(
        self, smtp, issue, state_list
    ):
        english_edition(issue, title="March issue")
        make_subscriber("de@example.org", state_list, language="de")
        make_subscriber("en@example.org", state_list, language="en")

        run_dispatch(_dispatch(issue).pk)

        subjects = {m["To"]: m["Subject"] for m in smtp.parsed()}
        assert subjects == {"de@example.org": "Ausgabe März", "en@example.org": "March issue"}
        english = next(m for m in smtp.parsed() if m["To"] == "en@example.org")
        assert "(en)" in english.get_body(preferencelist=("plain",)).get_content()

    def test_a_crashed_send_resumes_and_everyone_gets_exactly_one_message(
        self, smtp, issue, state_list
    ):
        people = [make_subscriber(f"p{i:02d}@example.org", state_list) for i in range(12)]
        dispatch = _dispatch(issue)

        with pytest.raises(SimulatedCrash):
            run_dispatch(dispatch.pk, connection=CrashingConnection(after=5))

        dispatch.refresh_from_db()
        assert dispatch.status == Dispatch.Status.RUNNING
        assert len(smtp.messages) == 5
        assert dispatch.counts()["sent"] == 5
        # The dead worker's lease still holds: a second worker does not start in parallel.
        assert run_dispatch(dispatch.pk) is None

        counts = run_dispatch(dispatch.pk, takeover=True)

        assert counts["sent"] == 12 and counts["remaining"] == 0
        per_recipient = Counter(smtp.recipients())
        assert per_recipient == Counter({p.email: 1 for p in people})
        dispatch.refresh_from_db()
        assert dispatch.status == Dispatch.Status.FINISHED

    def test_a_resume_after_the_lease_ran_out_needs_no_takeover(
        self, smtp, issue, state_list, settings
    ):
        settings.NEWSLETTER_LEASE_SECONDS = 0
        for i in range(4):
            make_subscriber(f"q{i}@example.org", state_list)
        dispatch = _dispatch(issue)
        with pytest.raises(SimulatedCrash):
            run_dispatch(dispatch.pk, connection=CrashingConnection(after=2))

        counts = run_dispatch(dispatch.pk)

        assert counts["sent"] == 4
        assert sorted(Counter(smtp.recipients()).values()) == [1, 1, 1, 1]

    def test_temporary_failures_are_retried_and_permanent_ones_recorded(
        self, smtp, issue, state_list
    ):
        make_subscriber("ok@example.org", state_list)
        make_subscriber("later@example.org", state_list)
        make_subscriber("gone@example.org", state_list)
        smtp.replies["later@example.org"] = ["451 4.7.1 Greylisted, try again"]
        smtp.replies["gone@example.org"] = ["550 5.1.1 No such user"]

        counts = run_dispatch(_dispatch(issue).pk)

        assert counts == {"sent": 2, "failed": 1, "skipped": 0, "remaining": 0, "total": 3}
        assert sorted(smtp.recipients()) == ["later@example.org", "ok@example.org"]
        later = Delivery.objects.get(subscriber__email="later@example.org")
        assert later.attempts == 2 and later.status == Delivery.Status.SENT
        gone = Delivery.objects.get(subscriber__email="gone@example.org")
        assert gone.status == Delivery.Status.FAILED
        assert gone.error.startswith("550") and "No such user" in gone.error

    def test_a_temporary_failure_that_persists_ends_as_failed_after_the_last_attempt(
        self, smtp, issue, state_list, settings
    ):
        settings.NEWSLETTER_MAX_ATTEMPTS = 3
        make_subscriber("busy@example.org", state_list)
        smtp.replies["busy@example.org"] = ["452 4.2.2 Mailbox full"] * 3

        counts = run_dispatch(_dispatch(issue).pk)

        assert counts["failed"] == 1
        delivery = Delivery.objects.get()
        assert delivery.attempts == 3 and delivery.error.startswith("452")
        assert smtp.messages == []

    def test_a_stopped_send_keeps_what_was_sent_and_continues_later(
        self, smtp, issue, state_list, settings
    ):
        settings.NEWSLETTER_LEASE_RENEW_EVERY = 1
        for i in range(6):
            make_subscriber(f"s{i}@example.org", state_list)
        dispatch = _dispatch(issue)

        class StopAfterTwo(CrashingConnection):
            def send_messages(self, messages):
                result = self.inner.send_messages(messages)
                self.calls += 1
                if self.calls == 2:
                    Dispatch.objects.filter(pk=dispatch.pk).update(stop_requested=True)
                return result

        counts = run_dispatch(dispatch.pk, connection=StopAfterTwo(after=99))
        dispatch.refresh_from_db()
        assert dispatch.status == Dispatch.Status.STOPPED
        assert counts["sent"] == 2 and counts["remaining"] == 4

        Dispatch.objects.filter(pk=dispatch.pk).update(status=Dispatch.Status.SCHEDULED)
        counts = run_dispatch(dispatch.pk)
        assert counts["sent"] == 6
        assert sorted(Counter(smtp.recipients()).values()) == [1] * 6

    def test_a_subscriber_who_leaves_during_a_send_is_skipped(self, smtp, issue, state_list):
        from newsletter.sending import create_deliveries
        from newsletter.services import unsubscribe

        make_subscriber("stays@example.org", state_list)
        leaver = make_subscriber("leaves@example.org", state_list)
        dispatch = _dispatch(issue)
        create_deliveries(dispatch)
        Dispatch.objects.filter(pk=dispatch.pk).update(recipients_created=True)
        unsubscribe(leaver, state_list)

        counts = run_dispatch(dispatch.pk)

        assert counts["sent"] == 1 and counts["skipped"] == 1
        assert smtp.recipients() == ["stays@example.org"]

    def test_an_unpublished_issue_is_not_sent(self, smtp, issue, state_list):
        make_subscriber("anna@example.org", state_list)
        issue.unpublish()
        dispatch = _dispatch(issue)

        run_dispatch(dispatch.pk)

        dispatch.refresh_from_db()
        assert dispatch.status == Dispatch.Status.STOPPED
        assert "nicht veröffentlicht" in dispatch.last_error
        assert smtp.messages == []


class TestLostConnections:
    def test_a_dropped_connection_is_reopened_and_the_message_retried(
        self, smtp, issue, state_list
    ):
        import smtplib

        from django.core.mail.backends.smtp import EmailBackend

        class DropsOnce(EmailBackend):
            """The real SMTP backend; the server "hangs up" before the second message."""

            drops = 0

            def open(self):
                opened = super().open()
                if self.connection is not None and not DropsOnce.drops:
                    real = self.connection.sendmail
                    calls = []

                    def sendmail(*args, **kwargs):
                        calls.append(1)
                        if len(calls) == 2:
                            DropsOnce.drops += 1
                            self.connection.sock.close()
                            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
                        return real(*args, **kwargs)

                    self.connection.sendmail = sendmail
                return opened

        people = [make_subscriber(f"d{i}@example.org", state_list) for i in range(4)]

        counts = run_dispatch(_dispatch(issue).pk, connection=DropsOnce())

        assert DropsOnce.drops == 1
        assert counts["sent"] == 4 and counts["failed"] == 0
        assert Counter(smtp.recipients()) == Counter({p.email: 1 for p in people})
        retried = Delivery.objects.get(attempts=2)
        assert retried.status == Delivery.Status.SENT
