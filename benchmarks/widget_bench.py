"""Widget benchmark: how fast the widget for partner sites answers from the cache.

Run from the repository root:

    .venv/bin/python benchmarks/widget_bench.py                       # SQLite, local memory cache
    .venv/bin/python benchmarks/widget_bench.py --redis redis://127.0.0.1:6379/3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/widget_bench \\
        .venv/bin/python benchmarks/widget_bench.py

It migrates a fresh database (a temporary SQLite file unless ``DATABASE_URL`` is set),
loads the demo network, gives the first regional office a widget for all its groups and
one for a topic, and requests ``/widget/<key>/`` and ``/widget/<key>.json`` through the
Django test client, i.e. the whole middleware chain (security headers, CSP, cache
headers, the referral count) as a partner's visitor with a ``Referer`` would. It prints
the SQL queries of a warm request (0 is the target), and per format the median and 95th
percentile of warm answers (``BENCH_REPEAT`` requests per round, ``BENCH_ROUNDS``
rounds; the figure is the median of the rounds' medians) next to the cold answer after
a change replaced the cache version. Target (issue #13): warm ≤ 5 ms. With ``--redis``
the shared cache is Redis as in production (the versions are read from it on every
request).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--redis", help="Redis URL for the shared cache (default: local memory)")
args = parser.parse_args()

_tmp = None
if not os.environ.get("DATABASE_URL"):
    _fd, _tmp = tempfile.mkstemp(suffix=".sqlite3")
    os.close(_fd)
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
if args.redis:
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.PooledRedisCache", "LOCATION": args.redis}
    }

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "300"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REFERER = "https://praxis-mueller.example/selbsthilfe/"


def set_up():
    from directory.models import PartnerWidget, SelfHelpGroup, Topic
    from sites.models import Office, OfficeKind

    call_command("migrate", verbosity=0)
    cache.clear()
    call_command("load_demo", verbosity=0, port=80)
    office = (
        Office.objects.filter(kind=OfficeKind.REGIONAL, directory_groups__live=True)
        .select_related("site")
        .order_by("pk")
        .first()
    )
    everything = PartnerWidget.objects.create(office=office, name="Alle Gruppen", max_entries=20)
    topic = (
        Topic.objects.filter(groups__office=office, locale__language_code="de")
        .order_by("pk")
        .first()
    )
    by_topic = PartnerWidget.objects.create(office=office, name="Ein Thema")
    by_topic.topics.set([topic])
    groups = SelfHelpGroup.objects.public().filter(office=office).count()
    return office, {"alle Gruppen": everything, f"Thema {topic.name}": by_topic}, groups


def timed(client, path, host):
    started = time.perf_counter()
    response = client.get(path, HTTP_HOST=host, HTTP_REFERER=REFERER)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def measure(client, path, host):
    timed(client, path, host)  # warm
    with CaptureQueriesContext(connection) as queries:
        timed(client, path, host)
    rounds, p95s = [], []
    for _round in range(ROUNDS):
        samples = sorted(timed(client, path, host) for _ in range(REPEAT))
        rounds.append(statistics.median(samples))
        p95s.append(samples[int(len(samples) * 0.95) - 1])
    colds = []
    for _ in range(15):
        from directory.widget import WIDGETS_VERSION
        from sites.cache_version import LOCAL

        WIDGETS_VERSION.replace()
        LOCAL.clear()
        colds.append(timed(client, path, host))
    return (
        len(queries),
        statistics.median(rounds),
        statistics.median(p95s),
        statistics.median(colds),
    )


def main():
    from directory.widget import flush_referrals

    office, widgets, groups = set_up()
    host = office.site.hostname
    client = Client()
    print(
        f"widget benchmark: {connection.vendor}, cache "
        f"{'Redis ' + args.redis if args.redis else 'local memory'}, office {office.name} "
        f"({groups} public groups), {ROUNDS} rounds × {REPEAT} requests, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{'widget':<28} {'format':<6} {'queries':>7} {'warm ms':>8} {'p95 ms':>7} {'cold ms':>8}"
    )
    worst = 0.0
    for label, widget in widgets.items():
        for fmt, path in (
            ("html", f"/widget/{widget.key}/"),
            ("json", f"/widget/{widget.key}.json"),
        ):
            queries, warm, p95, cold = measure(client, path, host)
            worst = max(worst, warm)
            print(f"{label[:28]:<28} {fmt:<6} {queries:>7} {warm:>8.2f} {p95:>7.2f} {cold:>8.2f}")
    flush_referrals()
    print(
        f"target: warm ≤ 5 ms: {'met' if worst <= 5 else 'NOT met'} "
        f"(slowest warm median {worst:.2f} ms)"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        if _tmp:
            os.unlink(_tmp)
