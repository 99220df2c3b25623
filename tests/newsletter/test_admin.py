"""Composing and sending in the admin: preview, test send, schedule, progress, permissions.

Every permission is checked through HTTP as the user would hit it.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import Dispatch, NewsletterIssue, NewsletterPage, SubscriptionStatus
from newsletter.tasks import run_due_dispatches
from newsletter.tokens import read_test_token

from .conftest import add_page, assert_denied, english_edition, make_subscriber

pytestmark = pytest.mark.django_db

#: What the confirmation page posts for "send now".
SEND_NOW = {"scheduled_for": "", "confirm": "yes"}


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
        # The unsubscribe link carries a signed test token of the tester's address, which
        # the unsubscribe view answers with an explanation.
        link = re.search(r"<(https://[^>]+)>", test_mail.extra_headers["List-Unsubscribe"])
        token = link.group(1).rstrip("/").rsplit("/", 1)[-1]
        assert read_test_token(token) == "pruefung@example.org"
        assert link.group(1).startswith("https://land.localhost/newsletter/abmelden/")
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
            _url(issue, "planen/"),
            {"scheduled_for": later.strftime("%Y-%m-%dT%H:%M"), "confirm": "yes"},
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
        coordinator_client.post(_url(issue, "planen/"), SEND_NOW)
        assert len(mail.outbox) == 3
        page = coordinator_client.get(_url(issue)).content.decode()
        assert "<td>3</td><td>0</td><td>0</td><td>0</td><td>3</td>" in page
        assert 'http-equiv="refresh"' not in page
        # A finished send cannot be started again.
        coordinator_client.post(_url(issue, "planen/"), SEND_NOW)
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
        response = coordinator_client.post(_url(issue, "planen/"), SEND_NOW, follow=True)
        assert "zuerst veröffentlichen" in response.content.decode()
        assert not Dispatch.objects.exists()

    def test_a_malformed_date_is_explained(self, coordinator_client, issue):
        response = coordinator_client.post(
            _url(issue, "planen/"), {"scheduled_for": "morgen früh"}, follow=True
        )
        assert response.status_code == 200
        assert "TT.MM.JJJJ" in response.content.decode()
        assert not Dispatch.objects.exists()


class _FormFields(HTMLParser):
    """The input fields of the form that posts to ``action`` (name -> value)."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _form_fields(html, action):
    parser = _FormFields(action)
    parser.feed(html)
    return parser.fields


class TestSendingAsksFirst:
    def test_the_confirmation_names_the_list_and_the_recipients_per_edition(
        self, coordinator_client, issue, state_list
    ):
        english_edition(issue)
        make_subscriber("anna@example.org", state_list)
        make_subscriber("bernd@example.org", state_list)
        make_subscriber("claire@example.org", state_list, language="en")
        make_subscriber("pending@example.org", state_list, status=SubscriptionStatus.PENDING)

        response = coordinator_client.post(_url(issue, "planen/"), {"scheduled_for": ""})

        assert response.status_code == 200
        page = response.content.decode()
        assert "Landesnewsletter" in page and "3 bestätigte Abonnent:innen" in page
        rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>", page)
        assert rows == [("Deutsch", "Ausgabe März", "2"), ("Englisch", "March issue", "1")]
        assert "Jetzt an 3 Personen senden" in page
        # Asking sends and schedules nothing.
        assert not Dispatch.objects.exists()
        assert mail.outbox == []

        # The button on that page sends.
        fields = _form_fields(page, _url(issue, "planen/"))
        assert fields["confirm"] == "yes"
        coordinator_client.post(_url(issue, "planen/"), fields)
        assert Dispatch.objects.get().status == Dispatch.Status.FINISHED
        assert sorted(m.to[0] for m in mail.outbox) == [
            "anna@example.org",
            "bernd@example.org",
            "claire@example.org",
        ]

    def test_readers_of_a_language_without_an_edition_are_counted_for_the_german_one(
        self, coordinator_client, issue, state_list
    ):
        make_subscriber("anna@example.org", state_list)
        make_subscriber("claire@example.org", state_list, language="en")
        page = coordinator_client.post(_url(issue, "planen/"), {"scheduled_for": ""})
        rows = re.findall(
            r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>", page.content.decode()
        )
        assert rows == [("Deutsch", "Ausgabe März", "2")]
        assert not Dispatch.objects.exists()

    def test_a_later_send_is_confirmed_with_its_date_and_kept_on_confirmation(
        self, coordinator_client, issue, state_list
    ):
        make_subscriber("anna@example.org", state_list)
        later = timezone.localtime() + datetime.timedelta(days=3)
        value = later.strftime("%Y-%m-%dT%H:%M")
        page = coordinator_client.post(_url(issue, "planen/"), {"scheduled_for": value})
        content = page.content.decode()
        assert later.strftime("%d.%m.%Y %H:%M") in content
        assert not Dispatch.objects.exists()
        fields = _form_fields(content, _url(issue, "planen/"))
        assert fields["scheduled_for"] == value
        coordinator_client.post(_url(issue, "planen/"), fields)
        dispatch = Dispatch.objects.get()
        assert dispatch.status == Dispatch.Status.SCHEDULED
        assert timezone.localtime(dispatch.scheduled_for).strftime("%Y-%m-%dT%H:%M") == value
        assert mail.outbox == []

    @pytest.mark.parametrize("confirm", [None, "", "1", "no", "YES"])
    def test_a_post_without_the_confirmation_sends_and_schedules_nothing(
        self, coordinator_client, issue, state_list, confirm
    ):
        make_subscriber("anna@example.org", state_list)
        data = {"scheduled_for": ""}
        if confirm is not None:
            data["confirm"] = confirm
        coordinator_client.post(_url(issue, "planen/"), data)
        assert not Dispatch.objects.exists()
        assert mail.outbox == []

    def test_the_edit_page_shows_the_test_send_as_a_header_button(self, coordinator_client, issue):
        page = coordinator_client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
        finder = _LinkAncestors(_url(issue))
        finder.feed(page)
        assert finder.found, "no link to the dispatch page on the edit page"
        # Beside the "..." menu, not inside it.
        assert not any("w-dropdown" in ancestor for ancestor in finder.found[0])

    def test_the_edit_page_of_another_page_type_has_no_such_button(
        self, coordinator_client, newsletter_page
    ):
        page = coordinator_client.get(f"/admin/pages/{newsletter_page.pk}/edit/")
        assert page.status_code == 200
        assert "/admin/newsletter/ausgabe/" not in page.content.decode()

    def test_the_dispatch_page_header_sends_a_test_to_ones_own_address(
        self, coordinator_client, issue, users
    ):
        page = coordinator_client.get(_url(issue)).content.decode()
        fields = _form_fields(page, _url(issue, "test/"))
        assert fields["email"] == users["coordinator"].email
        header = page.split('class="w-header', 1)[1].split("</header>", 1)[0]
        assert _url(issue, "test/") in header
        coordinator_client.post(_url(issue, "test/"), fields)
        assert [m.to for m in mail.outbox] == [["coord@example.org"]]
        assert not Dispatch.objects.exists()


class _LinkAncestors(HTMLParser):
    """For each ``<a href=url>``: the class and controller attributes of its ancestors."""

    VOID = {"img", "input", "br", "hr", "meta", "link", "source", "col", "area", "wbr"}

    def __init__(self, url):
        super().__init__()
        self.url, self.stack, self.found = url, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") == self.url:
            self.found.append(list(self.stack))
        if tag not in self.VOID:
            marker = " ".join((attrs.get("class") or "", attrs.get("data-controller") or ""))
            self.stack.append(f"{tag}:{marker}")

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].startswith(f"{tag}:"):
                del self.stack[index:]
                break


class TestWhoMaySend:
    @pytest.mark.parametrize("action", ["", "test/", "planen/", "anhalten/", "fortsetzen/"])
    def test_an_office_editor_cannot_touch_the_state_wide_issue(self, editor_a, issue, action):
        response = editor_a.post(_url(issue, action), {"email": "x@example.org", **SEND_NOW})
        assert_denied(response)
        assert_denied(editor_a.get(_url(issue)))
        assert not Dispatch.objects.exists()
        assert mail.outbox == []

    def test_an_office_editor_sends_their_own_offices_list(self, editor_a, alpha_issue, alpha_list):
        make_subscriber("fan@example.org", alpha_list)
        assert editor_a.get(_url(alpha_issue)).status_code == 200
        editor_a.post(_url(alpha_issue, "planen/"), SEND_NOW)
        assert [m.to for m in mail.outbox] == [["fan@example.org"]]

    def test_another_offices_editor_cannot_send_alphas_list(self, client, alpha_issue):
        from tests.conftest import client_for

        beta = client_for(client, "editor-beta", "beta.localhost")
        assert_denied(beta.post(_url(alpha_issue, "planen/"), SEND_NOW))
        assert_denied(beta.get(_url(alpha_issue)))
        assert not Dispatch.objects.exists()

    def test_an_unknown_issue_is_a_404(self, coordinator_client):
        assert coordinator_client.get("/admin/newsletter/ausgabe/999999/").status_code == 404
