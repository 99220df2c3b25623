"""Newsletter send benchmark: our sender against a plain smtplib loop (the ceiling).

    .venv/bin/python benchmarks/newsletter_bench.py [--subscribers 10000]

Builds a throw-away database (SQLite in a temp directory unless DATABASE_URL is set),
provisions a coordination office, 10,000 confirmed subscribers and one issue with rich
text, a call to action and two self-filling blocks (providers registered here, standing in
for events and the group directory), then starts an aiosmtpd sink in a separate process.

1. Ceiling: one message of the issue is rendered once; a plain ``smtplib`` loop sends that
   many copies of the same bytes over one connection to the sink.
2. Ours: ``newsletter.sending.run_dispatch`` sends the issue (personal links, one delivery
   record committed per accepted message), rate limit off.

Prints messages/second of both, the ratio, and the peak memory (max RSS of the process,
which includes Django and the data set up before) plus the growth of RSS during our send.
Targets: ratio >= 50 %, peak memory <= 300 MB.
"""

import argparse
import datetime
import multiprocessing
import os
import resource
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sink(port, ready, counter):
    """An aiosmtpd server that accepts and counts every message."""
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="profile our sender")
    parser.add_argument(
        "--sqlite-default-journal",
        action="store_true",
        help="keep SQLite's rollback journal with an fsync per commit instead of WAL",
    )
    args = parser.parse_args()
    n = args.subscribers

    tmp = tempfile.TemporaryDirectory(prefix="newsletter-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("MEDIA_ROOT", tmp.name)

    port = _free_port()
    ready = multiprocessing.Event()
    counter = multiprocessing.Value("i", 0)
    sink = multiprocessing.Process(target=_sink, args=(port, ready, counter), daemon=True)
    sink.start()
    ready.wait(10)

    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.NEWSLETTER_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = ["*"]

    from django.core.management import call_command
    from django.db import connection
    from django.db.backends.signals import connection_created

    def sqlite_wal(sender, connection, **kwargs):
        # SQLite as it should run in production: write-ahead log, fsync at checkpoints
        # (a process crash loses nothing; only a power cut may lose the last commits).
        if connection.vendor == "sqlite" and not args.sqlite_default_journal:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")

    connection_created.connect(sqlite_wal)
    from django.utils import timezone

    test_db = None
    if connection.vendor == "postgresql":
        # Use a database of our own, never the one DATABASE_URL names.
        from django.test.utils import setup_databases

        test_db = setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)

    from newsletter import sources
    from newsletter.models import (
        ConsentText,
        Dispatch,
        MailingList,
        NewsletterIssue,
        NewsletterPage,
        Subscriber,
        Subscription,
    )
    from newsletter.sending import run_dispatch
    from sites.provisioning import OfficeSpec, provision_office

    def events(month, locale):
        return [
            sources.Item(
                title=f"Veranstaltung {i}",
                url=f"https://kontaktstelle-{i}.example/veranstaltungen/{i}/",
                date=month + datetime.timedelta(days=i),
                office=f"Kontaktstelle {i}",
            )
            for i in range(8)
        ]

    def groups(month, locale):
        return [
            sources.Item(title=f"Neue Gruppe {i}", url=f"https://land.example/gruppen/{i}/")
            for i in range(6)
        ]

    sources.register("events", events, label="Veranstaltungen")
    sources.register("new_groups", groups, label="Neue Gruppen")

    print(f"Setting up {n} confirmed subscribers ...", flush=True)
    office = provision_office(
        OfficeSpec(hostname="land.example", name="Landeskoordination", state=True)
    )
    office.email = "newsletter@land.example"
    office.save()
    mailing_list = MailingList.objects.create(office=office, name="Landesnewsletter")
    page = NewsletterPage(title="Newsletter", slug="newsletter")
    office.site.root_page.add_child(instance=page)
    page.save_revision().publish()
    paragraph = "<p>" + "Neuigkeiten aus der Selbsthilfe. " * 40 + "</p>"
    issue = NewsletterIssue(
        title="Newsletter Mai",
        slug="mai",
        month=datetime.date(2026, 5, 1),
        mailing_list=mailing_list,
        body=[
            ("heading", "Aus der Landeskoordination"),
            ("paragraph", paragraph),
            ("auto_content", {"heading": "Termine", "source": "events", "limit": 8}),
            ("auto_content", {"heading": "Neue Gruppen", "source": "new_groups", "limit": 6}),
            ("paragraph", paragraph),
            (
                "call_to_action",
                {"label": "Mitmachen", "url": "https://land.example/mitmachen", "page": None},
            ),
        ],
    )
    page.add_child(instance=issue)
    issue.save_revision().publish()
    consent = ConsentText.current()
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"person{i:05d}@example.org") for i in range(n)], batch_size=2000
    )
    if not subscribers[0].pk:
        subscribers = list(Subscriber.objects.order_by("pk"))
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=s,
                mailing_list=mailing_list,
                status="confirmed",
                requested_at=now,
                confirmed_at=now,
                consent_text=consent,
                consent_version=consent.version,
                consent_copy=consent.text,
            )
            for s in subscribers
        ],
        batch_size=2000,
    )
    del subscribers

    # --- 1. Ceiling: the same number of pre-rendered messages of the same size -------------
    from newsletter.mail import IssueMailer

    sample = IssueMailer(issue, mailing_list).message(Subscriber.objects.first())
    raw = sample.message().as_bytes(linesep="\r\n")
    sender = sample.from_email
    smtp = smtplib.SMTP("127.0.0.1", port)
    start = time.perf_counter()
    for i in range(n):
        smtp.sendmail(sender, [f"person{i:05d}@example.org"], raw)
    smtp.quit()
    ceiling_seconds = time.perf_counter() - start
    ceiling_rate = n / ceiling_seconds

    # --- 2. Ours ----------------------------------------------------------------------------
    dispatch = Dispatch.objects.create(
        issue=issue, mailing_list=mailing_list, scheduled_for=timezone.now()
    )
    rss_before = _maxrss_mb()
    before = counter.value
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    counts = run_dispatch(dispatch.pk)
    ours_seconds = time.perf_counter() - start
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    ours_rate = n / ours_seconds
    received = counter.value - before
    peak = _maxrss_mb()

    journal = ""
    if connection.vendor == "sqlite":
        journal = (
            " (rollback journal)" if args.sqlite_default_journal else " (WAL, synchronous=NORMAL)"
        )
    print(f"database:             {connection.vendor}{journal}")
    print(f"message size:         {len(raw) / 1024:.1f} KiB")
    print(
        f"ceiling (smtplib):    {n} messages in {ceiling_seconds:.2f} s = {ceiling_rate:.0f} msg/s"
    )
    print(f"newsletter sender:    {n} messages in {ours_seconds:.2f} s = {ours_rate:.0f} msg/s")
    print(f"ratio:                {ours_rate / ceiling_rate:.0%} of the ceiling (target >= 50 %)")
    print(f"peak memory (maxrss): {peak:.0f} MB (target <= 300 MB)")
    print(f"RSS growth in send:   {peak - rss_before:.0f} MB")
    print(f"deliveries:           {counts}; sink received {received}")
    ok = counts["sent"] == n and received == n and ours_rate >= 0.5 * ceiling_rate and peak <= 300
    sink.terminate()
    if test_db is not None:
        from django.test.utils import teardown_databases

        teardown_databases(test_db, verbosity=0)
    print("RESULT:", "targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
