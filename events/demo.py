"""Demo events for the demo network: a programme of its own per office, some recurring,
some with sign-up.

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


#: Each office has its own open meeting, information evening and regular circle; the
#: index of the office picks them, so that no two offices show the same programme.
OPEN_MEETINGS = [
    (
        "Offenes Treffen für Interessierte",
        "Sie lernen die Kontaktstelle kennen, stellen Ihre Fragen und erfahren, wie "
        "Selbsthilfegruppen arbeiten. Ohne Anmeldung.",
    ),
    (
        "Selbsthilfe-Café",
        "Bei Kaffee und Kuchen kommen Gruppenmitglieder und Neugierige ins Gespräch. Kommen Sie "
        "einfach vorbei.",
    ),
    (
        "Sprechstunde für Gruppengründungen",
        "Sie möchten eine Gruppe gründen? Wir besprechen Thema, Raum und die ersten Treffen mit "
        "Ihnen.",
    ),
    (
        "Kennenlernabend Selbsthilfe",
        "Ein Abend für alle, die zum ersten Mal von Selbsthilfe hören: Gruppen stellen sich kurz "
        "vor.",
    ),
]
INFO_EVENINGS = [
    (
        "Infoabend: Selbsthilfe bei Depression",
        "Betroffene und Angehörige",
        "Wie helfen Gruppen bei Depression, und was unterscheidet sie von Therapie? Eine "
        "Gruppenleiterin berichtet.",
    ),
    (
        "Infoabend: Leben mit Long Covid",
        "Betroffene und Angehörige",
        "Eine Ärztin und Mitglieder der Long-Covid-Gruppe berichten, was im Alltag hilft.",
    ),
    (
        "Infoabend: Wenn ein Angehöriger trinkt",
        "Angehörige",
        "Was Co-Abhängigkeit bedeutet und wie Angehörigengruppen entlasten.",
    ),
    (
        "Infoabend: Demenz in der Familie",
        "Pflegende Angehörige",
        "Eine Pflegeberaterin und eine Angehörigengruppe berichten über Hilfen im Bezirk.",
    ),
    (
        "Infoabend: Trauer braucht Zeit",
        "Trauernde",
        "Eine Trauerbegleiterin spricht über Wege durch die Trauer; danach stellt sich das "
        "Trauercafé vor.",
    ),
    (
        "Infoabend: Selbsthilfe für Eltern",
        "Eltern",
        "Eltern von Kindern mit Behinderung, ADHS oder chronischer Krankheit berichten von ihren "
        "Gruppen.",
    ),
    (
        "Infoabend: Angst und Panik verstehen",
        "Betroffene",
        "Was bei einer Panikattacke geschieht und wie Gruppen Mut machen.",
    ),
    (
        "Infoabend: Selbsthilfe nach Krebs",
        "Betroffene und Angehörige",
        "Mitglieder zweier Krebs-Selbsthilfegruppen erzählen von Behandlung, Rückkehr in den "
        "Alltag und Gemeinschaft.",
    ),
    (
        "Infoabend: Glücksspiel – wenn es nicht mehr Spiel ist",
        "Betroffene und Angehörige",
        "Eine Suchtberaterin und ein Gruppenmitglied sprechen über Spielsucht.",
    ),
    (
        "Infoabend: Arbeitslos – und jetzt?",
        "Menschen ohne Arbeit",
        "Wie Gruppen helfen, Tagesstruktur und Selbstvertrauen zu behalten.",
    ),
    (
        "Infoabend: Ankommen in Berlin",
        "Neu Zugewanderte",
        "Selbsthilfe in mehreren Sprachen: Gruppen für Menschen, die neu in der Stadt sind.",
    ),
    (
        "Infoabend: Rheuma im Alltag",
        "Betroffene",
        "Bewegung, Schmerz und Beruf: Die Rheuma-Liga-Gruppe des Bezirks berichtet.",
    ),
]
CIRCLES = [
    (
        "Gesprächskreis pflegende Angehörige",
        "Angehörige von pflegebedürftigen Menschen",
        "Angeleitet von einer Fachkraft: Zeit zum Reden, Tipps zu Entlastung und Pflegegeld.",
    ),
    (
        "Achtsamkeitsgruppe bei Angst",
        "Menschen mit Ängsten",
        "Übungen zur Ruhe und Gespräche in kleiner Runde.",
    ),
    ("Trauerspaziergang", "Trauernde", "Gemeinsam gehen und reden; Treffpunkt vor dem Haus."),
    (
        "Elterntreff ADHS",
        "Eltern von Kindern mit ADHS",
        "Erfahrungsaustausch unter Eltern; Kinderbetreuung auf Anfrage.",
    ),
    (
        "Schreibwerkstatt nach Krebs",
        "Menschen nach einer Krebserkrankung",
        "Schreiben, was bewegt – ohne Vorkenntnisse.",
    ),
    (
        "Treffpunkt Alleinerziehende",
        "Alleinerziehende Mütter und Väter",
        "Austausch und gegenseitige Hilfe im Alltag; Kinder sind willkommen.",
    ),
    (
        "Männergruppe in Lebenskrisen",
        "Männer",
        "Ein geschützter Raum für Männer nach Trennung, Jobverlust oder Krankheit.",
    ),
    (
        "Sprachcafé für Neuangekommene",
        "Neu Zugewanderte",
        "Deutsch üben und Selbsthilfe kennenlernen, mit Dolmetscherinnen für Arabisch und "
        "Türkisch.",
    ),
    (
        "Angehörige psychisch kranker Menschen",
        "Angehörige",
        "Austausch für Eltern, Partner und Geschwister; begleitet von der Kontaktstelle.",
    ),
    (
        "Bewegungsgruppe Rheuma",
        "Menschen mit Rheuma",
        "Sanfte Bewegung im Sitzen und Stehen, danach Gespräch.",
    ),
    (
        "Gesprächsrunde Long Covid",
        "Menschen mit Long Covid und ME/CFS",
        "Kurze Treffen mit Pausen, auch liegend möglich.",
    ),
    (
        "Frühstück für Menschen mit Depression",
        "Menschen mit Depression",
        "Ein ruhiger Start in den Tag in kleiner Runde.",
    ),
]
TALKS = [
    ("Online-Vortrag: Gruppen digital leiten", "Tipps für Treffen per Video und Telefon."),
    (
        "Online-Vortrag: Neue Mitglieder gewinnen",
        "Wie Gruppen sichtbar werden: Flyer, Website, Presse.",
    ),
    (
        "Online-Vortrag: Konflikte in der Gruppe",
        "Was tun, wenn es knirscht? Eine Supervisorin gibt Anregungen.",
    ),
]


def demo_events(office, index, today):
    """The demo events of ``office`` (unsaved pages): an open meeting, an information
    evening and a regular circle of its own, and a district day or an online talk."""
    from sites.slugs import german_slugify

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
    district = (office.region or "").removeprefix("Bezirk ").strip() or office.display_short_name
    meeting_title, meeting_text = OPEN_MEETINGS[index % len(OPEN_MEETINGS)]
    nth, meeting_weekday = 1 + index % 4, index % 5
    meeting_day = _following_nth_weekday(today, meeting_weekday, nth)
    meeting_hour = 16 + index % 3
    info_title, info_audience, info_text = INFO_EVENINGS[index % len(INFO_EVENINGS)]
    info_day = _next_weekday(today + datetime.timedelta(days=8 + index % 9), 1 + index % 3)
    circle_title, circle_audience, circle_text = CIRCLES[(index * 5) % len(CIRCLES)]
    circle_weekday = (index + 2) % 5
    circle_start = _next_weekday(today, circle_weekday)
    circle_hour = 10 if index % 4 == 1 else 17 + index % 2
    weekday_name = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
    events = [
        EventPage(
            title=meeting_title,
            category=EventCategory.OFFENES_TREFFEN,
            start=_at(meeting_day, meeting_hour),
            end=_at(meeting_day, meeting_hour + 1, 30),
            frequency=Frequency.MONTHLY_WEEKDAY,
            ordinal=nth,
            audience="Alle, die eine Selbsthilfegruppe suchen oder gründen möchten",
            accessibility="Der Raum ist stufenlos erreichbar."
            if small is None or small.step_free
            else "Der Raum liegt im 1. Stock; bitte sprechen Sie uns an.",
            description=(
                f"<p>Jeden {nth}. {weekday_name[meeting_weekday]} im Monat: {meeting_text}</p>"
            ),
            room=small,
            **where,
        ),
        EventPage(
            title=info_title,
            category=EventCategory.INFOABEND,
            start=_at(info_day, 18),
            end=_at(info_day, 20),
            audience=info_audience,
            description=f"<p>{info_text}</p>",
            registration_enabled=True,
            capacity=big.capacity if big else 20,
            registration_deadline_hours=24,
            room=big,
            **where,
        ),
        EventPage(
            title=circle_title,
            category=EventCategory.OFFENES_TREFFEN,
            start=_at(circle_start, circle_hour),
            end=_at(circle_start, circle_hour + 1, 30),
            frequency=Frequency.WEEKLY,
            interval=1 + index % 2,
            repeat_count=12,
            audience=circle_audience,
            description=f"<p>{circle_text}</p>",
            registration_enabled=index % 2 == 0,
            capacity=10 if index % 2 == 0 else None,
            registration_deadline_hours=2,
            room=small,
            **where,
        ),
    ]
    if index % 3 == 0:
        day = _next_weekday(today + datetime.timedelta(days=25 + index), 5)
        events.append(
            EventPage(
                title=f"Selbsthilfetag {district}",
                category=EventCategory.SELBSTHILFETAG,
                start=_at(day, 0),
                end=_at(day, 23, 59),
                all_day=True,
                location_kind=LocationKind.ADDRESS,
                address=f"Rathaus {district}, Bürgersaal\n{office.postcode} {office.city}".strip(),
                audience="Alle Interessierten",
                accessibility="Stufenloser Zugang, Induktionsschleife im Saal.",
                description=(
                    "<p>Selbsthilfegruppen aus dem Bezirk stellen sich vor: Infostände, "
                    "Gespräche und kurze Vorträge. Eintritt frei.</p>"
                ),
            )
        )
    elif index % 3 == 1:
        talk_title, talk_text = TALKS[(index // 3) % len(TALKS)]
        day = _next_weekday(today + datetime.timedelta(days=15 + index), index % 4)
        events.append(
            EventPage(
                title=talk_title,
                category=EventCategory.VORTRAG,
                start=_at(day, 19),
                end=_at(day, 20, 30),
                location_kind=LocationKind.ONLINE,
                online_url=f"https://meet.example.org/{office.site.hostname.split('.')[0]}",
                audience="Gruppenleitungen und Aktive",
                cost="",
                description=f"<p>{talk_text}</p>",
            )
        )
    for event in events:
        event.slug = german_slugify(event.title, max_length=80)
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
