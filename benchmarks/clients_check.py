"""Interoperability check: real calendar clients read our feeds, the official HSDS schemas
accept our directory records.

Run from the repository root (after ``python3 dev.py test`` or
``python3 -c 'from tests.clients.clients import install; install()'`` has installed the
clients):

    .venv/bin/python benchmarks/clients_check.py            # temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clients_check \\
        .venv/bin/python benchmarks/clients_check.py

It migrates a fresh database, loads the demo network (13 sites on port 8000), adds to two
offices and the state coordination events with every recurrence feature across both
daylight-saving changes of the next 12 months (weekly open-ended with cancelled and extra
dates, monthly "2nd Tuesday" with COUNT, every second week with UNTIL, "last Friday",
all-day single and weekly, single dates on the days of the changes), and then

1. downloads every site's ``/events.ics``, every listing's feed (``…/ical/``, in every
   language) and every event's own file, has Mozilla's ical.js (Thunderbird), libical (Evolution)
   and recurring-ical-events expand them for 12 months, and compares each occurrence's
   start and end with the site's own listing (the ``Occurrence`` rows the listing pages
   show); libical's parser and RFC 5545/5546 restriction check count as the validator;
2. walks the HSDS API (every list page, every record by id) and the HSDS export and
   validates every record with ``jsonschema`` against the official Open Referral schemas.

It prints tool and version, files, occurrences compared, mismatches and errors, and the
HSDS records validated and errors by kind. Exit status 1 if anything is off.
"""

import os
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = None
if not os.environ.get("DATABASE_URL"):
    _fd, _tmp = tempfile.mkstemp(suffix=".sqlite3")
    os.close(_fd)
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}"

# whitenoise warns that STATIC_ROOT (filled by collectstatic in production) is absent.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tests.clients import clients  # noqa: E402
from tests.clients.feeds import add_feature_events, collect, judge, window  # noqa: E402
from tests.directory.hsds_validation import validate_api  # noqa: E402

SHOW = 5  # mismatches and errors printed per tool


def check_feeds():
    from events.models import EventIndexPage, NetworkCalendarPage
    from sites.models import Office

    for office in Office.objects.filter(kind="state"):
        add_feature_events(NetworkCalendarPage.objects.child_of(office.site.root_page).get())
    for office in Office.objects.exclude(kind="state").order_by("pk")[:2]:
        add_feature_events(EventIndexPage.objects.child_of(office.site.root_page).get())
    lo, hi = window()
    missing = clients.missing()
    for tool, reason in missing.items():
        print(f"  {tool}: NOT RUN ({reason})")
    ok = not missing
    with tempfile.TemporaryDirectory() as folder:
        files = collect(folder, lo, hi)
        kinds = Counter(f.path.name.split("-")[0] for f in files)
        print(
            f"  {len(files)} files ({kinds['site']} /events.ics, {kinds['feed']} listing feeds "
            f"incl. translations, {kinds['event']} event files), "
            f"window {lo:%Y-%m-%d} – {hi:%Y-%m-%d}, "
            f"{sum(len(f.expected) for f in files)} occurrences listed by the site"
        )
        print(
            f"  {'client':24} {'version':10} {'files':>5} {'compared':>9} {'mismatch':>9} "
            f"{'errors':>7}"
        )
        tools = [t for t in clients.TOOLS if t not in missing]
        for verdict in judge(files, lo, hi, tools=tools):
            print(
                f"  {verdict.tool:24} {verdict.version:10} {verdict.files:5} "
                f"{verdict.compared:9} {len(verdict.mismatches):9} {len(verdict.errors):7}"
            )
            for item in verdict.mismatches[:SHOW]:
                print("      mismatch:", *item)
            for item in verdict.errors[:SHOW]:
                print("      error:", *item)
            ok = ok and not verdict.mismatches and not verdict.errors
    return ok


def check_hsds():
    from sites.models import Office

    state = Office.objects.get(kind="state")
    host = f"{state.site.hostname}:{state.site.port}"
    report = validate_api(Client(), host)
    print(
        f"  {report.records} records validated (every list item, every record by id, "
        f"the export's services); ids: " + ", ".join(f"{k} {len(v)}" for k, v in report.ids.items())
    )
    print(f"  {len(report.errors)} errors")
    for kind, count in report.kinds().most_common():
        print(f"      {count:5}  {kind}")
    return not report.errors


def main():
    from importlib.metadata import version

    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print("\niCalendar feeds in calendar clients")
    feeds_ok = check_feeds()
    print(
        f"\nOpen Referral HSDS 3.0 (jsonschema {version('jsonschema')}, official schemas "
        "openreferral/specification 279fd2e)"
    )
    hsds_ok = check_hsds()
    return 0 if feeds_ok and hsds_ok else 1


if __name__ == "__main__":
    try:
        status = main()
    finally:
        if _tmp:
            os.unlink(_tmp)
    sys.exit(status)
