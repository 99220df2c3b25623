"""Benchmark: do the five new content languages slow a page? Arabic against German.

Run: ``.venv/bin/python benchmarks/languages.py`` (a throw-away SQLite database in a
temporary directory, or ``DATABASE_URL`` if set to an empty database you can spare).

Loads the demo network up to Neukölln (which offers de, en, tr, ar, de-x-ls), then renders
on Neukölln's site the office home page, a directory search and the events list, each in
German and in Arabic, and prints for each: SQL queries (warm site chrome, as in
production) and the median render time of interleaved runs (German and Arabic take turns,
so that a machine busy with other work slows both alike), and the median CPU time of this
process (on a loaded machine, wall time also holds the time spent waiting for a CPU).
Target (issue #12): the same query count, and Arabic within 10 % of German.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-languages-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MEDIA_ROOT"] = TMP

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "neukoelln.localhost"
#: Neukölln is the eighth district office of the demo network.
DEMO_OFFICES = 8
PAGES = {
    "office home": "",
    "directory search": "gruppen/?q=Sucht",
    "events list": "veranstaltungen/",
}
LANGUAGES = {"German": "/", "Arabic": "/ar/"}
RUNS = 40
TOLERANCE = 0.10


def count_queries(client, path):
    client.get(path)  # warm up templates and the chrome cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", offices=DEMO_OFFICES, verbosity=0)
    client = Client(HTTP_HOST=HOST)
    print(f"Site {HOST}: languages", end=" ")
    from sites.models import Office

    print(", ".join(Office.objects.get(site__hostname=HOST).languages))
    print(
        f"\n  {'page':18} {'language':8} {'queries':>7} {'median ms':>10} {'p95 ms':>8} "
        f"{'CPU ms':>7}"
    )
    verdicts = []
    for name, suffix in PAGES.items():
        paths = {language: prefix + suffix for language, prefix in LANGUAGES.items()}
        counts = {language: count_queries(client, path) for language, path in paths.items()}
        timings = {language: [] for language in paths}
        cpu = {language: [] for language in paths}
        for _ in range(RUNS):
            for language, path in paths.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                timings[language].append((time.perf_counter() - start) * 1000)
                cpu[language].append((time.process_time() - start_cpu) * 1000)
        medians = {}
        for language, values in timings.items():
            values.sort()
            medians[language] = statistics.median(values)
            p95 = values[int(len(values) * 0.95) - 1]
            print(
                f"  {name:18} {language:8} {counts[language]:7d} "
                f"{medians[language]:10.1f} {p95:8.1f} {statistics.median(cpu[language]):7.1f}"
            )
        ratio = medians["Arabic"] / medians["German"]
        cpu_ratio = statistics.median(cpu["Arabic"]) / statistics.median(cpu["German"])
        same = counts["Arabic"] == counts["German"]
        within = ratio <= 1 + TOLERANCE
        verdicts.append(same and within)
        print(
            f"  {'':18} Arabic/German time {ratio:.2f} (CPU {cpu_ratio:.2f}); same query count: "
            f"{'yes' if same else 'NO'}; within 10 %: {'yes' if within else 'NO'}"
        )
    print("\nall targets met:", "yes" if all(verdicts) else "NO")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"database: {connection.vendor}; load average (1, 5, 15 min): {load}")


if __name__ == "__main__":
    main()
