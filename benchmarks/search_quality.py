"""Quality and speed of the forgiving, multilingual directory search (issues 12 and 13).

    .venv/bin/python benchmarks/search_quality.py [--groups 20000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h5_quality \
        .venv/bin/python benchmarks/search_quality.py

Builds its own throw-away database (SQLite in a temporary file unless ``DATABASE_URL``
names a PostgreSQL database, which it creates and drops), with the standard topic list and
its shipped search terms (``directory.demo``, ``directory.search_terms``), 40 offices and
``--groups`` groups spread over the topics, then asks the state site's directory page (a
full HTTP request through Django's test client, counts computed afresh for every query)
each of the 200 queries of ``search_queries.py``: misspellings, colloquial phrases and
relatives' questions in German, Leichte Sprache, English, Turkish, Arabic, Russian and
Ukrainian. It prints

- the share of queries whose first result page shows a group of the expected topic
  (target >= 95 %), per language and overall, and the queries that failed;
- the share of all results that belong to the expected topic (how much noise the
  forgiving matches add);
- p50/p95 of the page time (target p95 <= 50 ms at 20,000 groups, the directory's target).
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_queries import QUERIES  # noqa: E402

DESCRIPTIONS = [
    "Wir treffen uns regelmäßig, hören einander zu und tauschen Erfahrungen aus.",
    "Offene Gruppe, neue Mitglieder sind willkommen. Vertraulich und ohne Vorwürfe.",
    "Austausch in kleiner Runde, begleitet von der Kontaktstelle beim Start.",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=20000)
    parser.add_argument("--offices", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    temporary = None
    admin = name = None
    if url.startswith("postgres"):
        from directory_bench import prepare_database

        admin, name = prepare_database(url)
    else:
        handle, temporary = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if admin:
            from directory_bench import drop_database

            drop_database(admin, name)
        if temporary:
            os.unlink(temporary)


def make_csv(offices, districts, topics, count, rng):
    import csv
    import io

    from directory.exchange import IMPORT_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=IMPORT_COLUMNS)
    writer.writeheader()
    slugs = list(topics)
    for i in range(count):
        office = offices[i % len(offices)]
        slug = slugs[i % len(slugs)]
        audience = rng.choice(["affected", "relatives", "both"])
        district = rng.choice(districts[office.pk])
        writer.writerow(
            {
                "name": f"{topics[slug]} – {'Angehörige' if audience == 'relatives' else 'Gruppe'}"
                f" {district} {i}",
                "office": office.site.hostname,
                "topics": slug,
                "description": rng.choice(DESCRIPTIONS),
                "audience": audience,
                "status": rng.choice(["active"] * 8 + ["founding"]),
                "languages": rng.choice(["de", "de", "de en", "de tr", "de ar", "de ru uk"]),
                "rhythm": "weekly",
                "weekday": str(rng.randrange(7)),
                "starts_at": rng.choice(["10:00", "18:00", "19:00"]),
                "format": rng.choice(["in_person", "in_person", "online", "hybrid"]),
                "district": district,
                "city": "Berlin",
                "step_free_access": rng.choice(["ja", "nein"]),
                "new_members_welcome": "ja",
                "last_verified": "2026-01-15",
            }
        )
    return out.getvalue()


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from directory_bench import create_offices

    from directory import lexicon
    from directory.demo import TOPICS
    from directory.exchange import import_groups
    from directory.models import SelfHelpGroup, Topic
    from directory.search import forget_counts
    from directory.search_terms import merge_into_topics

    rng = random.Random(13)
    t0 = time.perf_counter()
    offices, districts = create_offices(args.offices)
    created = {}
    for slug, name, parent, synonyms, related in TOPICS:
        created[slug] = Topic.objects.create(
            slug=slug,
            name=name,
            parent=created.get(parent),
            synonyms=synonyms,
            related_terms=related,
        )
    merge_into_topics(created.values())
    report = import_groups(
        make_csv(offices[1:], districts, {s: t.name for s, t in created.items()}, args.groups, rng),
        "csv",
        dry_run=False,
    )
    assert report.ok, report.errors[:5]
    lexicon.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    groups = SelfHelpGroup.objects.public().count()
    print(
        f"{connection.vendor}: {groups} public groups, {Topic.objects.count()} topics, "
        f"{args.offices} offices, lexicon of {lexicon_size()} words "
        f"(built in {time.perf_counter() - t0:.1f} s)"
    )

    # Which topic each group is filed under, by name (the page shows names).
    descendants = {}
    for topic in created.values():
        descendants.setdefault(topic.slug, {topic.pk})
        parent = topic.parent
        while parent is not None:
            descendants.setdefault(parent.slug, {parent.pk}).add(topic.pk)
            parent = parent.parent
    topic_of = dict(
        SelfHelpGroup.topics.through.objects.values_list("selfhelpgroup__name", "topic_id")
    )
    state_host = offices[0].site.hostname
    client = Client()
    for query, _slug, _language in QUERIES[:10]:  # warm-up
        client.get("/gruppen/", {"q": query}, HTTP_HOST=state_host)

    from directory.search import interpret

    found = defaultdict(lambda: [0, 0])
    precision, timings, cpu, understanding, failures = [], [], [], [], []
    heading = re.compile(r'<h3><a href="[^"]+">([^<]+)</a></h3>')
    total_re = re.compile(r'<h2 id="results-heading">\s*(\d+)')
    from html import unescape

    for query, slug, language in QUERIES:
        t0 = time.perf_counter()
        interpret(query)  # the words alone: vocabulary, lexicon (one pg_trgm query)
        understanding.append((time.perf_counter() - t0) * 1000)
        forget_counts()  # every query counted afresh, as a new search is
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get("/gruppen/", {"q": query}, HTTP_HOST=state_host)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, (query, response.status_code)
        html = response.content.decode()
        names = [unescape(n) for n in heading.findall(html)]
        relevant = [n for n in names if topic_of.get(n) in descendants[slug]]
        found[language][1] += 1
        if relevant:
            found[language][0] += 1
        else:
            failures.append((language, query, slug, names[:2]))
        total = int(total_re.search(html).group(1)) if total_re.search(html) else 0
        if total:
            relevant_total = (
                SelfHelpGroup.objects.public()
                .filter(topics__in=descendants[slug])
                .filter(pk__in=_result_pks(query))
                .distinct()
                .count()
            )
            precision.append(relevant_total / total)

    hits = sum(h for h, _n in found.values())
    print(f"\n{len(QUERIES)} queries on the state directory page")
    for language, (h, n) in sorted(found.items()):
        print(f"  {language:8} {h:3}/{n:3} find a relevant group ({100 * h / n:.0f} %)")
    print(
        f"found a relevant group: {hits}/{len(QUERIES)} = {100 * hits / len(QUERIES):.1f} % "
        f"(target >= 95 %)"
    )
    print(
        f"share of results that belong to the expected topic: "
        f"mean {100 * statistics.mean(precision):.1f} %, "
        f"median {100 * statistics.median(precision):.1f} %"
    )
    for label, values in (
        ("page time (wall clock)", timings),
        ("page time, Python CPU only (without PostgreSQL's)", cpu),
        ("understanding the words (vocabulary and lexicon, wall clock)", understanding),
    ):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{label}: p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms")
    print("(target: page p95 <= 50 ms at 20,000 groups on an otherwise idle machine)")
    if failures:
        print("\nnot found:")
        for language, query, slug, names in failures:
            print(f"  [{language}] {query!r} (expected {slug}); first results: {names}")


def _result_pks(query):
    from directory.search import DirectorySearch, _text_condition, interpret

    search = DirectorySearch({"q": query})
    terms = interpret(query)
    queryset = search.base_queryset()
    matching = queryset.filter(_text_condition(terms))
    if not matching.exists():
        understood = [t for t in terms if t.understood]
        matching = queryset.filter(_text_condition(understood))
    return matching.values("pk")


def lexicon_size():
    from directory.models import SearchWord

    return SearchWord.objects.count()


if __name__ == "__main__":
    main()
