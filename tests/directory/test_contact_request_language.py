"""A visitor who writes in their own language is answered in it; the office reads German.

The public interface comes in Turkish, Arabic, Ukrainian, Russian and Leichte Sprache; the
office's staff work in German, so the mail about a contact request is German whatever
language the visitor used, and only the visitor's confirmation follows their language.
"""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from directory.views import deliver_contact_request

from .conftest import group

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Leyla Arayan",
    "email": "leyla@example.org",
    "phone": "",
    "message": "Eşim çok içiyor, gruba katılmak istiyorum.",
}


@pytest.mark.parametrize(
    "language, greeting",
    [("tr", "Merhaba Leyla Arayan,"), ("ar", "مرحبًا Leyla Arayan،"), ("uk", "Доброго дня")],
)
def test_the_office_reads_german_and_the_visitor_their_own_language(language, greeting):
    g = group("Angehörigengruppe Alkohol Moabit")
    request = RequestFactory().post("/", HTTP_HOST="alpha.localhost")
    with translation.override(language):
        deliver_contact_request(g, DATA, request)
        assert translation.get_language() == language  # the office's German did not leak
    to_office, confirmation = mail.outbox
    assert to_office.subject == "Kontaktanfrage zur Gruppe „Angehörigengruppe Alkohol Moabit“"
    assert "Neue Kontaktanfrage zur Gruppe" in to_office.body
    assert "Eşim çok içiyor" in to_office.body
    assert greeting in confirmation.body
    assert "Guten Tag" not in confirmation.body
    assert "Angehörigengruppe Alkohol Moabit" in confirmation.body
