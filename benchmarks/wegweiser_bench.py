"""Benchmark of the printed Wegweiser (directory/wegweiser.py) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wegweiser_bench \
        .venv/bin/python benchmarks/wegweiser_bench.py [--groups 20000]

Builds its own database (dropped afterwards) with the directory benchmark's network: 40
offices, 300 topics and ``--groups`` groups imported through the CSV import. Then prints:

1. one office's district (≈ 80 groups at 20,000): time to build the PDF (target ≤ 2 s),
   pages and size; and one office's whole list for comparison;
2. the state-wide PDF of every group, built and stored in a child process exactly as the
   task worker does it (``build_in_background``: the PDF streamed into the storage, here
   a temporary media folder), ``--state-runs`` times: wall time (target ≤ 5 minutes), the
   CPU time of the whole process tree, and its peak memory (target ≤ 500 MB). The builder
   sets the print in volumes, one child process after another
   (directory/wegweiser_volumes.py), so the tree's peak is at most the builder's own peak
   plus the largest child's own peak (the figure held to the target). Each is the
   process's ``VmHWM``, not ``ru_maxrss``, which Linux hands on from parent to child
   through fork and exec (the builder started from this benchmark would "peak" at the
   benchmark's 350 MB, each volume process at the builder's size). The sum of the tree's
   resident memory sampled every 20 ms from outside is printed beside it, with the load
   average of the machine.
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
from directory.wegweiser_volumes import peak_kb  # noqa: E402

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
    """Runs in a fresh process: the state-wide PDF, as the task worker builds and stores
    it (``build_in_background``, into a media folder of its own)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="wegweiser-bench-") as media:
        import django

        django.setup()
        from dataclasses import asdict

        from django.conf import settings
        from django.core.files.storage import default_storage

        from directory import wegweiser
        from directory.wegweiser import Selection

        settings.MEDIA_ROOT = media  # before the storage's first use, which reads it
        import logging

        children = []  # the largest child's own peak, from the builder's log record

        class Peaks(logging.Handler):
            def emit(self, record):
                if hasattr(record, "child_peak_mb"):
                    children.append(record.child_peak_mb)

        logging.getLogger("directory.wegweiser").addHandler(Peaks())
        logging.getLogger("directory.wegweiser").setLevel(logging.INFO)
        selection = Selection(office_id=None)
        count = wegweiser.groups_for(selection).count()
        t0 = time.perf_counter()
        wegweiser.build_in_background.call(asdict(selection))
        seconds = time.perf_counter() - t0
        print_id, _count = wegweiser.fingerprint(selection)
        name = wegweiser.stored_name(selection, print_id)
        size = default_storage.size(name)
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
        # Own peaks (VmHWM), not ru_maxrss: Linux hands a parent's ru_maxrss on to its
        # children through fork and exec, so the builder would report this benchmark's
        # 350 MB (the imported network) and each child the builder's size.
        own = peak_kb() / 1024
        print(f"{count} {seconds:.2f} {own:.0f} {max(children):.0f} {size} {cpu:.1f}")


def _tree_rss_kb(pid):
    """The resident memory of ``pid`` and all its descendants, in KB (from /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def run_sampled(command):
    """Run ``command`` and sample its process tree's resident memory every 20 ms from
    outside the tree; ``(stdout, peak MB of the tree's sum)``."""
    import threading

    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _err = process.communicate()
    sampler.join()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return out, peak[0] / 1024


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
            out, sampled = run_sampled([sys.executable, __file__, "--child-state"])
            out = out.split()
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
                f"builder's peak {own:.0f} MB + largest child's peak {children:.0f} MB; "
                f"sampled every 20 ms: at most {sampled:.0f} MB at once), "
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
