"""Benchmark of the group directory on PostgreSQL (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/directory_bench \
        .venv/bin/python benchmarks/directory_bench.py [--groups 20000] [--keep] [--reuse]

Creates (and afterwards drops) its own database, creates 40 offices (site, home page,
directory page, office profile), 300 topics, and then measures:

1. SQL queries per directory page at 200 groups and at 20,000 groups (must be equal);
2. the CSV import of 20,000 rows (target <= 60 s), through ``import_groups`` as the admin
   view and the command use it;
3. p50/p95 of the directory page (full HTTP request through Django's test client, with two
   filters and a free-text term, facets included) over 200 varied queries, each counted
   afresh (target p95 <= 50 ms); then the same searches asked again, whose counts are cached;
4. the same pages with ``base.html`` replaced by a bare stub (timings and queries of the
   directory itself, without header, menus and footer; counts again computed afresh);
5. p50/p95 of the JSON API over 50 queries.

Page timings are wall-clock; next to them the Python CPU time per request (without
PostgreSQL's), which stays comparable when other work competes for the cores, and, where
PostgreSQL runs on this machine, the CPU time its backend spent on the request (from
``/proc/<pid>/schedstat``) and the sum of both per request ("CPU+DB"). Before the timed
requests every office's page is asked once (with a search outside the mix): the first
request to a site builds its chrome (menus, footer, office profile), which is not the
search's cost.

``--keep`` leaves the database in place afterwards. ``--reuse`` (implies ``--keep``) starts
from such a kept database instead of building one: it applies new migrations, re-analyses
the tables and measures 3 to 5 and the query count at the kept size only -- for iterating
on the search code; the figures to report come from a full run without ``--reuse``.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/directory_bench"

TOPIC_ROOTS = [
    ("Sucht", "trinken\nAlkohol\nAbhängigkeit"),
    ("Depression", "niedergeschlagen\nantriebslos"),
    ("Angst", "Panik\nPhobie"),
    ("Trauer", "Verlust\ntrauern"),
    ("Krebs", "Tumor\nOnkologie"),
    ("Diabetes", "Zucker"),
    ("Rheuma", "Arthritis"),
    ("Demenz", "Alzheimer\nvergesslich"),
    ("Essstörungen", "Magersucht\nBulimie"),
    ("Long Covid", "Post-Covid\nErschöpfung"),
    ("Multiple Sklerose", "MS"),
    ("Parkinson", "Zittern"),
    ("Epilepsie", "Anfälle"),
    ("Schlaganfall", "Apoplex"),
    ("Herz", "Herzinfarkt\nHerzschwäche"),
    ("Lunge", "COPD\nAsthma"),
    ("Autismus", "Asperger"),
    ("ADHS", "Aufmerksamkeit"),
    ("Trennung", "Scheidung\nAlleinerziehend"),
    ("Pflege", "pflegen\nPflegende"),
    ("Arbeitslosigkeit", "arbeitslos\nBürgergeld"),
    ("Migration", "Geflüchtete\nAnkommen"),
    ("Gewalt", "Missbrauch\nTrauma"),
    ("Schmerz", "chronische Schmerzen"),
    ("Tinnitus", "Ohrgeräusche"),
    ("Allergien", "Neurodermitis"),
    ("Sehbehinderung", "blind"),
    ("Hörbehinderung", "schwerhörig\ngehörlos"),
    ("Adipositas", "Übergewicht"),
    ("Glücksspiel", "Spielsucht\nzocken"),
]
WORDS = [
    "trinken",
    "Angehörige",
    "Depression",
    "Trauer",
    "Krebs",
    "Demenz",
    "Panik",
    "Alkohol",
    "Eltern",
    "Erschöpfung",
    "Sucht",
    "junge",
    "Scheidung",
    "Zucker",
    "Schmerzen",
    "pflegen",
]


def prepare_database(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def drop_database(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_csv(offices, topic_slugs, districts, count, rng):
    from directory.exchange import IMPORT_COLUMNS

    out = io.StringIO()
    import csv

    writer = csv.DictWriter(out, fieldnames=IMPORT_COLUMNS)
    writer.writeheader()
    for i in range(count):
        office = offices[i % len(offices)]
        root = rng.randrange(len(TOPIC_ROOTS))
        topics = rng.sample(topic_slugs[root], k=rng.randint(1, 2))
        audience = rng.choice(["affected", "relatives", "both"])
        evening = rng.random() < 0.6
        writer.writerow(
            {
                "name": f"{TOPIC_ROOTS[root][0]}-Gruppe {i}",
                "office": office.site.hostname,
                "topics": ";".join(topics),
                "description": f"Selbsthilfe zu {TOPIC_ROOTS[root][0]} für "
                f"{'Angehörige' if audience != 'affected' else 'Betroffene'}.",
                "audience": audience,
                "status": rng.choice(["active"] * 8 + ["founding", "paused"]),
                "languages": rng.choice(["de", "de", "de en", "de tr"]),
                "rhythm": "weekly",
                "weekday": str(rng.randrange(7)),
                "starts_at": "19:00" if evening else "10:00",
                "format": rng.choice(["in_person", "in_person", "online", "hybrid"]),
                "district": rng.choice(districts[office.pk]),
                "city": "Berlin",
                "step_free_access": rng.choice(["ja", "nein"]),
                "new_members_welcome": rng.choice(["ja", "ja", "nein"]),
                "internal_contact_name": f"Intern {i}",
                "internal_phone": f"0170 {i:07d}",
                "last_verified": "2026-01-15",
            }
        )
    return out.getvalue()


def create_offices(count):
    """Office, Site, home page and directory page rows, without the rest of provisioning
    (translations, user groups, default pages), which a directory benchmark does not use and
    which takes ~10 s per office on a loaded machine."""
    from wagtail.models import Page, Site

    from directory.setup import create_directory_page
    from home.models import HomePage
    from sites.models import Office, OfficeKind
    from sites.provisioning import ensure_locales

    ensure_locales()
    root = Page.get_first_root_node()
    offices, districts = [], {}
    for i in range(count):
        home = HomePage(title=f"Kontaktstelle {i:02d}", slug=f"office{i:02d}")
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(
            hostname=f"office{i:02d}.localhost", port=80, root_page=home, is_default_site=i == 0
        )
        office = Office.objects.create(
            site=site,
            name=f"Kontaktstelle {i:02d}",
            short_name=f"KS {i:02d}",
            kind=OfficeKind.STATE if i == 0 else OfficeKind.REGIONAL,
            email=f"team@office{i:02d}.localhost",
        )
        create_directory_page(office)
        offices.append(office)
        districts[office.pk] = [f"Ortsteil {i:02d}-{d}" for d in range(6)]
    Site.clear_site_root_paths_cache()
    return offices, districts


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=20000)
    parser.add_argument("--offices", type=int, default=40)
    parser.add_argument("--topics", type=int, default=300)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on a database kept by an earlier --keep run (implies --keep)",
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("Dieser Benchmark braucht PostgreSQL (DATABASE_URL=postgres://...).")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    admin, name = (None, None) if args.reuse else prepare_database(url)
    try:
        run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(admin, name)


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    rng = random.Random(2026)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")

    from directory.exchange import import_groups
    from directory.models import SelfHelpGroup, Topic

    if args.reuse:
        return measure_pages(args, *existing_offices(), rng, queries_small=None, import_s=None)

    t0 = time.perf_counter()
    offices, districts = create_offices(args.offices)
    print(
        f"{args.offices} offices created directly (home page, directory page, site, office "
        f"profile; no translations, user groups or default pages): "
        f"{time.perf_counter() - t0:.1f} s"
    )

    per_root = args.topics // len(TOPIC_ROOTS)
    topic_slugs = []
    for r, (label, synonyms) in enumerate(TOPIC_ROOTS):
        root = Topic.objects.create(slug=f"t{r}", name=label, synonyms=synonyms)
        slugs = [root.slug]
        for c in range(per_root - 1):
            child = Topic.objects.create(
                slug=f"t{r}-{c}", name=f"{label} {c + 1}", parent=root, synonyms=""
            )
            slugs.append(child.slug)
        topic_slugs.append(slugs)
    print(f"topics: {Topic.objects.count()}")

    small = make_csv(offices[1:], topic_slugs, districts, 200, rng)
    report = import_groups(small, "csv", dry_run=False)
    assert report.ok, report.errors[:5]
    queries_small = count_queries(offices)
    SelfHelpGroup.topics.through.objects.all().delete()
    SelfHelpGroup.objects.all().delete()

    big = make_csv(offices[1:], topic_slugs, districts, args.groups, rng)
    t0 = time.perf_counter()
    report = import_groups(big, "csv", dry_run=False)
    import_seconds = time.perf_counter() - t0
    assert report.ok, report.errors[:5]
    measure_pages(args, offices, districts, rng, queries_small, import_seconds)


def existing_offices():
    """Offices and their districts of a database built by an earlier run (``--reuse``)."""
    from sites.models import Office

    offices = list(Office.objects.select_related("site").order_by("pk"))
    if not offices:
        sys.exit("--reuse: die Datenbank enthält keine Kontaktstellen; erst mit --keep bauen.")
    districts = {
        office.pk: [f"Ortsteil {i:02d}-{d}" for d in range(6)] for i, office in enumerate(offices)
    }
    return offices, districts


def count_queries(offices, cold=False, new_search=False):
    """SQL queries of one directory page, asked a second time (its counts cached); with
    ``new_search`` as a search not counted yet; with ``cold`` after emptying all caches."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from directory.search import forget_counts

    client = Client()
    host = offices[1].site.hostname
    params = {"q": "Angehörige trinken", "evening": "on", "audience": "relatives"}
    params["scope"] = "land"
    client.get("/gruppen/", params, HTTP_HOST=host)  # warm caches
    if new_search:
        forget_counts()
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/gruppen/", params, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def backend_cpu():
    """A function giving the CPU milliseconds this connection's PostgreSQL backend has
    used so far, or None where the server's processes cannot be read (another machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = Path(f"/proc/{pid}/schedstat")

    def used():
        return int(path.read_text().split()[0]) / 1e6

    try:
        used()
    except (OSError, ValueError):
        return None
    return used


def p95_of(values):
    values = sorted(values)
    return values[int(len(values) * 0.95) - 1]


def cpu_figures(cpu):
    """CPU time of this process per request (Python only, not PostgreSQL's): on a machine
    busy with other work the wall-clock figures include waiting for a core; these do not."""
    p95 = cpu[int(len(cpu) * 0.95) - 1]
    return f"Python CPU p50 {statistics.median(cpu):.1f} ms, p95 {p95:.1f} ms"


BARE_BASE = (
    "<!doctype html><html><head>{% block extra_head %}{% endblock %}</head>"
    '<body class="{% block body_class %}{% endblock %}">{% block content %}{% endblock %}'
    "</body></html>"
)


def directory_part(client, offices, page_url, count):
    """The same page timings and query count with ``base.html`` (header, menus, footer,
    language switcher) replaced by a bare stub: what the directory itself costs."""
    import copy

    from django.conf import settings
    from django.test.utils import override_settings

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                ("django.template.loaders.locmem.Loader", {"base.html": BARE_BASE}),
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]
    from directory.search import forget_counts

    with override_settings(TEMPLATES=templates):
        for i in range(20):  # warm-up
            host, params = page_url(i)
            client.get("/gruppen/", params, HTTP_HOST=host)
        # The full-page pass counted these searches already; count them afresh here too,
        # or this pass would measure cached counts against the other's fresh ones.
        forget_counts()
        timings, cpu = [], []
        for i in range(count):
            host, params = page_url(i * 7 + 1)
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get("/gruppen/", params, HTTP_HOST=host)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
            assert b"<header" not in response.content
        queries = count_queries(offices)
        queries_new = count_queries(offices, new_search=True)
        queries_cold = count_queries(offices, cold=True)
    timings.sort()
    cpu.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "cpu": cpu_figures(cpu),
        "queries": queries,
        "queries_new": queries_new,
        "queries_cold": queries_cold,
    }


def measure_pages(args, offices, districts, rng, queries_small, import_s):
    from django.db import connection
    from django.test import Client

    from directory.models import SelfHelpGroup, Topic

    regional = offices[1:]
    client = Client()

    def page_url(i):
        office = regional[i % len(regional)]
        params = {
            "q": WORDS[i % len(WORDS)],
            "district": districts[office.pk][i % 6],
        }
        second = i % 4
        if second == 0:
            params["audience"] = "relatives"
        elif second == 1:
            params["evening"] = "on"
        elif second == 2:
            params["weekday"] = str(i % 7)
        else:
            params["step_free"] = "on"
        if i % 5 == 0:
            params.pop("district")
            params["scope"] = "land"
            params["format"] = "in_person"
        return office.site.hostname, params

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries_big = count_queries(offices)
    queries_new = count_queries(offices, new_search=True)
    queries_cold = count_queries(offices, cold=True)
    groups = SelfHelpGroup.objects.count()

    for office in offices:  # each site's chrome is built once, before the timed requests
        client.get("/gruppen/", {"q": "Beratung"}, HTTP_HOST=office.site.hostname)
    for i in range(20):  # warm-up
        host, params = page_url(i)
        client.get("/gruppen/", params, HTTP_HOST=host)
    timings, cpu, db_cpu = [], [], []
    database = backend_cpu()
    nonempty = 0
    for i in range(args.queries):
        host, params = page_url(i * 7 + 1)
        d0 = database() if database else 0
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get("/gruppen/", params, HTTP_HOST=host)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if database:
            db_cpu.append(database() - d0)
        assert response.status_code == 200
        nonempty += "keine passende Gruppe" not in response.content.decode()
    both = [a + b for a, b in zip(cpu, db_cpu, strict=True)] if db_cpu else []
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    cpu.sort()
    # The same searches once more: a popular search finds its counts in the cache.
    again = []
    for i in range(args.queries):
        host, params = page_url(i * 7 + 1)
        t0 = time.perf_counter()
        client.get("/gruppen/", params, HTTP_HOST=host)
        again.append((time.perf_counter() - t0) * 1000)
    again.sort()
    part = directory_part(client, offices, page_url, args.queries)

    api_t = []
    for i in range(50):
        host, params = page_url(i)
        params.pop("scope", None)
        t0 = time.perf_counter()
        client.get("/api/directory/groups/", params, HTTP_HOST=host)
        api_t.append((time.perf_counter() - t0) * 1000)
    api_t.sort()

    print()
    print(f"groups: {groups}  offices: {len(offices)}  topics: {Topic.objects.count()}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))
    if queries_small is None:
        print(f"SQL queries per directory page: {queries_big} at {groups} groups (--reuse)")
    else:
        print(
            f"SQL queries per directory page: {queries_small} at 200 groups, "
            f"{queries_big} at {groups} groups -> "
            f"{'EQUAL' if queries_small == queries_big else 'DIFFERENT (missed)'}"
        )
    print(
        f"SQL queries per directory page: {queries_new} for a search not counted yet, "
        f"{queries_cold} with all caches empty"
    )
    if import_s is not None:
        print(
            f"CSV import of {args.groups} rows: {import_s:.1f} s "
            f"(target <= 60 s: {'met' if import_s <= 60 else 'MISSED'})"
        )
    print(
        f"directory page, 2 filters + free text, {len(timings)} queries "
        f"({nonempty} with results): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 <= 50 ms: {'met' if p95 <= 50 else 'MISSED'}); {cpu_figures(cpu)}"
    )
    if both:
        print(
            f"  CPU per request: PostgreSQL backend p50 {statistics.median(db_cpu):.1f} ms, "
            f"p95 {p95_of(db_cpu):.1f} ms; Python + PostgreSQL (CPU+DB) p50 "
            f"{statistics.median(both):.1f} ms, p95 {p95_of(both):.1f} ms (target p95 <= 50 ms "
            f"with margin: {'met' if p95_of(both) <= 35 else 'MISSED'} at <= 35 ms)"
        )
    print(
        f"the same {len(again)} searches asked again (counts cached): "
        f"p50 {statistics.median(again):.1f} ms, p95 {again[int(len(again) * 0.95) - 1]:.1f} ms"
    )
    print(
        "directory part (same requests, base.html replaced by a bare stub, so without the "
        f"site chrome): p50 {part['p50']:.1f} ms, p95 {part['p95']:.1f} ms ({part['cpu']}), "
        f"{part['queries']} SQL queries per page ({part['queries_new']} for a search not "
        f"counted yet, {part['queries_cold']} with all caches empty)"
    )
    print(
        f"JSON API, 50 queries: p50 {statistics.median(api_t):.1f} ms, "
        f"p95 {api_t[int(len(api_t) * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
