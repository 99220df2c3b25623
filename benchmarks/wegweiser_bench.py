"""Benchmark of the printed Wegweiser (directory/wegweiser.py) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wegweiser_bench \
        .venv/bin/python benchmarks/wegweiser_bench.py [--groups 20000]

Builds its own database (dropped afterwards) with the directory benchmark's network: 40
offices, 300 topics and ``--groups`` groups imported through the CSV import. Then prints:

1. one office's district (≈ 80 groups at 20,000): time to build the PDF (target ≤ 2 s),
   pages and size; and one office's whole list for comparison;
2. the state-wide PDF of every group, built in a child process as the task worker builds
   it (``--state-runs`` times): time (target ≤ 5 minutes) and the peak memory of the
   process tree that builds it (target ≤ 500 MB). The builder sets the print in volumes,
   one child process after another (directory/wegweiser_volumes.py), so the tree's peak
   is at most the builder's own peak plus the largest child's; both are printed, with
   the load average of the machine.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.directory_bench import (  # noqa: E402
    TOPIC_ROOTS,
    create_offices,
    drop_database,
    make_csv,
    prepare_database,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wegweiser_bench"


def build_network(groups):
    from django.core.management import call_command

    from directory.exchange import import_groups
    from directory.models import Topic

    call_command("migrate", verbosity=0)
    offices, districts = create_offices(40)
    rng = random.Random(2026)
    topic_slugs = []
    for r, (label, synonyms) in enumerate(TOPIC_ROOTS):
        root = Topic.objects.create(slug=f"t{r}", name=label, synonyms=synonyms)
        slugs = [root.slug]
        for c in range(300 // len(TOPIC_ROOTS) - 1):
            slugs.append(
                Topic.objects.create(slug=f"t{r}-{c}", name=f"{label} {c + 1}", parent=root).slug
            )
        topic_slugs.append(slugs)
    t0 = time.perf_counter()
    report = import_groups(
        make_csv(offices[1:], topic_slugs, districts, groups, rng), "csv", dry_run=False
    )
    assert report.ok, report.errors[:5]
    print(f"network: 40 offices, {groups} groups imported in {time.perf_counter() - t0:.1f} s")
    return offices, districts


def timed_render(selection):
    from directory import wegweiser

    count = wegweiser.groups_for(selection).count()
    t0 = time.perf_counter()
    pdf = wegweiser.render(selection)
    return count, time.perf_counter() - t0, pdf


def child_state():
    """Runs in a fresh process: the state-wide PDF, as the task worker builds it."""
    import django

    django.setup()
    from directory.wegweiser import Selection

    count, seconds, pdf = timed_render(Selection(office_id=None))
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    own, children = me.ru_maxrss / 1024, kids.ru_maxrss / 1024
    print(f"{count} {seconds:.2f} {own:.0f} {children:.0f} {len(pdf)} {cpu:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=20000)
    parser.add_argument("--state-runs", type=int, default=1)
    parser.add_argument("--child-state", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("Dieser Benchmark braucht PostgreSQL (DATABASE_URL=postgres://...).")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if args.child_state:
        return child_state()

    admin, name = prepare_database(url)
    try:
        import django

        django.setup()
        from django.db import connections

        from directory.wegweiser import Selection

        offices, districts = build_network(args.groups)
        office = offices[1]
        district = districts[office.pk][0]
        render_s = []
        print(
            "load average before the office prints: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        )
        for _ in range(3):
            count, seconds, pdf = timed_render(Selection(office_id=office.pk, district=district))
            render_s.append(seconds)
        print(
            f"one office, one district: {count} groups, best of 3 {min(render_s):.2f} s "
            f"(target ≤ 2 s), median {sorted(render_s)[1]:.2f} s, {len(pdf) / 1024:.0f} KB"
        )
        count, seconds, pdf = timed_render(Selection(office_id=office.pk))
        print(
            f"one office, all districts: {count} groups, {seconds:.2f} s, {len(pdf) / 1024:.0f} KB"
        )
        connections.close_all()

        for run in range(args.state_runs):
            load = os.getloadavg()
            out = subprocess.run(
                [sys.executable, __file__, "--child-state"],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            ).stdout.split()
            count, seconds, own, children, size, cpu = (
                int(out[0]),
                float(out[1]),
                float(out[2]),
                float(out[3]),
                int(out[4]),
                float(out[5]),
            )
            print(
                f"whole state, run {run + 1}: {count} groups, {seconds:.1f} s (target ≤ 300 s; "
                f"CPU time of the process tree {cpu:.0f} s), "
                f"peak memory of the process tree ≤ {own + children:.0f} MB (target ≤ 500 MB: "
                f"builder {own:.0f} MB + largest child {children:.0f} MB), "
                f"{size / 1024 / 1024:.1f} MB; load average before "
                f"{load[0]:.1f}, after {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(admin, name)


if __name__ == "__main__":
    main()
