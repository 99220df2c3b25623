"""Composing and sending in the admin: preview, test send, schedule, progress, permissions.

Every permission is checked through HTTP as the user would hit it.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import Dispatch, NewsletterIssue, NewsletterPage
from newsletter.tasks import run_due_dispatches

from .conftest import add_page, assert_denied, make_subscriber

pytestmark = pytest.mark.django_db


def _url(issue, action=""):
    return f"/admin/newsletter/ausgabe/{issue.pk}/{action}"


@pytest.fixture
def alpha_issue(offices, alpha_list):
    page = add_page(
        offices["alpha"].site.root_page, NewsletterPage(title="Newsletter", slug="newsletter")
    )
    return add_page(
        page,
        NewsletterIssue(
            title="Alpha im April",
            slug="alpha-april",
            month=datetime.date(2026, 4, 1),
            mailing_list=alpha_list,
            body=[("heading", "Hallo Alpha")],
        ),
    )


class TestComposing:
    def test_the_email_preview_mode_shows_the_mail_with_inlined_css(self, issue):
        assert ("email", "E-Mail") in [(m, str(label)) for m, label in issue.preview_modes]
        response = issue.make_preview_request(preview_mode="email")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<style" not in html and 'style="' in html
        assert "Gesprächsabend 03/2026 (de)" in html

    def test_the_dashboard_preview_shows_the_latest_draft_as_mail(self, coordinator_client, issue):
        from django.test import Client

        from tests.conftest import client_for

        issue.title = "Entwurf April"
        issue.save_revision()
        response = coordinator_client.get(_url(issue, "vorschau/"))
        assert response.status_code == 200
        assert "Entwurf April" in response.content.decode()
        editor = client_for(Client(), "editor-alpha", "alpha.localhost")
        assert_denied(editor.get(_url(issue, "vorschau/")))

    def test_the_edit_view_offers_only_lists_of_the_issues_office(
        self, coordinator_client, issue, alpha_list
    ):
        response = coordinator_client.get(f"/admin/pages/{issue.pk}/edit/")
        assert response.status_code == 200
        content = response.content.decode()
        assert "Landesnewsletter" in content
        assert "Neues aus Alpha" not in content
        assert _url(issue) in content  # the "Testen und versenden" button

    def test_an_issue_cannot_be_saved_for_another_offices_list(self, issue, alpha_list):
        from django.core.exceptions import ValidationError

        issue.mailing_list = alpha_list
        with pytest.raises(ValidationError):
            issue.full_clean()

    def test_an_image_block_requires_an_alternative_text(self):
        from wagtail.blocks.struct_block import StructBlockValidationError

        from newsletter.blocks import ImageBlock

        with pytest.raises(StructBlockValidationError):
            ImageBlock().clean({"image": None, "alt": "", "caption": ""})


class TestTestSendAndSchedule:
    def test_a_coordinator_sends_a_test_to_an_address(self, coordinator_client, issue):
        response = coordinator_client.post(
            _url(issue, "test/"), {"email": "pruefung@example.org", "language": "de"}
        )
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        test_mail = mail.outbox[0]
        assert test_mail.subject == "[TEST] Ausgabe März"
        assert "/newsletter/abmelden/test/" in test_mail.extra_headers["List-Unsubscribe"]
        assert not Dispatch.objects.exists()

    def test_a_bad_test_address_is_explained_and_sends_nothing(self, coordinator_client, issue):
        response = coordinator_client.post(
            _url(issue, "test/"), {"email": "nope", "language": "de"}, follow=True
        )
        assert "gültige E-Mail-Adresse" in response.content.decode()
        assert mail.outbox == []

    def test_a_scheduled_send_waits_for_its_time_then_goes_out(
        self, coordinator_client, issue, state_list
    ):
        make_subscriber("anna@example.org", state_list)
        later = timezone.localtime() + datetime.timedelta(days=2)
        response = coordinator_client.post(
            _url(issue, "planen/"), {"scheduled_for": later.strftime("%Y-%m-%dT%H:%M")}
        )
        assert response.status_code == 302
        dispatch = Dispatch.objects.get()
        assert dispatch.status == Dispatch.Status.SCHEDULED
        assert run_due_dispatches.call() == []
        assert mail.outbox == []

        Dispatch.objects.filter(pk=dispatch.pk).update(
            scheduled_for=timezone.now() - datetime.timedelta(minutes=1)
        )
        assert run_due_dispatches.call() == [dispatch.pk]
        dispatch.refresh_from_db()
        assert dispatch.status == Dispatch.Status.FINISHED
        assert [m.to for m in mail.outbox] == [["anna@example.org"]]

        page = coordinator_client.get(_url(issue))
        assert page.status_code == 200
        assert "abgeschlossen" in page.content.decode()

    def test_sending_now_runs_and_the_dashboard_shows_the_summary(
        self, coordinator_client, issue, state_list
    ):
        for i in range(3):
            make_subscriber(f"p{i}@example.org", state_list)
        coordinator_client.post(_url(issue, "planen/"), {"scheduled_for": ""})
        assert len(mail.outbox) == 3
        page = coordinator_client.get(_url(issue)).content.decode()
        assert "<td>3</td><td>0</td><td>0</td><td>0</td><td>3</td>" in page
        assert 'http-equiv="refresh"' not in page
        # A finished send cannot be started again.
        coordinator_client.post(_url(issue, "planen/"), {"scheduled_for": ""})
        assert len(mail.outbox) == 3

    def test_a_running_send_refreshes_its_progress_and_can_be_stopped(
        self, coordinator_client, issue
    ):
        dispatch = Dispatch.objects.create(
            issue=issue,
            mailing_list=issue.mailing_list,
            scheduled_for=timezone.now(),
            status=Dispatch.Status.RUNNING,
            lease_owner="worker-1",
            lease_expires_at=timezone.now() + datetime.timedelta(minutes=2),
        )
        page = coordinator_client.get(_url(issue)).content.decode()
        assert 'http-equiv="refresh"' in page and "Versand anhalten" in page
        coordinator_client.post(_url(issue, "anhalten/"))
        dispatch.refresh_from_db()
        assert dispatch.stop_requested

    def test_a_send_whose_worker_died_can_be_resumed(self, coordinator_client, issue, state_list):
        make_subscriber("anna@example.org", state_list)
        Dispatch.objects.create(
            issue=issue,
            mailing_list=issue.mailing_list,
            scheduled_for=timezone.now(),
            status=Dispatch.Status.RUNNING,
            lease_owner="dead-worker",
            lease_expires_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        assert "Versand fortsetzen" in coordinator_client.get(_url(issue)).content.decode()
        coordinator_client.post(_url(issue, "fortsetzen/"))
        assert Dispatch.objects.get().status == Dispatch.Status.FINISHED
        assert len(mail.outbox) == 1

    def test_an_unpublished_draft_is_not_scheduled(self, coordinator_client, issue):
        issue.title = "Neuer Titel"
        issue.save_revision()
        response = coordinator_client.post(
            _url(issue, "planen/"), {"scheduled_for": ""}, follow=True
        )
        assert "zuerst veröffentlichen" in response.content.decode()
        assert not Dispatch.objects.exists()

    def test_a_malformed_date_is_explained(self, coordinator_client, issue):
        response = coordinator_client.post(
            _url(issue, "planen/"), {"scheduled_for": "morgen früh"}, follow=True
        )
        assert response.status_code == 200
        assert "TT.MM.JJJJ" in response.content.decode()
        assert not Dispatch.objects.exists()


class TestWhoMaySend:
    @pytest.mark.parametrize("action", ["", "test/", "planen/", "anhalten/", "fortsetzen/"])
    def test_an_office_editor_cannot_touch_the_state_wide_issue(self, editor_a, issue, action):
        response = editor_a.post(_url(issue, action), {"email": "x@example.org"})
        assert_denied(response)
        assert_denied(editor_a.get(_url(issue)))
        assert not Dispatch.objects.exists()
        assert mail.outbox == []

    def test_an_office_editor_sends_their_own_offices_list(self, editor_a, alpha_issue, alpha_list):
        make_subscriber("fan@example.org", alpha_list)
        assert editor_a.get(_url(alpha_issue)).status_code == 200
        editor_a.post(_url(alpha_issue, "planen/"), {"scheduled_for": ""})
        assert [m.to for m in mail.outbox] == [["fan@example.org"]]

    def test_another_offices_editor_cannot_send_alphas_list(self, client, alpha_issue):
        from tests.conftest import client_for

        beta = client_for(client, "editor-beta", "beta.localhost")
        assert_denied(beta.post(_url(alpha_issue, "planen/"), {"scheduled_for": ""}))
        assert_denied(beta.get(_url(alpha_issue)))
        assert not Dispatch.objects.exists()

    def test_an_unknown_issue_is_a_404(self, coordinator_client):
        assert coordinator_client.get("/admin/newsletter/ausgabe/999999/").status_code == 404
