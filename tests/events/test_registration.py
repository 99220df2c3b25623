"""Signing up for an event: seats, waiting list, deadline, consent, spam protection, mail."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Frequency, Registration, RegistrationStatus
from events.recurrence import localise

pytestmark = pytest.mark.django_db


def soon(days, hour=18):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return localise(datetime.datetime.combine(day, datetime.time(hour)))


def token(moment):
    return timezone.localtime(moment).strftime("%Y%m%dT%H%M")


def signup_url(event, moment):
    return f"/veranstaltungen/{event.slug}/anmeldung/{token(moment)}/"


def data(name="Erika Muster", email="erika@example.org", **extra):
    return {"name": name, "email": email, "consent": "on", **extra}


@pytest.fixture
def infoabend(listings, event_factory):
    return event_factory(
        listings["alpha"],
        title="Infoabend Selbsthilfe",
        start=soon(10),
        end=soon(10, 20),
        registration_enabled=True,
        capacity=2,
        registration_deadline_hours=24,
    )


def test_a_visitor_signs_up_and_gets_a_german_confirmation(visitor, infoabend):
    form = visitor.get(signup_url(infoabend, infoabend.start))
    html = form.content.decode()
    assert form.status_code == 200
    assert "Es sind noch 2 Plätze frei." in html
    assert 'href="/datenschutz/"' in html  # the consent box links the site's Datenschutz page
    response = visitor.post(signup_url(infoabend, infoabend.start), data())
    assert response.status_code == 200
    assert "Vielen Dank für Ihre Anmeldung" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.office.site.hostname == "alpha.localhost"
    assert registration.occurrence_start == infoabend.start
    (message,) = mail.outbox
    assert message.to == ["erika@example.org"]
    assert message.subject.startswith("Anmeldebestätigung: Infoabend Selbsthilfe am ")
    assert "Guten Tag Erika Muster" in message.body
    assert "Ihr Platz ist reserviert" in message.body
    assert message.reply_to == ["team@alpha.localhost"]
    page = visitor.get(f"/veranstaltungen/{infoabend.slug}/").content.decode()
    assert "1 Platz frei" in page


def test_when_full_visitors_go_on_the_waiting_list(visitor, infoabend):
    url = signup_url(infoabend, infoabend.start)
    visitor.post(url, data(email="a@example.org"))
    visitor.post(url, data(email="b@example.org"))
    assert "ausgebucht" in visitor.get(url).content.decode()
    response = visitor.post(url, data(email="c@example.org"))
    assert "Sie stehen auf der Warteliste" in response.content.decode()
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert mail.outbox[-1].subject.startswith("Warteliste: ")
    page = visitor.get(f"/veranstaltungen/{infoabend.slug}/").content.decode()
    assert "0 Plätze frei" in page and "Auf die Warteliste" in page


def test_without_a_waiting_list_a_full_event_refuses_politely(visitor, infoabend):
    infoabend.waiting_list = False
    infoabend.capacity = 1
    infoabend.save_revision().publish()
    url = signup_url(infoabend, infoabend.start)
    visitor.post(url, data(email="a@example.org"))
    response = visitor.post(url, data(email="b@example.org"))
    assert response.status_code == 409
    assert "inzwischen ausgebucht" in response.content.decode()
    assert Registration.objects.count() == 1


def test_the_same_address_cannot_take_two_seats(visitor, infoabend):
    url = signup_url(infoabend, infoabend.start)
    visitor.post(url, data())
    response = visitor.post(url, data(name="Noch mal"))
    assert response.status_code == 409
    assert "bereits angemeldet" in response.content.decode()
    assert Registration.objects.count() == 1


def test_consent_is_required(visitor, infoabend):
    payload = data()
    del payload["consent"]
    response = visitor.post(signup_url(infoabend, infoabend.start), payload)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu." in html
    assert 'aria-describedby="id_consent-error"' in html
    assert 'value="Erika Muster"' in html  # nothing typed is lost
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_stores_nothing_but_answers_like_a_success(visitor, infoabend):
    response = visitor.post(
        signup_url(infoabend, infoabend.start), data(website="http://spam.example")
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_too_many_attempts_from_one_address_are_rate_limited(visitor, infoabend):
    url = signup_url(infoabend, infoabend.start)
    statuses = [visitor.post(url, {"name": "", "email": "x"}).status_code for _attempt in range(5)]
    assert statuses == [400] * 5
    response = visitor.post(url, data())
    assert response.status_code == 429
    assert "Zu viele Anmeldungen" in response.content.decode()
    assert not Registration.objects.exists()


def test_after_the_deadline_no_sign_up_is_possible(visitor, listings, event_factory):
    event = event_factory(
        listings["alpha"],
        title="Morgen",
        start=soon(1, 12),
        end=soon(1, 14),
        registration_enabled=True,
        capacity=5,
        registration_deadline_hours=48,
    )
    url = signup_url(event, event.start)
    assert "Anmeldeschluss ist vorbei" in visitor.get(url).content.decode()
    response = visitor.post(url, data())
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_registrations_count_per_occurrence_of_a_recurring_event(visitor, listings, event_factory):
    event = event_factory(
        listings["alpha"],
        title="Gesprächskreis",
        start=soon(7),
        end=soon(7, 20),
        frequency=Frequency.WEEKLY,
        repeat_count=3,
        registration_enabled=True,
        capacity=1,
    )
    first, second = event.start, event.start + datetime.timedelta(days=7)
    visitor.post(signup_url(event, first), data(email="a@example.org"))
    visitor.post(signup_url(event, second), data(email="b@example.org"))
    assert list(
        Registration.objects.order_by("occurrence_start").values_list("status", flat=True)
    ) == [
        "confirmed",
        "confirmed",
    ]


@pytest.mark.parametrize("bad", ["20990101T1800", "19990101T1800"])
def test_a_date_that_is_not_an_occurrence_is_not_found(visitor, infoabend, bad):
    response = visitor.get(f"/veranstaltungen/{infoabend.slug}/anmeldung/{bad}/")
    assert response.status_code == 404


def test_events_without_registration_have_no_sign_up(visitor, listings, event_factory):
    event = event_factory(listings["alpha"], title="Offen", start=soon(5), end=soon(5, 20))
    assert visitor.get(signup_url(event, event.start)).status_code == 404
