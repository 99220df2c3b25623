"""Visitors cancel their own registration with the link in the confirmation mail."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Registration, RegistrationStatus
from sites.tenancy import office_for_page
from tests.conftest import client_for

from .test_registration import data, signup_url, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_event(listings, event_factory):
    return event_factory(
        listings["alpha"],
        title="Gesprächskreis Trauer",
        start=soon(7),
        end=soon(7, 20),
        registration_enabled=True,
        capacity=1,
        registration_deadline_hours=24,
    )


def sign_up(visitor, event, email, name="Erika Muster"):
    before = len(mail.outbox)
    visitor.post(signup_url(event, event.start), data(name=name, email=email))
    registration = Registration.objects.get(email=email)
    (message,) = mail.outbox[before:]
    return registration, message


def link_in(message):
    match = re.search(r"https://alpha\.localhost(/anmeldung/absagen/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_confirmation_mail_links_to_a_page_that_cancels_only_on_post(visitor, small_event):
    registration, message = sign_up(visitor, small_event, "erika@example.org")
    path = link_in(message)
    assert path == f"/anmeldung/absagen/{registration.cancel_token()}/"
    page = visitor.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ja, Anmeldung absagen" in html and 'method="post"' in html
    assert "Gesprächskreis Trauer" in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # a GET changes nothing

    done = visitor.post(path)
    assert done.status_code == 200 and "Sie sind abgemeldet" in done.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_by_visitor and registration.cancelled_at is not None
    event_page = visitor.get(f"/veranstaltungen/{small_event.slug}/").content.decode()
    assert "1 Platz frei" in event_page
    # The same address may sign up again afterwards.
    visitor.post(signup_url(small_event, small_event.start), data(email="erika@example.org"))
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_the_first_person_on_the_waiting_list_moves_up_and_is_mailed(visitor, small_event):
    first, first_mail = sign_up(visitor, small_event, "a@example.org", "Anna")
    second, second_mail = sign_up(visitor, small_event, "b@example.org", "Berta")
    third, _mail = sign_up(visitor, small_event, "c@example.org", "Carla")
    assert second.status == third.status == RegistrationStatus.WAITING
    assert "nicht mehr auf der Warteliste" in second_mail.body and link_in(second_mail)
    before = len(mail.outbox)
    visitor.post(link_in(first_mail))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITING
    (moved_up,) = mail.outbox[before:]
    assert moved_up.to == ["b@example.org"]
    assert moved_up.subject.startswith("Anmeldebestätigung: Gesprächskreis Trauer")
    assert link_in(moved_up) == f"/anmeldung/absagen/{second.cancel_token()}/"


def test_a_repeated_cancel_changes_nothing_and_moves_nobody_else_up(visitor, small_event):
    first, first_mail = sign_up(visitor, small_event, "a@example.org")
    second, _m = sign_up(visitor, small_event, "b@example.org")
    third, _m = sign_up(visitor, small_event, "c@example.org")
    path = link_in(first_mail)
    visitor.post(path)
    cancelled_at = Registration.objects.get(pk=first.pk).cancelled_at
    before = len(mail.outbox)
    again = visitor.post(path)
    assert again.status_code == 200 and "Bereits abgemeldet" in again.content.decode()
    assert "Bereits abgemeldet" in visitor.get(path).content.decode()
    assert Registration.objects.get(pk=first.pk).cancelled_at == cancelled_at
    third.refresh_from_db()
    assert third.status == RegistrationStatus.WAITING
    assert len(mail.outbox) == before


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # wrong signature
        lambda token: str(uuid.UUID(int=1)) + token[36:],  # another reference, same signature
        lambda token: "kaputt",
        lambda token: token.split(":")[0],  # no signature
    ],
)
def test_a_wrong_token_gets_a_german_message_and_cancels_nothing(visitor, small_event, mangle):
    registration, _message = sign_up(visitor, small_event, "erika@example.org")
    response = visitor.post(f"/anmeldung/absagen/{mangle(registration.cancel_token())}/")
    assert response.status_code == 404
    assert "Dieser Abmeldelink ist ungültig" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_link_to_a_deleted_or_past_registration_explains_itself(visitor, small_event):
    registration, message = sign_up(visitor, small_event, "erika@example.org")
    path = link_in(message)
    Registration.objects.filter(pk=registration.pk).update(
        occurrence_start=timezone.now() - datetime.timedelta(hours=1)
    )
    started = visitor.post(path)
    assert started.status_code == 410 and "hat schon begonnen" in started.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED
    Registration.objects.filter(pk=registration.pk).delete()
    gone = visitor.get(path)
    assert gone.status_code == 410 and "gibt es nicht mehr" in gone.content.decode()


def test_the_link_does_not_work_on_another_offices_site(client, small_event):
    visitor = client_for(client, None, "alpha.localhost")
    registration, message = sign_up(visitor, small_event, "erika@example.org")
    path = link_in(message)
    elsewhere = client_for(client, None, "beta.localhost")
    response = elsewhere.post(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "ungültig" in html and "Gesprächskreis Trauer" not in html and "Erika" not in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_office_sees_the_cancellation_and_another_office_does_not(client, small_event):
    visitor = client_for(client, None, "alpha.localhost")
    _registration, message = sign_up(visitor, small_event, "erika@example.org", "Erika Storno")
    visitor.post(link_in(message))
    editor_a = client_for(client, "editor-alpha", "alpha.localhost")
    html = editor_a.get("/admin/events/registrations/").content.decode()
    assert "Erika Storno" in html and "selbst abgesagt am" in html
    export = editor_a.get("/admin/events/registrations/export.csv").content.decode("utf-8-sig")
    header, row = export.strip().splitlines()
    assert "Storniert am;Storniert durch" in header
    assert "Erika Storno" in row and "Storniert" in row and "Link in der E-Mail" in row
    client.logout()
    editor_b = client_for(client, "editor-beta", "beta.localhost")
    html = editor_b.get("/admin/events/registrations/", {"zeit": "alle"}).content.decode()
    assert "Erika Storno" not in html
    export = editor_b.get("/admin/events/registrations/export.csv", {"zeit": "alle"})
    assert "Erika Storno" not in export.content.decode("utf-8-sig")


#: SpamAssassin's ``__BITCOIN_ID`` body rule (72_active.cf), the address part of it.
BITCOIN_ID = re.compile(
    r"\b(?<!=)[13](?:(?:[-_=\s][a-km-zA-HJ-NP-Z1-9]){29,34}|[a-km-zA-HJ-NP-Z1-9]{29,34})\b"
)


def test_a_cancel_link_never_reads_as_a_bitcoin_address_to_spam_filters(small_event):
    registration = Registration.objects.create(
        office=office_for_page(small_event),
        event=small_event,
        event_key=small_event.translation_key,
        occurrence_start=small_event.start,
        name="Erika Muster",
        email="erika@example.org",
        consent_at=timezone.now(),
        reference=uuid.UUID(hex="1" + "a" * 31),
    )
    assert BITCOIN_ID.search(registration.reference.hex)  # the bare form would trip the rule
    token = registration.cancel_token()
    assert not BITCOIN_ID.search(f"https://alpha.localhost/anmeldung/absagen/{token}/")
    assert Registration.reference_from_token(token) == registration.reference


def test_a_cancel_link_signed_over_the_bare_reference_still_works(visitor, small_event):
    from django.core import signing

    from events.models import CANCEL_SALT

    registration, _message = sign_up(visitor, small_event, "erika@example.org")
    old = signing.Signer(salt=CANCEL_SALT).sign(registration.reference.hex)
    done = visitor.post(f"/anmeldung/absagen/{old}/")
    assert done.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
