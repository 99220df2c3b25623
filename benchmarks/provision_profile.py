"""Where ``provision_office`` spends its time: SQL queries grouped by shape, and a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \
        .venv/bin/python benchmarks/provision_profile.py [--runs 3] [--top 25] [--profile]

Run it on a database kept by ``benchmarks/scale.py --keep`` (the demo loaded): each run
provisions one more office (``prof-<n>.localhost``) exactly as ``manage.py create_office``
does, commit hooks included, and prints wall time, CPU time and the query count; then the
most frequent query shapes of the last run (literals replaced by ``?``) and, with
``--profile``, the functions with the most cumulative time.
"""

import argparse
import collections
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shape(sql):
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\s*\?\s*,?)+\)", "(?...)", sql)
    sql = re.sub(r"\((?:\s*\(\?\.\.\.\)\s*,?)+\)", "((?...)...)", sql)
    return sql


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--languages", default=None)
    parser.add_argument(
        "--deferred-tasks",
        action="store_true",
        help="queue the search/reference index task in the database, as production does "
        "(the test settings run it inline at the commit)",
    )
    parser.add_argument(
        "--stacks", default="", help="count the call sites of queries containing this text"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from sites.provisioning import OfficeSpec, provision_office

    if args.deferred_tasks:
        from django.test.utils import override_settings

        override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        ).enable()

    langs = args.languages.split(",") if args.languages else None
    walls, cpus, counts = [], [], []
    for _run in range(args.runs):
        n = Site.objects.count()
        host = f"prof-{n}-{int(time.time() * 1000) % 100000}.localhost"
        profiler = None
        if args.profile and _run == args.runs - 1:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not a loaded machine's wall
        callers = collections.Counter()

        def wrapper(execute, sql, params, many, context, callers=callers):
            if args.stacks and args.stacks in sql:
                import traceback

                frames = [
                    f"{Path(f.filename).name}:{f.lineno}:{f.name}"
                    for f in traceback.extract_stack()[:-1]
                    if "/django/db/" not in f.filename and "/django/utils/" not in f.filename
                ][-7:]
                callers[" < ".join(reversed(frames))] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper), CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            provision_office(OfficeSpec(hostname=host, name=f"Prof {n}", languages=langs))
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        walls.append(wall * 1000)
        cpus.append(cpu * 1000)
        counts.append(len(queries))
        print(
            f"{Site.objects.count() - 1:4d} sites before: {len(queries):5d} queries "
            f"{wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU",
            flush=True,
        )
    print(
        f"median: {statistics.median(counts):.0f} queries {statistics.median(walls):.0f} ms "
        f"wall {statistics.median(cpus):.0f} ms CPU; load {os.getloadavg()[0]:.2f}"
    )
    groups = collections.Counter()
    times = collections.Counter()
    for query in queries.captured_queries:
        key = shape(query["sql"])[:220]
        groups[key] += 1
        times[key] += float(query["time"] or 0)
    print(f"\nQuery shapes of the last run ({len(groups)} shapes):")
    for key, count in groups.most_common(args.top):
        print(f"{count:5d} {times[key] * 1000:7.0f} ms  {key}")
    for stack, count in callers.most_common(15):
        print(f"{count:5d}  {stack}")
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top * 2)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
