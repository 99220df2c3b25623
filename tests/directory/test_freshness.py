"""Groups not verified for a year: the report, "verified today" and the monthly mail."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from .conftest import group

pytestmark = pytest.mark.django_db


def test_the_report_lists_only_the_own_office_s_stale_groups(client):
    from tests.conftest import client_for

    beta = client_for(client, "editor-beta", "beta.localhost")
    html = beta.get(reverse("directory_stale")).content.decode()
    assert "Trauercafé Beta" in html and "Spielerselbsthilfe Beta" in html
    beta.logout()
    alpha = client_for(client, "editor-alpha")
    html = alpha.get(reverse("directory_stale")).content.decode()
    assert "Trauercafé Beta" not in html
    assert "Alle Gruppen sind aktuell geprüft." in html


def test_verified_today_is_one_post_and_only_for_the_own_office(client):
    from tests.conftest import client_for

    stale = group("Trauercafé Beta")
    alpha = client_for(client, "editor-alpha")
    refused = alpha.post(reverse("directory_verify", args=[stale.pk]))
    assert refused.status_code in (302, 403, 404)
    assert refused.status_code != 302 or refused["Location"] == "/admin/"
    stale.refresh_from_db()
    assert stale.last_verified != timezone.localdate()
    assert alpha.get(reverse("directory_verify", args=[stale.pk])).status_code == 404
    alpha.logout()
    beta = client_for(client, "editor-beta", "beta.localhost")
    assert beta.get(reverse("directory_verify", args=[stale.pk])).status_code == 405
    response = beta.post(reverse("directory_verify", args=[stale.pk]))
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.last_verified == timezone.localdate()


def test_the_command_mails_each_office_its_stale_groups():
    call_command("mail_stale_groups", verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["team@beta.localhost"]
    assert "Trauercafé Beta" in message.body and "Spielerselbsthilfe Beta" in message.body
    assert "noch nie geprüft" in message.body
    assert "/admin/directory/stale/" in message.body
