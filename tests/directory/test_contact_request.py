"""A visitor writes to the office about a group; the office, and only it, gets it."""

import pytest
from django.core import mail
from django.core.cache import cache

from directory.models import ContactRequest, SelfHelpGroup

from .conftest import group, public_get, public_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def url_of(g):
    return f"/gruppen/{g.pk}-{g.slug}/"


def valid_data(**overrides):
    return {
        "name": "Sabine Suchend",
        "email": "sabine@example.org",
        "message": "Mein Mann trinkt, ich möchte gern in die Gruppe kommen.",
        "consent": "on",
        "website": "",
        **overrides,
    }


def test_a_contact_request_goes_to_the_office_and_the_visitor_gets_a_confirmation(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    response = public_post(visitor, url_of(g), valid_data())
    assert response.status_code == 302
    assert response["Location"].endswith("?gesendet=1#kontakt")
    request = ContactRequest.objects.get(email="sabine@example.org")
    assert request.office.site.hostname == "alpha.localhost"
    assert not request.forwarded_to_group
    to_office, confirmation = mail.outbox
    assert to_office.to == ["team@alpha.localhost"]
    assert "angehoerige-moabit@example.org" not in to_office.to
    assert to_office.reply_to == ["sabine@example.org"]
    assert "Mein Mann trinkt" in to_office.body
    assert confirmation.to == ["sabine@example.org"]
    thanks = public_get(visitor, url_of(g) + "?gesendet=1")
    assert "Ihre Nachricht ist bei uns angekommen" in thanks.content.decode()


def test_a_request_reaches_the_group_only_with_its_consent(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    SelfHelpGroup.objects.filter(pk=g.pk).update(forward_requests_to_group=True)
    public_post(visitor, url_of(g), valid_data())
    assert mail.outbox[0].to == ["team@alpha.localhost", "angehoerige-moabit@example.org"]
    assert ContactRequest.objects.get().forwarded_to_group


def test_a_request_about_a_beta_group_on_alpha_s_site_goes_to_beta(visitor):
    g = group("Trauercafé Beta")
    public_post(visitor, url_of(g), valid_data())
    assert mail.outbox[0].to == ["team@beta.localhost"]
    assert ContactRequest.objects.get().office.site.hostname == "beta.localhost"


def test_without_consent_nothing_is_sent_and_the_form_says_why(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    response = public_post(visitor, url_of(g), valid_data(consent="", email="kaputt"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mein Mann trinkt" in html  # nothing typed is lost
    assert not ContactRequest.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_silently_drops_bots(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    response = public_post(visitor, url_of(g), valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not ContactRequest.objects.exists()
    assert mail.outbox == []


def test_too_many_requests_from_one_address_are_refused(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    for _ in range(5):
        assert public_post(visitor, url_of(g), valid_data()).status_code == 302
    response = public_post(visitor, url_of(g), valid_data())
    assert response.status_code == 429
    assert "später noch einmal" in response.content.decode()
    assert ContactRequest.objects.count() == 5
