"""Demo events for the demo network: a few per office, some recurring, one with sign-up.

Used by ``manage.py load_demo``. Dates are relative to the day the demo is loaded, so the
calendar is never empty; an office whose events index already has events is left alone
(the loader may run any number of times).
"""

import datetime

from django.utils import timezone

from .models import EventCategory, EventIndexPage, EventPage, Frequency, LocationKind
from .recurrence import localise
from .setup import create_event_index


def _next_weekday(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year, month, weekday, n):
    first = datetime.date(year, month, 1)
    return _next_weekday(first, weekday) + datetime.timedelta(weeks=n - 1)


def _at(day, hour, minute=0):
    return localise(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _following_nth_weekday(today, weekday, n):
    year, month = today.year, today.month
    for _i in range(3):
        candidate = _nth_weekday(year, month, weekday, n)
        if candidate >= today:
            return candidate
        month = month % 12 + 1
        year += month == 1
    return candidate


def demo_events(office, index, today):
    """The demo events of ``office`` (unsaved pages), varied a little by office."""
    rooms = list(office.rooms.all())
    big = max(rooms, key=lambda r: r.capacity) if rooms else None
    small = min(rooms, key=lambda r: r.capacity) if rooms else None
    where = (
        {"location_kind": LocationKind.ROOM}
        if rooms
        else {
            "location_kind": LocationKind.ADDRESS,
            "address": "\n".join(office.address_lines) or office.name,
        }
    )
    second_tuesday = _following_nth_weekday(today, 1, 2)
    info_day = _next_weekday(today + datetime.timedelta(days=10 + index % 5), 2)
    events = [
        EventPage(
            title="Offenes Treffen für Interessierte",
            slug="offenes-treffen",
            category=EventCategory.OFFENES_TREFFEN,
            start=_at(second_tuesday, 18),
            end=_at(second_tuesday, 19, 30),
            frequency=Frequency.MONTHLY_WEEKDAY,
            ordinal=2,
            audience="Alle, die eine Selbsthilfegruppe suchen oder gründen möchten",
            accessibility="Der Raum ist stufenlos erreichbar.",
            description=(
                "<p>Jeden 2. Dienstag im Monat: Sie lernen die Kontaktstelle kennen, stellen "
                "Ihre Fragen und erfahren, wie Selbsthilfegruppen arbeiten. Ohne Anmeldung.</p>"
            ),
            room=small,
            **where,
        ),
        EventPage(
            title="Infoabend Selbsthilfe",
            slug="infoabend-selbsthilfe",
            category=EventCategory.INFOABEND,
            start=_at(info_day, 18),
            end=_at(info_day, 20),
            audience="Betroffene und Angehörige",
            description=(
                "<p>Was ist Selbsthilfe, wie finde ich eine passende Gruppe, und was "
                "erwartet mich beim ersten Treffen? Mitarbeitende der Kontaktstelle und "
                "Gruppenmitglieder berichten.</p>"
            ),
            registration_enabled=True,
            capacity=big.capacity if big else 20,
            registration_deadline_hours=24,
            room=big,
            **where,
        ),
        EventPage(
            title="Gesprächskreis pflegende Angehörige",
            slug="gespraechskreis-pflegende-angehoerige",
            category=EventCategory.OFFENES_TREFFEN,
            start=_at(_next_weekday(today, 3), 17),
            end=_at(_next_weekday(today, 3), 18, 30),
            frequency=Frequency.WEEKLY,
            interval=2,
            repeat_count=12,
            audience="Angehörige von pflegebedürftigen Menschen",
            description="<p>Alle zwei Wochen am Donnerstag, angeleitet von einer Fachkraft.</p>",
            registration_enabled=True,
            capacity=10,
            registration_deadline_hours=2,
            room=small,
            **where,
        ),
    ]
    if index % 3 == 0:
        day = _next_weekday(today + datetime.timedelta(days=30), 5)
        events.append(
            EventPage(
                title="Selbsthilfetag im Bezirk",
                slug="selbsthilfetag",
                category=EventCategory.SELBSTHILFETAG,
                start=_at(day, 0),
                end=_at(day, 23, 59),
                all_day=True,
                location_kind=LocationKind.ADDRESS,
                address="Rathaus, Bürgersaal\nMarktplatz 1",
                audience="Alle Interessierten",
                accessibility="Stufenloser Zugang, Induktionsschleife im Saal.",
                description=(
                    "<p>Selbsthilfegruppen stellen sich vor: Infostände, Gespräche und "
                    "kurze Vorträge. Eintritt frei.</p>"
                ),
            )
        )
    if index % 2 == 0:
        day = _next_weekday(today + datetime.timedelta(days=20), 0)
        events.append(
            EventPage(
                title="Online-Vortrag: Gruppen digital leiten",
                slug="online-vortrag-gruppen-digital",
                category=EventCategory.VORTRAG,
                start=_at(day, 19),
                end=_at(day, 20, 30),
                location_kind=LocationKind.ONLINE,
                online_url="https://meet.example.org/selbsthilfe-digital",
                audience="Gruppenleitungen und Aktive",
                cost="",
                description="<p>Tipps für Treffen per Video und Telefon.</p>",
            )
        )
    return events


def load_demo_events(office, index=0, today=None):
    """Create the demo events of ``office`` once. Returns the number created."""
    listing = create_event_index(office)
    if listing.get_children().exists():
        return 0
    today = today or timezone.localdate()
    created = 0
    for event in demo_events(office, index, today):
        event.locale_id = listing.locale_id
        event.full_clean(
            exclude=[
                "path",
                "depth",
                "url_path",
                "content_type",
                "translation_key",
                "draft_title",
                "locale",
                "live_revision",
                "latest_revision",
            ]
        )
        listing.add_child(instance=event)
        event.save_revision().publish()
        created += 1
    return created


__all__ = ["EventIndexPage", "load_demo_events"]
