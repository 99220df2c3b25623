"""The admin through HTTP: creating events as an editor would, and office isolation of
event pages and registrations."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.models import EventPage, Occurrence, Registration, RegistrationStatus
from events.recurrence import BERLIN, localise
from sites.models import Room

from .conftest import at, next_year

pytestmark = pytest.mark.django_db


def event_form(**overrides):
    year = next_year()
    fields = {
        "title": "Offenes Treffen Angehörige",
        "slug": "offenes-treffen-angehoerige",
        "start": f"{year}-03-09 18:00",
        "end": f"{year}-03-09 19:30",
        "frequency": "weekly",
        "interval": "1",
        "ordinal": "",
        "repeat_until": f"{year}-04-20",
        "repeat_count": "",
        "cancelled_dates": inline_formset([{"date": f"{year}-03-23", "reason": "Feiertag"}]),
        "extra_dates": inline_formset([]),
        "location_kind": "room",
        "room": "",
        "address": "",
        "online_url": "",
        "category": "offenes-treffen",
        "audience": "Angehörige",
        "cost": "",
        "accessibility": "Stufenlos",
        "description": rich_text("<p>Austausch unter Angehörigen.</p>"),
        "registration_enabled": "on",
        "capacity": "8",
        "registration_deadline_hours": "24",
        "waiting_list": "on",
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    fields.update(overrides)
    return nested_form_data(fields)


@pytest.fixture
def rooms(offices):
    return {
        key: Room.objects.create(office=offices[key], name=f"Gruppenraum {key}", capacity=12)
        for key in ("alpha", "beta")
    }


def add_url(parent):
    return f"/admin/pages/add/events/eventpage/{parent.pk}/"


def test_done_when_an_editor_creates_a_recurring_event_with_a_limit_and_it_appears_everywhere(
    client, editor_a, listings, rooms
):
    # The editor finds the "add" form below their events page and publishes the event.
    assert editor_a.get(add_url(listings["alpha"])).status_code == 200
    response = editor_a.post(add_url(listings["alpha"]), event_form(room=str(rooms["alpha"].pk)))
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = EventPage.objects.get(slug="offenes-treffen-angehoerige")
    assert event.live and event.capacity == 8 and event.room == rooms["alpha"]
    year = next_year()
    stored = list(Occurrence.objects.filter(event=event, cancelled=False))
    assert [o.local_start.time() for o in stored] == [datetime.time(18)] * len(stored)
    assert len(stored) == 6  # 9 March to 20 April weekly, minus the 23rd

    # On the office's site, with seats shown.
    editor_a.logout()
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    page = client.get("/veranstaltungen/offenes-treffen-angehoerige/").content.decode()
    facts = page[page.find("Wann") : page.find("Wann") + 3000]
    assert "8 Plätze frei" in page and "jeden Dienstag" in page, facts
    assert "Offenes Treffen Angehörige" in client.get("/veranstaltungen/").content.decode()

    # On the coordination calendar, linking to the office's site.
    client.defaults["HTTP_HOST"] = "land.localhost"
    network = client.get("/veranstaltungen/", {"monat": f"{year}-03"}).content.decode()
    assert 'href="http://alpha.localhost/veranstaltungen/offenes-treffen-angehoerige/"' in network

    # In a calendar app's import of the feed: 18:00 local before and after the DST change.
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    cal = Calendar.from_ical(client.get("/events.ics").content)
    (vevent,) = cal.walk("VEVENT")
    from dateutil.rrule import rrulestr

    rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=vevent["DTSTART"].dt)
    excluded = {d.dt for d in vevent["EXDATE"].dts}
    dates = [d for d in rule if d not in excluded]
    assert len(dates) == 6
    assert {d.astimezone(BERLIN).hour for d in dates} == {18}
    assert len({d.utcoffset() for d in dates}) == 2


def test_invalid_recurrence_input_gets_field_errors_and_nothing_is_published(
    editor_a, listings, rooms
):
    year = next_year()
    form = event_form(
        room=str(rooms["alpha"].pk),
        frequency="monthly_weekday",
        ordinal="2",
        start=f"{year}-03-16 18:00",  # the 3rd Tuesday, not the 2nd
        end=f"{year}-03-16 17:00",
        repeat_count="5",
    )
    response = editor_a.post(add_url(listings["alpha"]), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert "nicht beides" in html
    assert not EventPage.objects.filter(slug="offenes-treffen-angehoerige").exists()
    form = event_form(
        room=str(rooms["alpha"].pk),
        frequency="monthly_weekday",
        ordinal="2",
        start=f"{year}-03-16 18:00",
        end=f"{year}-03-16 19:00",
        repeat_until="",
    )
    html = editor_a.post(add_url(listings["alpha"]), form).content.decode()
    assert "Der erste Termin passt nicht zur Wiederholung" in html


def test_the_room_choice_offers_only_the_offices_own_rooms(editor_a, listings, rooms):
    html = editor_a.get(add_url(listings["alpha"])).content.decode()
    assert "Gruppenraum alpha" in html and "Gruppenraum beta" not in html
    response = editor_a.post(add_url(listings["alpha"]), event_form(room=str(rooms["beta"].pk)))
    assert response.status_code == 200
    assert not EventPage.objects.filter(slug="offenes-treffen-angehoerige").exists()


@pytest.fixture
def beta_event(listings, event_factory):
    return event_factory(
        listings["beta"],
        title="Beta intern",
        start=at(next_year(), 2, 2),
        end=at(next_year(), 2, 2, 20),
        registration_enabled=True,
        capacity=5,
    )


def test_an_editor_of_one_office_cannot_edit_publish_or_delete_another_offices_event(
    editor_a, listings, beta_event
):
    pk = beta_event.pk
    for url in (
        f"/admin/pages/{pk}/edit/",
        f"/admin/pages/{pk}/delete/",
        f"/admin/pages/{pk}/unpublish/",
        f"/admin/pages/{pk}/copy/",
        f"/admin/pages/{pk}/history/",
        add_url(listings["beta"]),
    ):
        assert editor_a.get(url).status_code in (302, 403, 404), url
    beta_children = EventPage.objects.child_of(listings["beta"]).count()
    response = editor_a.post(f"/admin/pages/{pk}/edit/", event_form(title="Gekapert"))
    assert response.status_code in (302, 403, 404)
    assert editor_a.post(f"/admin/pages/{pk}/delete/").status_code in (302, 403, 404)
    response = editor_a.post(add_url(listings["beta"]), event_form(title="Untergeschoben"))
    assert response.status_code in (302, 403, 404)
    beta_event.refresh_from_db()
    assert beta_event.title == "Beta intern" and beta_event.live
    assert not EventPage.objects.filter(title__in=["Gekapert", "Untergeschoben"]).exists()
    assert EventPage.objects.child_of(listings["beta"]).count() == beta_children


def registration(event, name, email, status=RegistrationStatus.CONFIRMED):
    return Registration.objects.create(
        office=event.occurrences.first().office,
        event=event,
        event_key=event.translation_key,
        occurrence_start=event.start,
        name=name,
        email=email,
        status=status,
        consent_at=timezone.now(),
    )


@pytest.fixture
def alpha_event(listings, event_factory):
    return event_factory(
        listings["alpha"],
        title="Alpha Infoabend",
        start=at(next_year(), 2, 3),
        end=at(next_year(), 2, 3, 20),
        registration_enabled=True,
        capacity=5,
    )


def test_an_office_sees_and_exports_only_its_own_registrations(editor_a, alpha_event, beta_event):
    registration(alpha_event, "Anna Alpha", "anna@example.org")
    registration(alpha_event, "=HYPERLINK(1)", "formel@example.org", RegistrationStatus.WAITING)
    registration(beta_event, "Bernd Beta", "bernd@example.org")
    html = editor_a.get("/admin/events/registrations/").content.decode()
    assert "Anna Alpha" in html and "Bernd Beta" not in html and "Beta intern" not in html
    export = editor_a.get("/admin/events/registrations/export.csv")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Veranstaltung;Termin;Name;E-Mail")
    assert any("Anna Alpha" in line for line in lines)
    assert any("'=HYPERLINK(1)" in line for line in lines)  # no formula injection
    assert "Bernd" not in text
    only_waiting = editor_a.get("/admin/events/registrations/export.csv", {"status": "waiting"})
    assert "Anna Alpha" not in only_waiting.content.decode("utf-8-sig")
    bad = editor_a.get("/admin/events/registrations/", {"status": "kaputt"})
    assert bad.status_code == 400 and "Unbekannter Status." in bad.content.decode()


def test_an_office_cannot_change_or_delete_another_offices_registration(
    editor_a, alpha_event, beta_event
):
    own = registration(alpha_event, "Anna Alpha", "anna@example.org")
    other = registration(beta_event, "Bernd Beta", "bernd@example.org")
    url = f"/admin/events/registrations/{other.pk}/"
    assert editor_a.post(url + "status/", {"status": "cancelled"}).status_code == 404
    assert editor_a.post(url + "delete/").status_code == 404
    other.refresh_from_db()
    assert other.status == RegistrationStatus.CONFIRMED
    response = editor_a.post(
        f"/admin/events/registrations/{own.pk}/status/", {"status": "cancelled"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == RegistrationStatus.CANCELLED
    assert editor_a.post(f"/admin/events/registrations/{own.pk}/delete/").status_code == 302
    assert not Registration.objects.filter(pk=own.pk).exists()


def test_coordinators_do_not_see_the_offices_registrations(
    coordinator_client, alpha_event, beta_event
):
    registration(alpha_event, "Anna Alpha", "anna@example.org")
    html = coordinator_client.get("/admin/events/registrations/").content.decode()
    assert "Anna Alpha" not in html
    csv_text = coordinator_client.get("/admin/events/registrations/export.csv").content
    assert b"Anna" not in csv_text


def test_visitors_and_users_without_permission_get_no_registrations(client, alpha_event, users):
    registration(alpha_event, "Anna Alpha", "anna@example.org")
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    response = client.get("/admin/events/registrations/export.csv")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    from django.contrib.auth.models import Permission

    from tests.conftest import PASSWORD

    bare = users["editor-alpha"].__class__.objects.create_user(
        "nur-admin", "n@example.org", PASSWORD
    )
    bare.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="nur-admin", password=PASSWORD)
    for url in ("/admin/events/registrations/", "/admin/events/registrations/export.csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url  # Wagtail answers "denied" so
        assert b"Anna" not in response.content


def test_the_events_index_is_created_at_provisioning_for_every_office(offices, listings):
    from events.models import EventIndexPage, NetworkCalendarPage

    assert listings["alpha"].live and listings["state"].live
    for key in ("alpha", "beta"):
        english = EventIndexPage.objects.filter(
            translation_key=listings[key].translation_key, locale__language_code="en"
        )
        assert english.exists()
    assert not EventIndexPage.objects.child_of(offices["state"].site.root_page).exists()
    assert not NetworkCalendarPage.objects.child_of(offices["alpha"].site.root_page).exists()


def test_the_occurrence_table_survives_a_nightly_refresh(listings, event_factory):
    from django.core.management import call_command

    event = event_factory(
        listings["alpha"],
        title="Reihe",
        start=localise(datetime.datetime.combine(timezone.localdate(), datetime.time(18)))
        + datetime.timedelta(days=1),
        end=localise(datetime.datetime.combine(timezone.localdate(), datetime.time(20)))
        + datetime.timedelta(days=1),
        frequency="weekly",
        repeat_count=4,
    )
    before = list(Occurrence.objects.filter(event=event).values_list("start", flat=True))
    call_command("refresh_event_occurrences", verbosity=0)
    after = list(Occurrence.objects.filter(event=event).values_list("start", flat=True))
    assert before == after and len(after) == 4


def test_cancelling_a_seat_moves_the_first_person_on_the_waiting_list_up(editor_a, alpha_event):
    from django.core import mail

    alpha_event.capacity = 1
    alpha_event.save_revision().publish()
    seat = registration(alpha_event, "Anna Alpha", "anna@example.org")
    first = registration(alpha_event, "Wanda Warte", "wanda@example.org", "waiting")
    second = registration(alpha_event, "Walter Warte", "walter@example.org", "waiting")
    response = editor_a.post(
        f"/admin/events/registrations/{seat.pk}/status/", {"status": "cancelled"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waiting")
    assert [m.to for m in mail.outbox] == [["wanda@example.org"]]
    assert mail.outbox[0].subject.startswith("Anmeldebestätigung:")


def test_old_registrations_are_purged_after_the_retention_period(alpha_event):
    from django.core.management import call_command

    old = registration(alpha_event, "Alt", "alt@example.org")
    Registration.objects.filter(pk=old.pk).update(
        occurrence_start=timezone.now() - datetime.timedelta(days=40)
    )
    recent = registration(alpha_event, "Neu", "neu@example.org")
    call_command("purge_event_registrations", tage=30, verbosity=0)
    assert list(Registration.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_editor_can_preview_a_new_recurring_event_before_publishing(editor_a, listings, rooms):
    url = add_url(listings["alpha"]) + "preview/"
    form = event_form(room=str(rooms["alpha"].pk))
    form.pop("action-publish")
    response = editor_a.post(url, form)
    assert response.status_code == 200 and response.json()["is_valid"]
    preview = editor_a.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Offenes Treffen Angehörige" in html and "fällt aus" in html
    assert not EventPage.objects.filter(slug="offenes-treffen-angehoerige").exists()
    assert not Occurrence.objects.filter(event__slug="offenes-treffen-angehoerige").exists()


def test_the_network_calendar_can_only_be_created_on_the_state_site(offices):
    from events.models import NetworkCalendarPage

    alpha_home = offices["alpha"].site.root_page
    state_home = offices["state"].site.root_page
    assert not NetworkCalendarPage.can_create_at(alpha_home)
    # The state site has one already (one per parent).
    assert not NetworkCalendarPage.can_create_at(state_home)
    NetworkCalendarPage.objects.child_of(state_home).delete()
    assert NetworkCalendarPage.can_create_at(state_home.specific)


@pytest.mark.parametrize("value", ["²", "١٢", "1²", "-1", "1.0", " 1", "9" * 40, "<b>1</b>"])
@pytest.mark.parametrize("path", ["", "export.csv"])
def test_a_non_ascii_or_malformed_event_filter_is_reported_not_a_server_error(
    editor_a, alpha_event, path, value
):
    registration(alpha_event, "Anna Alpha", "anna@example.org")
    response = editor_a.get(f"/admin/events/registrations/{path}", {"veranstaltung": value})
    assert response.status_code == 400
    assert "Unbekannte Veranstaltung." in response.content.decode()


def test_the_event_filter_still_takes_ascii_digits(editor_a, alpha_event):
    registration(alpha_event, "Anna Alpha", "anna@example.org")
    response = editor_a.get("/admin/events/registrations/", {"veranstaltung": str(alpha_event.pk)})
    assert response.status_code == 200 and "Anna Alpha" in response.content.decode()
