"""Signing up on an office site: double opt-in, proof, no disclosure, abuse protection."""

import re

import pytest
from django.core import mail, signing
from django.core.cache import cache

from newsletter.models import ConsentText, Subscriber, Subscription, SubscriptionStatus
from newsletter.tokens import CONFIRM_SALT

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/anmelden/"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def _form(selected, **extra):
    data = {
        "email": "Neu@Example.org",
        "name": "Nina Neu",
        "language": "en",
        "lists": [ml.pk for ml in selected],
        "consent": "on",
        "consent_version": ConsentText.current().version,
        "website": "",
    }
    data.update(extra)
    return data


def _confirm_path(message):
    return re.search(r"https://[^/]+(/newsletter/bestaetigen/[^\s]+/)", message.body).group(1)


class TestSigningUp:
    def test_the_form_on_an_office_site_offers_the_state_list_and_the_offices_own(
        self, visitor, state_list, alpha_list, offices
    ):
        from newsletter.models import MailingList

        MailingList.objects.create(office=offices["beta"], name="Nur Beta")
        response = visitor.get(SUBSCRIBE)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Landesnewsletter" in content and "Neues aus Alpha" in content
        assert "Nur Beta" not in content
        assert ConsentText.current().text in content

    def test_a_visitor_subscribes_confirms_by_button_and_the_consent_is_proven(
        self, visitor, state_list
    ):
        response = visitor.post(
            SUBSCRIBE, _form([state_list]), HTTP_REFERER="http://alpha.localhost/kontakt/"
        )
        assert response.status_code == 200
        assert "Fast geschafft" in response.content.decode()
        subscription = Subscription.objects.get()
        assert subscription.status == SubscriptionStatus.PENDING
        assert subscription.subscriber.email == "Neu@Example.org"
        assert subscription.subscriber.language == "en"
        assert subscription.source_host == "alpha.localhost"
        assert subscription.source_url == "http://alpha.localhost/kontakt/"
        assert subscription.consent_version == ConsentText.current().version
        assert subscription.consent_copy == ConsentText.current().text

        assert len(mail.outbox) == 1
        confirmation = mail.outbox[0]
        assert confirmation.to == ["Neu@Example.org"]
        assert "Landesnewsletter" in confirmation.body
        path = _confirm_path(confirmation)

        # Opening the link (or a mail scanner opening it) does not confirm anything.
        page = visitor.get(path)
        assert page.status_code == 200
        assert "Ja, Anmeldung bestätigen" in page.content.decode()
        subscription.refresh_from_db()
        assert subscription.status == SubscriptionStatus.PENDING

        done = visitor.post(path)
        assert done.status_code == 200
        subscription.refresh_from_db()
        assert subscription.status == SubscriptionStatus.CONFIRMED
        assert subscription.confirmed_at >= subscription.requested_at
        assert [e.kind for e in subscription.events.all()] == ["requested", "confirmed"]
        # Confirming twice is harmless.
        assert visitor.post(path).status_code == 200
        assert subscription.events.count() == 2

    def test_a_repeated_sign_up_shows_the_same_page_whether_or_not_the_address_is_known(
        self, visitor, state_list, settings
    ):
        settings.NEWSLETTER_SIGNUP_MAIL_PAUSE = 0
        make_subscriber("known@example.org", state_list)
        unknown = visitor.post(SUBSCRIBE, _form([state_list], email="unknown@example.org"))
        known = visitor.post(SUBSCRIBE, _form([state_list], email="KNOWN@example.org"))

        strip = lambda r: re.sub(  # noqa: E731 (the CSRF token and CSP nonce differ per response)
            r'(csrfmiddlewaretoken" value|nonce)="[^"]+', "", r.content.decode()
        )
        assert unknown.status_code == known.status_code == 200
        assert strip(unknown) == strip(known)
        assert Subscriber.objects.filter(email__iexact="known@example.org").count() == 1
        by_recipient = {m.to[0]: m for m in mail.outbox}
        assert "bestaetigen" in by_recipient["unknown@example.org"].body
        already = by_recipient["known@example.org"]
        assert "bereits angemeldet" in already.subject
        assert "/newsletter/einstellungen/" in already.body
        assert "bestaetigen" not in already.body
        # The confirmed subscriber's language was not changed by a stranger's form.
        assert Subscriber.objects.get(email="known@example.org").language == "de"

    def test_a_pending_address_that_signs_up_again_gets_a_new_confirmation_mail(
        self, visitor, state_list, settings
    ):
        settings.NEWSLETTER_SIGNUP_MAIL_PAUSE = 0
        visitor.post(SUBSCRIBE, _form([state_list]))
        visitor.post(SUBSCRIBE, _form([state_list]))
        assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject] * 2
        assert all("bestaetigen" in m.body for m in mail.outbox)
        assert Subscription.objects.count() == 1

    def test_an_address_gets_at_most_one_sign_up_mail_within_the_pause(self, visitor, state_list):
        visitor.post(SUBSCRIBE, _form([state_list]))
        visitor.post(SUBSCRIBE, _form([state_list]))
        assert len(mail.outbox) == 1

    def test_an_expired_confirmation_link_explains_what_to_do(self, visitor, state_list, settings):
        visitor.post(SUBSCRIBE, _form([state_list]))
        path = _confirm_path(mail.outbox[0])
        settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
        response = visitor.post(path)
        assert response.status_code == 400
        assert "abgelaufen" in response.content.decode()
        assert Subscription.objects.get().status == SubscriptionStatus.PENDING

    def test_a_tampered_or_foreign_confirmation_link_confirms_nothing(self, visitor, state_list):
        visitor.post(SUBSCRIBE, _form([state_list]))
        subscription = Subscription.objects.get()
        assert visitor.get("/newsletter/bestaetigen/kaputt/").status_code == 400
        forged = signing.dumps(
            {"s": subscription.subscriber_id, "k": "wrong", "l": [subscription.pk]},
            salt=CONFIRM_SALT,
        )
        assert visitor.post(f"/newsletter/bestaetigen/{forged}/").status_code == 400
        assert Subscription.objects.get().status == SubscriptionStatus.PENDING

    def test_the_honeypot_silently_drops_bots(self, visitor, state_list):
        response = visitor.post(SUBSCRIBE, _form([state_list], website="http://spam"))
        assert response.status_code == 200
        assert not Subscriber.objects.exists()
        assert mail.outbox == []

    def test_too_many_sign_ups_from_one_address_are_refused(self, visitor, state_list, settings):
        settings.NEWSLETTER_SIGNUP_RATE = (2, 3600)
        for i in range(2):
            ok = visitor.post(SUBSCRIBE, _form([state_list], email=f"a{i}@example.org"))
            assert ok.status_code == 200
        refused = visitor.post(SUBSCRIBE, _form([state_list], email="a9@example.org"))
        assert refused.status_code == 429
        assert not Subscriber.objects.filter(email="a9@example.org").exists()

    @pytest.mark.parametrize(
        "change, message",
        [
            ({"email": "kein-at"}, "gültige E-Mail-Adresse"),
            ({"consent": ""}, "Ohne Ihre Einwilligung"),
            ({"lists": []}, "mindestens einen Verteiler"),
            ({"lists": ["999999"]}, "gültige Auswahl"),
            ({"language": "xx"}, "gültige Auswahl"),
        ],
    )
    def test_bad_input_is_answered_with_the_form_and_an_explanation(
        self, visitor, state_list, change, message
    ):
        response = visitor.post(SUBSCRIBE, _form([state_list], **change))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Subscriber.objects.exists()

    def test_a_list_of_another_office_cannot_be_subscribed_through_this_site(
        self, visitor, offices
    ):
        from newsletter.models import MailingList

        beta_list = MailingList.objects.create(office=offices["beta"], name="Nur Beta")
        response = visitor.post(SUBSCRIBE, _form([beta_list]))
        assert response.status_code == 400
        assert not Subscription.objects.exists()

    def test_the_consent_version_shown_is_the_one_recorded(self, visitor, state_list):
        shown = ConsentText.current()
        newer = ConsentText.objects.create(text="Neuer Wortlaut")
        visitor.post(SUBSCRIBE, _form([state_list], consent_version=shown.version))
        subscription = Subscription.objects.get()
        assert subscription.consent_version == shown.version != newer.version
        assert subscription.consent_copy == shown.text

    def test_editing_a_consent_text_creates_a_new_version(self):
        first = ConsentText.current()
        first.text = "Geändert"
        first.save()
        assert ConsentText.objects.count() == 2
        assert ConsentText.objects.get(version=1).text != "Geändert"
        assert ConsentText.current().text == "Geändert"


class TestSignupOnPages:
    def test_the_newsletter_page_shows_the_form_and_only_sent_issues(
        self, client, newsletter_page, issue
    ):
        from django.utils import timezone

        from newsletter.models import Dispatch

        client.defaults["HTTP_HOST"] = "land.localhost"
        page = client.get(newsletter_page.url)
        assert page.status_code == 200
        assert "Landesnewsletter" in page.content.decode()
        assert "Ausgabe März" not in page.content.decode()
        assert client.get(issue.url).status_code == 404

        Dispatch.objects.create(
            issue=issue,
            mailing_list=issue.mailing_list,
            scheduled_for=timezone.now(),
            status=Dispatch.Status.FINISHED,
        )
        assert "Ausgabe März" in client.get(newsletter_page.url).content.decode()
        archived = client.get(issue.url)
        assert archived.status_code == 200
        assert "Gesprächsabend 03/2026" in archived.content.decode()

    def test_the_signup_block_renders_the_form_for_the_current_site(
        self, rf, state_list, alpha_list
    ):
        from newsletter.blocks import NewsletterSignupBlock

        block = NewsletterSignupBlock()
        request = rf.get("/", HTTP_HOST="alpha.localhost")
        html = block.render(
            block.to_python({"heading": "Dabei sein", "text": ""}), {"request": request}
        )
        assert "Dabei sein" in html
        assert 'action="/newsletter/anmelden/"' in html
        assert "Neues aus Alpha" in html and "Landesnewsletter" in html
