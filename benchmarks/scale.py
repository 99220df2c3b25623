"""What a network of 300 offices costs compared with the 13 of the demo (issue #14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \
        .venv/bin/python benchmarks/scale.py [--sites 300] [--keep] [--template DB]

Creates (and afterwards drops) the database named in ``DATABASE_URL``, loads the demo
network (13 sites), measures, adds offices up to ``--sites`` and measures again:

1. **the first request after a home page publish**: an office's home page is published
   (which makes Wagtail forget every site's root paths) and the next anonymous request of
   that home page is counted (SQL queries, milliseconds), and the request after it;
2. **create_office**: ``provision_office`` in-process (what ``manage.py create_office``
   runs), wall-clock and CPU seconds and SQL queries;
3. **an office editor's admin**: the explorer of the office's home page, the page chooser,
   the site settings view with its site switcher and the dashboard, as ``redaktion-pankow``:
   SQL queries and milliseconds of each.

The offices added beyond the demo are provisioned like real ones but lighter (home page and
its English translation, site, profile, collection, the two user groups with their page,
collection and site permissions; no default pages or workflows), so that building 300 takes
minutes, not hours. ``--template DB`` copies an existing database with the demo already
loaded instead of loading it (for iterating; report figures from a full run).
``--reuse`` measures a kept database as it is, once, without building anything (for
iterating on the code: run it on a kept small and a kept large database).
Targets: equal figures at both sizes; create_office <= 1 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scale_bench"


def admin_database(url):
    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    ), parsed.path.lstrip("/")


def create_database(url, template=None):
    connection, name = admin_database(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url):
    from django.db import connections

    connections.close_all()
    connection, name = admin_database(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--template", help="copy this database (demo already loaded)")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database once")
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("scale.py needs PostgreSQL in DATABASE_URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if args.reuse:
        import django

        django.setup()
        import logging

        logging.disable(logging.INFO)
        analyze()
        figures = measure()
        print(f"\n{figures.pop('sites')} sites")
        for name, value in figures.items():
            print(f"{name:<36} {value[0]:7d} queries {value[1]:8.0f} ms")
        return
    create_database(url, args.template)
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        if not args.template:
            print("Loading the demo network ...", flush=True)
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", "--port", "80", stdout=quiet)
        analyze()
        small = measure()
        from wagtail.models import Site

        print(f"Adding offices up to {args.sites} sites ...", flush=True)
        add_offices(args.sites - Site.objects.count() - 1)  # measure() adds one more
        analyze()
        large = measure()
        report(small, large)
    finally:
        if not args.keep:
            drop_database(url)


def analyze():
    """Fresh planner statistics, as autovacuum keeps them in production: right after a
    bulk load PostgreSQL still believes the page table empty and picks nested loops that
    made the page chooser look ten times slower at 300 sites than it is."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from sites.provisioning import OfficeSpec, provision_office

    sites = Site.objects.count()
    figures = {"sites": sites}
    pankow = Site.objects.get(hostname="pankow.localhost")
    home = pankow.root_page.specific
    visitor = Client(HTTP_HOST="pankow.localhost")
    visitor.get("/")

    def timed(client, path, repeat=1):
        counts, times = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            counts.append(len(queries))
            times.append(elapsed)
        return counts[0], statistics.median(times)

    first, after = [], []
    for _ in range(3):
        home.save_revision().publish()
        first.append(timed(visitor, "/"))
        after.append(timed(visitor, "/"))
    figures["first request after a home publish"] = (
        first[0][0],
        statistics.median(t for _, t in first),
    )
    figures["the request after it"] = (after[0][0], statistics.median(t for _, t in after))

    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        provision_office(OfficeSpec(hostname=f"neu-{sites}.localhost", name=f"Neue Stelle {sites}"))
        figures["create_office"] = (
            len(queries),
            (time.perf_counter() - start) * 1000,
            (time.process_time() - cpu) * 1000,
        )

    editor = Client(HTTP_HOST="pankow.localhost")
    editor.force_login(get_user_model().objects.get(username="redaktion-pankow"))
    for name, path in (
        ("admin dashboard", "/admin/"),
        ("explorer (office home)", f"/admin/pages/{home.pk}/"),
        ("page chooser", "/admin/choose-page/"),
        ("page chooser search", "/admin/choose-page/search/?q=Kontakt"),
        ("site settings + switcher", f"/admin/settings/sites/office/{pankow.pk}/"),
    ):
        editor.get(path)  # warm up
        figures[name] = timed(editor, path, repeat=5)
    return figures


def add_offices(count):
    """``count`` more offices, provisioned lighter than ``provision_office`` (see above)."""
    from django.db import transaction
    from wagtail.models import Collection, Page, Site

    from sites.indexing import deferred_index_updates
    from sites.models import Office
    from sites.provisioning import (
        OfficeSpec,
        _create_office_groups,
        app_hooks,
        ensure_locales,
    )

    locales = ensure_locales()
    german, others = locales[0], locales[1:]
    (home_page,) = app_hooks("office_home_page")
    root = Page.get_first_root_node()
    start = time.perf_counter()
    with deferred_index_updates():
        for number in range(count):
            with transaction.atomic():
                spec = OfficeSpec(
                    hostname=f"ks-{number:03d}.localhost",
                    name=f"Kontaktstelle {number:03d}",
                    short_name=f"KS {number:03d}",
                )
                home = home_page(spec, german, None)
                root.add_child(instance=home)
                root.refresh_from_db()
                site = Site.objects.create(
                    hostname=spec.hostname, port=80, root_page=home, site_name=spec.name
                )
                for locale in others:
                    home.copy_for_translation(locale, copy_parents=False)
                office = Office.objects.create(
                    site=site, name=spec.name, short_name=spec.short_name
                )
                office.collection = Collection.get_first_root_node().add_child(name=spec.name)
                office.save(update_fields=["collection"])
                _create_office_groups(office, office.collection)
            if number % 50 == 49:
                print(f"  {number + 1} offices added ({time.perf_counter() - start:.0f} s)")


def report(small, large):
    print(f"\n{'':<36} {small['sites']:>5} sites {large['sites']:>11} sites")
    print(f"{'':<36} {'queries':>7} {'ms':>7} {'queries':>9} {'ms':>7}")
    for name, value in small.items():
        if name == "sites":
            continue
        other = large[name]
        print(f"{name:<36} {value[0]:7d} {value[1]:7.0f} {other[0]:9d} {other[1]:7.0f}")
    print(
        f"\ncreate_office CPU: {small['create_office'][2]:.0f} ms at {small['sites']} sites, "
        f"{large['create_office'][2]:.0f} ms at {large['sites']} sites (target: <= 1000 ms wall)"
    )
    same = all(small[k][0] == large[k][0] for k in small if k not in ("sites", "create_office"))
    growth = large["create_office"][0] - small["create_office"][0]
    print(
        f"Query counts equal at both sizes: {'yes' if same else 'NO'}; create_office: "
        f"{growth:+d} queries between the sizes"
    )


if __name__ == "__main__":
    main()
