"""Events benchmark: SQL queries and uncached render times at two sizes.

Run from the repository root:

    .venv/bin/python benchmarks/events_bench.py            # temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/events_bench \
        .venv/bin/python benchmarks/events_bench.py

It migrates a fresh database, loads the demo network (13 sites), adds generated events until
there are 200 and then 2,000 (a third of them recurring, weekly or monthly), and prints for
the office home page (with the "next events" teaser query), the events index, the month
calendar, the coordination calendar and the ICS feed: the number of SQL queries at both
sizes (which must not grow) and the median and 95th percentile of uncached renders through
the Django test client (wall clock, and the median CPU time of this process, which is
less distorted when other programs load the machine). Nothing is cached between requests
except Wagtail's own site-root-path cache, the site chrome (header, menu, footer and
office profile, see ``sites.chrome``) and what is kept under its version until an editor
saves something: the home page's next events, the feeds, and the upcoming list's count
and page of dates (also only until the first listed date ends), so a warm list makes no
query. The last column, "cold ms", is the median with the chrome cache invalidated before
every request: what the first visitor after a publish waits.

A month calendar makes one query for a month without dates and two for a month with
some (the second loads the dates it shows). So that its counts compare like with like,
each calendar is measured on the same month at both sizes, one that holds dates (the
script stops if it does not) and one beyond the horizon that holds none.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = None
if not os.environ.get("DATABASE_URL"):
    _fd, _tmp = tempfile.mkstemp(suffix=".sqlite3")
    os.close(_fd)
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}"

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import random  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from sites import chrome  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
SIZES = (200, 2000)


def generate(total):
    """Add generated events until the network has ``total`` of them."""
    from events.models import (
        EventCategory,
        EventIndexPage,
        EventPage,
        Frequency,
        LocationKind,
        NetworkCalendarPage,
    )
    from events.recurrence import localise
    from sites.tenancy import office_for_page

    listings = [
        (page, office_for_page(page))
        for model in (EventIndexPage, NetworkCalendarPage)
        for page in model.objects.filter(locale__language_code="de")
    ]
    existing = EventPage.objects.filter(locale__language_code="de").count()
    rng = random.Random(existing)
    categories = list(EventCategory.values)
    today = timezone.localdate()
    for n in range(existing, total):
        listing, office = listings[n % len(listings)]
        day = today + datetime.timedelta(days=rng.randrange(1, 365))
        start = localise(datetime.datetime.combine(day, datetime.time(rng.choice([10, 14, 18]))))
        fields = {}
        if n % 3 == 0:
            if n % 2:
                fields = {"frequency": Frequency.WEEKLY, "interval": rng.choice([1, 2])}
            else:
                ordinal = rng.choice([1, 2, 3, 4])
                first = day.replace(day=1)
                first += datetime.timedelta(days=(day.weekday() - first.weekday()) % 7)
                day = first + datetime.timedelta(weeks=ordinal - 1)
                start = localise(datetime.datetime.combine(day, start.time()))
                fields = {"frequency": Frequency.MONTHLY_WEEKDAY, "ordinal": ordinal}
            if rng.random() < 0.5:
                fields["repeat_count"] = rng.randrange(4, 30)
        event = EventPage(
            title=f"Veranstaltung {n}",
            slug=f"veranstaltung-{n}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            category=rng.choice(categories),
            location_kind=LocationKind.ADDRESS,
            address="Marktplatz 1\n10115 Berlin",
            registration_enabled=n % 5 == 0,
            capacity=20,
            locale_id=listing.locale_id,
            **fields,
        )
        listing.add_child(instance=event)
        from events.occurrences import refresh_occurrences

        refresh_occurrences(event, office=office)


class QueryCounter(list):
    """A database execute wrapper that records every SQL statement run through it."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


#: What the month calendar prints for a month without dates.
EMPTY_MONTH = "calendar-empty"


def measure(client, host, path, with_dates=None):
    """Queries and times of ``path``; ``with_dates`` (for a month calendar): whether the
    month must hold dates (else the query counts would not compare like with like)."""
    client.defaults["HTTP_HOST"] = host
    response = client.get(path)  # warm-up (imports, template loading)
    assert response.status_code == 200, (host, path, response.status_code)
    if with_dates is not None and (EMPTY_MONTH not in response.content.decode()) != with_dates:
        raise SystemExit(f"{host}{path}: the month should {'' if with_dates else 'not '}hold dates")
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(path)
    times, cpu = [], []
    for _i in range(REPEAT):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        response.content  # noqa: B018 - make sure the body is rendered
        times.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    cold = []
    for _i in range(REPEAT // 2):
        chrome.invalidate()
        begin = time.perf_counter()
        client.get(path).content  # noqa: B018
        cold.append((time.perf_counter() - begin) * 1000)
    return (
        len(queries),
        statistics.median(times),
        percentile(times, 95),
        statistics.median(cpu),
        statistics.median(cold),
    )


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def first_event_path(office):
    """The path of the office's first German event page (the demo's titles change)."""
    from events.models import EventPage

    event = (
        EventPage.objects.live()
        .descendant_of(office.site.root_page)
        .filter(locale__language_code="de")
        .order_by("pk")
        .first()
    )
    return event.get_url_parts()[2]


def main():
    from events.models import EventIndexPage, EventPage, Occurrence
    from events.queries import upcoming_for_site
    from sites.models import Office

    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, port=80)
    state = Office.objects.get(kind="state")
    office = Office.objects.filter(site__hostname="pankow.localhost").get()
    month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).strftime("%Y-%m")
    # Stored dates reach HORIZON (about 18 months) ahead: three years on there are none.
    empty_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=3 * 366)).strftime(
        "%Y-%m"
    )
    targets = [
        ("Startseite Kontaktstelle", office.site.hostname, "/"),
        ("Veranstaltungen (Kontaktstelle)", office.site.hostname, "/veranstaltungen/"),
        (
            "Veranstaltungen, gefiltert",
            office.site.hostname,
            f"/veranstaltungen/?monat={month}&kategorie=infoabend",
        ),
        # The month calendar makes one query for a month without dates and two for a
        # month with some (the second loads the dates shown); so that the counts compare
        # like with like, each calendar is measured on the same month with dates at both
        # sizes (checked below), and on a month beyond the horizon without any.
        (
            "Monatskalender (Kontaktstelle)",
            office.site.hostname,
            f"/veranstaltungen/kalender/?monat={month}",
            True,
        ),
        (
            "Monatskalender, leerer Monat",
            office.site.hostname,
            f"/veranstaltungen/kalender/?monat={empty_month}",
            False,
        ),
        ("Netzwerkkalender (Land)", state.site.hostname, "/veranstaltungen/"),
        (
            "Netzwerkkalender, Monat",
            state.site.hostname,
            f"/veranstaltungen/kalender/?monat={month}",
            True,
        ),
        (
            "Netzwerkkalender, 1 Stelle",
            state.site.hostname,
            f"/veranstaltungen/?kontaktstelle={office.pk}",
        ),
        ("Veranstaltungsseite", office.site.hostname, first_event_path(office)),
        ("ICS-Feed (Kontaktstelle)", office.site.hostname, "/events.ics"),
    ]
    results = {}
    client = Client()
    for size in SIZES:
        begin = time.perf_counter()
        generate(size)
        took = time.perf_counter() - begin
        events = EventPage.objects.filter(locale__language_code="de").count()
        occurrences = Occurrence.objects.count()
        print(f"\n{events} events ({occurrences} stored occurrences), generated in {took:.0f} s")
        # As the home page asks: with its events page's URL known from the site chrome,
        # after one call has filled the caches the generating above emptied.
        listing = EventIndexPage.objects.child_of(office.site.root_page).get()
        known = {listing.path: listing.get_url()}
        with translation.override("de"):
            upcoming_for_site(office.site, 3, known=known)
        teaser = QueryCounter()
        with translation.override("de"), connection.execute_wrapper(teaser):
            upcoming_for_site(office.site, 3, known=known)
        print(f"  upcoming_for_site(site, 3) (home page teaser): {len(teaser)} query")
        print(
            f"  {'page':34} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}"
            f" {'cold ms':>8}"
        )
        for label, host, path, *with_dates in targets:
            count, median, p95, cpu, cold = measure(client, host, path, *with_dates)
            results.setdefault(label, []).append(count)
            print(f"  {label:34} {count:7d} {median:10.1f} {p95:8.1f} {cpu:7.1f} {cold:8.1f}")
    grown = {label: counts for label, counts in results.items() if counts[0] != counts[-1]}
    print("\nQuery counts constant across sizes:", "yes" if not grown else f"NO: {grown}")
    if _tmp is not None:
        os.unlink(_tmp)
    return 1 if grown else 0


if __name__ == "__main__":
    sys.exit(main())
