"""Benchmark of the office page types: SQL queries per page and render time.

Run: ``.venv/bin/python benchmarks/home_pages.py`` (uses a throw-away SQLite database in a
temporary directory, or ``DATABASE_URL`` if set to an empty database you can spare).

It loads the demo network (13 sites), renders each page type of one office uncached and
prints the number of SQL queries and the median and p95 render time; then it adds more
offices and repeats, to show that the query count does not grow with the number of
offices. Target: constant query counts, median <= 30 ms.

Requests go through Django's test client, but without the test runner's template
instrumentation (which copies every template context for assertions and is never active
in production). Times are wall clock; "CPU ms" is this process's CPU time, which is less
distorted when other programs load the machine. The site chrome (header, menu, footer,
office profile; see ``sites.chrome``) is cached as in production; "cold ms" is the median
with that cache invalidated before every request (the first visit after a publish).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-home-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MEDIA_ROOT"] = TMP

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sites import chrome  # noqa: E402

PAGES = {
    "home": "/",
    "standard (Barrierefreiheit)": "/barrierefreiheit/",
    "contact form": "/kontakt/",
    "Gruppe gründen form": "/gruppe-gruenden/",
    "home, English": "/en/",
}
HOST = "pankow.localhost"
RUNS = 30


def measure(client):
    results = {}
    for name, path in PAGES.items():
        client.get(path)  # warm up template loading
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        # Count now: the connection's query log is a bounded deque that the timing runs
        # below would rotate, which empties the captured slice.
        count = len(queries)
        timings, cpu, cold = [], [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        for _ in range(RUNS // 2):
            chrome.invalidate()
            start = time.perf_counter()
            client.get(path)
            cold.append((time.perf_counter() - start) * 1000)
        timings.sort()
        results[name] = (
            count,
            statistics.median(timings),
            timings[int(len(timings) * 0.95) - 1],
            statistics.median(cpu),
            statistics.median(cold),
        )
    return results


def report(title, results):
    print(f"\n{title}")
    print(
        f"  {'page':30} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'cold ms':>8}"
    )
    for name, (count, median, p95, cpu, cold) in results.items():
        print(f"  {name:30} {count:7d} {median:10.1f} {p95:8.1f} {cpu:7.1f} {cold:8.1f}")


def main():
    from django.core.cache import cache

    from sites.models import Office
    from sites.provisioning import OfficeSpec, provision_office

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    client = Client(HTTP_HOST=HOST)
    small = measure(client)
    offices_before = Office.objects.count()
    for n in range(12):
        provision_office(
            OfficeSpec(hostname=f"extra-{n}.localhost", name=f"Kontaktstelle Extra {n}")
        )
    cache.clear()
    large = measure(client)
    report(f"{offices_before} sites (demo network)", small)
    report(f"{Office.objects.count()} sites", large)
    grown = [name for name in PAGES if large[name][0] != small[name][0]]
    print("\nquery counts constant:", "yes" if not grown else f"NO ({', '.join(grown)})")


if __name__ == "__main__":
    main()
