"""Sending the state newsletter, tried in Chromium as the coordinator does it: from the
issue's editor through "Testen und versenden" to the dispatch page, on to a confirmation
that names the list and the number of recipients; nothing goes out before the
confirmation, everything after it.

The tests' task backend runs the send at once inside the confirming request, and the
in-memory mail backend of the live server's thread fills this process's ``mail.outbox``.
Screenshots land in ``screenshots/newsletter-*.png``.
"""

import datetime

import pytest
from django.core import mail

from tests.browser.conftest import SCREENSHOTS, WRITING_JOURNEY, log_in

pytestmark = WRITING_JOURNEY

LIST_NAME = "Landesnewsletter Browser"
ISSUE_TITLE = "Ausgabe Dezember"
CONFIRMED = ["anna@example.org", "bernd@example.org", "cem@example.org"]
PENDING = "noch-nicht@example.org"


@pytest.fixture(scope="module")
def newsletter_world(browser_site, django_db_blocker):
    """Committed: a newsletter page on the state site, the state list with three confirmed
    subscribers and one who has not confirmed, and a published issue for that list."""
    from django.utils import timezone
    from wagtail.models import Page

    from newsletter.models import (
        ConsentText,
        MailingList,
        NewsletterIssue,
        NewsletterPage,
        Subscriber,
        Subscription,
        SubscriptionStatus,
    )
    from sites.models import Office

    with django_db_blocker.unblock():
        state = Office.objects.select_related("site__root_page").get(
            site__hostname="land.localhost"
        )
        mailing_list = MailingList.objects.create(office=state, name=LIST_NAME)
        consent = ConsentText.current()
        subscribers = []
        for email in [*CONFIRMED, PENDING]:
            subscriber = Subscriber.objects.create(email=email, language="de")
            confirmed = email != PENDING
            Subscription.objects.create(
                subscriber=subscriber,
                mailing_list=mailing_list,
                status=SubscriptionStatus.CONFIRMED if confirmed else SubscriptionStatus.PENDING,
                requested_at=timezone.now(),
                consent_text=consent,
                consent_version=consent.version,
                consent_copy=consent.text,
                confirmed_at=timezone.now() if confirmed else None,
            )
            subscribers.append(subscriber)
        newsletter_page = NewsletterPage(title="Newsletter Browser", slug="newsletter-browser")
        state.site.root_page.add_child(instance=newsletter_page)
        newsletter_page.save_revision().publish()
        issue = NewsletterIssue(
            title=ISSUE_TITLE,
            slug="ausgabe-dezember",
            month=datetime.date(2026, 12, 1),
            mailing_list=mailing_list,
            preheader="Neues aus den Kontaktstellen",
            body=[
                ("heading", "Neue Gruppen im Dezember"),
                ("paragraph", "<p>Drei Gruppen suchen neue Mitglieder.</p>"),
            ],
        )
        newsletter_page.add_child(instance=issue)
        issue.save_revision().publish()
    try:
        yield {"issue": issue.pk, "list": mailing_list.pk}
    finally:
        with django_db_blocker.unblock():
            from django.contrib.sessions.models import Session

            Session.objects.all().delete()
            Page.objects.get(pk=newsletter_page.pk).delete()  # the issue and its dispatch
            for subscriber in subscribers:
                subscriber.delete()
            mailing_list.delete()


def test_the_coordinator_s_send_asks_first_naming_the_list_and_the_recipients(
    chromium, browser_site, newsletter_world, django_db_blocker
):
    from newsletter.models import Delivery, Dispatch

    issue_pk = newsletter_world["issue"]
    context, page, base = log_in(chromium, browser_site, "coordinator", "land.localhost")

    # The issue's editor offers "Testen und versenden" in its header, not in a menu.
    page.goto(f"{base}/admin/pages/{issue_pk}/edit/")
    send = page.locator("header a[data-newsletter-dispatch]")
    assert send.is_visible()
    assert send.inner_text().strip() == "Testen und versenden"
    send.click()
    page.wait_for_url(f"{base}/admin/newsletter/ausgabe/{issue_pk}/")
    assert f"Verteiler „{LIST_NAME}“: 3 bestätigte Abonnent:innen." in page.inner_text("main")

    # The next step only shows whom the issue would go to.
    page.get_by_role("button", name="Weiter: Empfänger:innen prüfen").click()
    page.wait_for_load_state()
    summary = page.locator("#confirm-summary").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "newsletter-confirm.png"), full_page=True)
    assert summary == (
        f"Die Ausgabe geht jetzt an 3 bestätigte Abonnent:innen des Verteilers „{LIST_NAME}“."
    )
    assert page.locator("table.listing tbody tr").all_inner_texts() == [
        f"Deutsch\t{ISSUE_TITLE}\t3"
    ]
    confirm = page.get_by_role("button", name="Jetzt an 3 Personen senden")
    assert confirm.is_visible()
    with django_db_blocker.unblock():
        assert not Dispatch.objects.filter(issue_id=issue_pk).exists()
    assert mail.outbox == []

    # Confirmed: the send starts, and the dispatch page reports it.
    with page.expect_navigation():
        confirm.click()
    page.screenshot(path=str(SCREENSHOTS / "newsletter-sent.png"), full_page=True)
    shown = page.inner_text("body")
    context.close()
    assert "Der Versand wurde gestartet." in shown
    assert "Status: abgeschlossen" in shown

    with django_db_blocker.unblock():
        dispatch = Dispatch.objects.get(issue_id=issue_pk)
        assert dispatch.status == Dispatch.Status.FINISHED
        assert dispatch.mailing_list_id == newsletter_world["list"]
        assert dispatch.created_by.username == "coordinator"
        sent = sorted(
            dispatch.deliveries.filter(status=Delivery.Status.SENT).values_list(
                "subscriber__email", flat=True
            )
        )
        assert sent == CONFIRMED
        assert dispatch.deliveries.exclude(status=Delivery.Status.SENT).count() == 0
    assert sorted(to for message in mail.outbox for to in message.to) == CONFIRMED
    assert {message.subject for message in mail.outbox} == {ISSUE_TITLE}
