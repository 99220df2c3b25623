"""The public forms: consent, honeypot, rate limit, mail to the office, and who may read
the submissions in the admin."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission

from tests.conftest import client_for
from tests.home.conftest import child

pytestmark = pytest.mark.django_db


def contact_data(**extra):
    data = {
        "ihr_name": "Erika Muster",
        "ihre_e_mail_adresse": "erika@example.org",
        "ihre_nachricht": "Gibt es eine Gruppe für pflegende Angehörige?",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def founding_data(**extra):
    data = {
        "thema_der_gruppe": "Long Covid",
        "ortsteil_gemeinde": "Nordstadt",
        "ihr_name": "Sam",
        "ihre_e_mail_adresse": "sam@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


class TestContactForm:
    def test_the_form_shows_a_consent_checkbox_that_links_to_the_sites_datenschutz_page(
        self, visitor, offices
    ):
        response = visitor.get("/kontakt/")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="consent"' in html
        assert '<a href="/datenschutz/">Datenschutzerklärung</a>' in html
        assert 'for="id_consent"' in html

    def test_a_valid_message_is_saved_and_mailed_to_the_office(self, visitor, offices):
        response = visitor.post("/kontakt/", contact_data())
        assert response.status_code == 200
        assert "Vielen Dank" in response.content.decode()
        page = child(offices["alpha"], "kontakt")
        submission = FormSubmission.objects.get(page=page)
        assert submission.form_data["consent"] is True
        assert "website" not in submission.form_data
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["team@alpha.localhost"]
        assert message.reply_to == ["erika@example.org"]
        assert "pflegende Angehörige" in message.body
        assert "Einwilligung: ja" in message.body

    def test_the_office_address_is_used_when_the_page_names_no_recipient(self, visitor, offices):
        page = child(offices["alpha"], "kontakt")
        page.to_address = ""
        page.save_revision().publish()
        visitor.post("/kontakt/", contact_data())
        assert mail.outbox[0].to == ["team@alpha.localhost"]

    def test_a_message_without_consent_is_refused_with_the_error_tied_to_the_checkbox(
        self, visitor, offices
    ):
        response = visitor.post("/kontakt/", contact_data(consent=""))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Bitte bestätigen Sie die Einwilligung" in html
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_consent_error"' in html
        assert 'id="id_consent_error"' in html
        # What the visitor typed is still there.
        assert "Gibt es eine Gruppe für pflegende Angehörige?" in html
        assert not FormSubmission.objects.exists()
        assert mail.outbox == []

    def test_a_missing_required_field_gets_an_error_tied_to_its_field(self, visitor):
        response = visitor.post("/kontakt/", contact_data(ihre_nachricht=""))
        html = response.content.decode()
        assert 'aria-describedby="id_ihre_nachricht_error"' in html
        assert 'role="alert"' in html

    def test_a_filled_in_honeypot_looks_like_success_but_nothing_is_kept_or_sent(self, visitor):
        response = visitor.post("/kontakt/", contact_data(website="http://spam.example"))
        assert response.status_code == 200
        assert "Vielen Dank" in response.content.decode()
        assert not FormSubmission.objects.exists()
        assert mail.outbox == []

    def test_the_honeypot_is_hidden_from_people_and_assistive_technology(self, visitor):
        html = visitor.get("/kontakt/").content.decode()
        assert '<div class="hp-field" aria-hidden="true">' in html
        assert 'tabindex="-1"' in html


class TestRateLimit:
    def test_the_sixth_message_within_ten_minutes_gets_429_and_keeps_the_form_data(
        self, visitor, offices
    ):
        for _ in range(5):
            assert visitor.post("/kontakt/", contact_data()).status_code == 200
        response = visitor.post("/kontakt/", contact_data(ihre_nachricht="Sechste Nachricht"))
        html = response.content.decode()
        assert response.status_code == 429
        assert "Zu viele Anfragen in kurzer Zeit." in html
        assert "Sechste Nachricht" in html
        assert FormSubmission.objects.count() == 5
        assert len(mail.outbox) == 5

    def test_another_client_address_is_counted_separately(self, visitor):
        for _ in range(5):
            visitor.post("/kontakt/", contact_data())
        response = visitor.post("/kontakt/", contact_data(), REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 200

    def test_invalid_attempts_do_not_use_up_the_limit(self, visitor):
        for _ in range(6):
            assert visitor.post("/kontakt/", contact_data(consent="")).status_code == 200
        assert visitor.post("/kontakt/", contact_data()).status_code == 200


class TestGroupFoundingForm:
    def test_provisioning_creates_the_form_for_every_office_with_its_questions(self, offices):
        for key in ("alpha", "beta"):
            page = child(offices[key], "gruppe-gruenden")
            labels = [f.label for f in page.form_fields.all()]
            assert "Thema der Gruppe" in labels
            assert "Ortsteil / Gemeinde" in labels
            assert "Ihre E-Mail-Adresse" in labels
            assert page.live

    def test_an_interest_in_founding_a_group_is_mailed_to_the_office(self, visitor, offices):
        response = visitor.post("/gruppe-gruenden/", founding_data())
        assert response.status_code == 200
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["team@alpha.localhost"]
        assert "Thema der Gruppe: Long Covid" in mail.outbox[0].body

    def test_the_topic_and_consent_are_required(self, visitor):
        response = visitor.post("/gruppe-gruenden/", founding_data(thema_der_gruppe="", consent=""))
        html = response.content.decode()
        assert 'aria-describedby="id_thema_der_gruppe_help id_thema_der_gruppe_error"' in html
        assert "Bitte bestätigen Sie die Einwilligung" in html
        assert not FormSubmission.objects.exists()

    def test_the_english_form_links_to_the_english_privacy_page(self, client, offices):
        response = client_for(client, None, "alpha.localhost").get("/en/gruppe-gruenden/")
        assert response.status_code == 200
        assert 'href="/en/datenschutz/"' in response.content.decode()


class TestSubmissionsAreVisibleToTheOfficeOnly:
    @pytest.fixture
    def alpha_submission(self, offices):
        page = child(offices["alpha"], "kontakt")
        FormSubmission.objects.create(
            page=page, form_data={"ihre_nachricht": "Vertraulich: Alpha", "consent": True}
        )
        return page

    def test_the_office_editor_sees_and_exports_the_submissions(self, client, alpha_submission):
        editor = client_for(client, "editor-alpha", "alpha.localhost")
        url = reverse("wagtailforms:list_submissions", args=[alpha_submission.pk])
        response = editor.get(url)
        assert response.status_code == 200
        assert "Vertraulich: Alpha" in response.content.decode()
        export = editor.get(url, {"export": "csv"})
        assert export.status_code == 200
        assert "Vertraulich: Alpha" in b"".join(export.streaming_content).decode()

    def test_another_offices_editor_cannot_list_or_export_them(self, client, alpha_submission):
        editor = client_for(client, "editor-beta", "beta.localhost")
        url = reverse("wagtailforms:list_submissions", args=[alpha_submission.pk])
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            response = editor.get(url, params)
            assert response.status_code in (302, 403, 404), params
            assert b"Vertraulich" not in response.content

    def test_the_forms_overview_lists_only_the_own_offices_forms(self, client, offices):
        editor = client_for(client, "editor-beta", "beta.localhost")
        response = editor.get(reverse("wagtailforms:index"))
        assert response.status_code == 200
        listed = set(response.context["form_pages"].values_list("pk", flat=True))
        assert child(offices["beta"], "kontakt").pk in listed
        assert child(offices["alpha"], "kontakt").pk not in listed
        assert child(offices["alpha"], "gruppe-gruenden").pk not in listed
