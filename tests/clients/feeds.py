"""The iCalendar feeds of a network, what the site itself lists for them, and the verdict
of the calendar clients in ``clients.py``.

Used by ``tests/clients/test_feeds_in_calendar_clients.py`` (the test network) and
``benchmarks/clients_check.py`` (the demo network). Needs Django set up.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.clients import clients


@dataclass
class FeedFile:
    """One downloaded feed and the occurrences the site's own listing shows for it."""

    path: Path
    url: str
    expected: list = field(default_factory=list)


@dataclass
class Verdict:
    tool: str
    version: str
    files: int = 0
    compared: int = 0
    mismatches: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def window(today=None, days=365):
    """``[local midnight today, the same + days)`` in Europe/Berlin, as aware datetimes."""
    from django.utils import timezone

    from events.recurrence import BERLIN, localise

    today = today or timezone.localdate(timezone=BERLIN)
    lo = datetime.datetime.combine(today, datetime.time())
    return localise(lo), localise(lo + datetime.timedelta(days=days))


def client_value(moment, all_day):
    """An instant as the client scripts print it: UTC for times, the local day for all-day
    dates (``end`` of an all-day date is midnight after its last day, as DTEND is)."""
    from django.utils import timezone

    from events.recurrence import BERLIN

    if all_day:
        return timezone.localtime(moment, BERLIN).date().isoformat()
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def listed(occurrences, lo, hi):
    """``[uid, start, end]`` of the dates a listing shows in the window (not cancelled)."""
    from events.ics import uid_for

    rows = (
        occurrences.filter(cancelled=False, start__gte=lo, start__lt=hi)
        .select_related("event", "office__site")
        .order_by("start", "pk")
    )
    return [
        [
            uid_for(row.event, row.office.site.hostname),
            client_value(row.start, row.all_day),
            client_value(row.end, row.all_day),
        ]
        for row in rows
    ]


def _download(http, page, suffix, dest, name):
    _site_id, root_url, path = page.get_url_parts()
    parts = urlsplit(root_url)
    url = f"{root_url}{path}{suffix}"
    response = http.get(f"{path}{suffix}", HTTP_HOST=parts.netloc, secure=parts.scheme == "https")
    if response.status_code != 200 or not response["Content-Type"].startswith("text/calendar"):
        raise AssertionError(f"{url}: {response.status_code} {response['Content-Type']}")
    target = dest / f"{name}.ics"
    target.write_bytes(response.content)
    return target, url


def collect(dest, lo, hi):
    """Download every listing's feed, every site's ``/events.ics`` and every event's own
    file into ``dest``, each with the dates the site lists for it in ``[lo, hi)``."""
    from django.test import Client
    from wagtail.models import Site

    from events.models import EventIndexPage, EventPage, NetworkCalendarPage, Occurrence

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    http = Client()
    files = []
    for model in (EventIndexPage, NetworkCalendarPage):
        for listing in model.objects.live().order_by("path"):
            listing = listing.specific
            path, url = _download(http, listing, "ical/", dest, f"feed-{listing.pk}")
            files.append(FeedFile(path, url, listed(listing.occurrence_scope(), lo, hi)))
    for site in Site.objects.order_by("pk"):
        listing = None
        for model in (EventIndexPage, NetworkCalendarPage):
            listing = listing or model.objects.live().child_of(site.root_page).first()
        if listing is None:
            continue
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        url = f"{site.root_url}/events.ics"
        response = http.get("/events.ics", HTTP_HOST=host, secure=site.port == 443)
        if response.status_code != 200:
            raise AssertionError(f"{url}: {response.status_code}")
        path = dest / f"site-{site.pk}.ics"
        path.write_bytes(response.content)
        files.append(FeedFile(path, url, listed(listing.specific.occurrence_scope(), lo, hi)))
    live = EventPage.objects.live().filter(occurrences__isnull=False).distinct().order_by("pk")
    for event in live:
        path, url = _download(http, event, "ical/", dest, f"event-{event.pk}")
        files.append(FeedFile(path, url, listed(Occurrence.objects.filter(event=event), lo, hi)))
    return files


def judge(files, lo, hi, tools=clients.TOOLS):
    """Every client's verdict on ``files``: occurrences compared, mismatches, errors."""
    verdicts = []
    for tool in tools:
        result = clients.read(tool, [f.path for f in files], lo, hi)
        verdict = Verdict(tool, result["version"])
        for file, read in zip(files, result["files"], strict=True):
            verdict.files += 1
            verdict.compared += len(file.expected)
            missing, extra = clients.compare(file.expected, read["occurrences"])
            verdict.mismatches += [(file.url, "listed, not read", *o) for o in missing]
            verdict.mismatches += [(file.url, "read, not listed", *o) for o in extra]
            verdict.errors += [(file.url, error) for error in read["errors"]]
        verdicts.append(verdict)
    return verdicts


def _next_weekday(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year, month, weekday, n):
    """The ``n``-th (``-1``: last) ``weekday`` of a month."""
    if n > 0:
        return _next_weekday(datetime.date(year, month, 1), weekday) + datetime.timedelta(
            weeks=n - 1
        )
    after = datetime.date(year + month // 12, month % 12 + 1, 1)
    return _next_weekday(after - datetime.timedelta(days=7), weekday)


def _first_after(day, month_day):
    """The first ``(month, n, weekday)`` date after ``day``, e.g. the next last Sunday of
    March."""
    month, n, weekday = month_day
    for year in (day.year, day.year + 1):
        found = _nth_weekday(year, month, weekday, n)
        if found > day:
            return found
    raise AssertionError("unreachable")


def add_feature_events(listing, today=None):
    """Events with every recurrence feature the editors have, across both daylight-saving
    changes of the next 12 months, published below ``listing``."""
    from django.utils import timezone

    from events.models import CancelledDate, EventPage, ExtraDate, Frequency, LocationKind
    from events.recurrence import BERLIN, localise

    today = today or timezone.localdate(timezone=BERLIN)
    spring = _first_after(today, (3, -1, 6))  # last Sunday of March
    autumn = _first_after(today, (10, -1, 6))  # last Sunday of October
    tuesday = _next_weekday(today + datetime.timedelta(days=7), 1)
    second_tuesday = _first_after(today, (today.month % 12 + 1, 2, 1))
    last_friday = _first_after(today, (today.month % 12 + 1, -1, 4))
    thursday = _next_weekday(today + datetime.timedelta(days=3), 3)
    monday = _next_weekday(today + datetime.timedelta(days=10), 0)
    june_saturday = _first_after(today, (6, 1, 5))

    def at(day, hour, minute=0):
        return localise(datetime.datetime.combine(day, datetime.time(hour, minute)))

    specs = [
        # weekly, open-ended, across both changes; two cancelled dates, two extra dates
        # (one at another time of day, in summer time)
        {
            "title": "Offenes Treffen Angst und Panik",
            "start": at(tuesday, 18),
            "end": at(tuesday, 19, 30),
            "frequency": Frequency.WEEKLY,
            "cancelled": [
                _next_weekday(spring, 1) + datetime.timedelta(weeks=1),
                _next_weekday(autumn, 1),
            ],
            "extra": [
                (_next_weekday(spring, 3), datetime.time(10)),
                (_next_weekday(autumn - datetime.timedelta(days=14), 3), None),
            ],
        },
        # monthly on the 2nd Tuesday, 12 dates (COUNT)
        {
            "title": "Angehörige psychisch erkrankter Menschen",
            "start": at(second_tuesday, 19),
            "end": at(second_tuesday, 21),
            "frequency": Frequency.MONTHLY_WEEKDAY,
            "ordinal": 2,
            "repeat_count": 12,
        },
        # every second week until a date (UNTIL)
        {
            "title": "Gesprächskreis Trauer",
            "start": at(thursday, 17, 30),
            "end": at(thursday, 19),
            "frequency": Frequency.WEEKLY,
            "interval": 2,
            "repeat_until": today + datetime.timedelta(days=330),
        },
        # monthly on the last Friday, until a date
        {
            "title": "Nachtcafé für junge Erwachsene",
            "start": at(last_friday, 20),
            "end": at(last_friday, 22, 30),
            "frequency": Frequency.MONTHLY_WEEKDAY,
            "ordinal": -1,
            "repeat_until": today + datetime.timedelta(days=300),
        },
        # all-day, two days
        {
            "title": "Selbsthilfetag",
            "start": at(june_saturday, 0),
            "end": at(june_saturday + datetime.timedelta(days=1), 23, 59),
            "all_day": True,
        },
        # all-day, weekly, 20 dates, one cancelled
        {
            "title": "Aktionswoche Sucht",
            "start": at(monday, 0),
            "end": at(monday, 23, 59),
            "all_day": True,
            "frequency": Frequency.WEEKLY,
            "repeat_count": 20,
            "cancelled": [monday + datetime.timedelta(weeks=3)],
        },
        # single dates on the days of the changes
        {"title": "Frühlingsfest", "start": at(spring, 10), "end": at(spring, 14)},
        {"title": "Herbstwanderung", "start": at(autumn, 15), "end": at(autumn, 18)},
    ]
    events = []
    for spec in specs:
        cancelled = spec.pop("cancelled", [])
        extra = spec.pop("extra", [])
        event = EventPage(
            location_kind=LocationKind.ADDRESS, address="Rathaus\nMarktplatz 1", **spec
        )
        event.cancelled_dates = [CancelledDate(date=d) for d in cancelled]
        event.extra_dates = [ExtraDate(date=d, time=t) for d, t in extra]
        listing.add_child(instance=event)
        event.save_revision().publish()
        events.append(event)
    return events
