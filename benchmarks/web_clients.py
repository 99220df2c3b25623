"""Real web clients on the demo network: Lighthouse and the Nu HTML Checker.

Run from the repository root (the clients come from ``npm ci`` in ``tests/clients/web``;
Lighthouse drives ``/usr/bin/chromium``, the checker runs on Java 17):

    .venv/bin/python benchmarks/web_clients.py                    # temporary demo database
    .venv/bin/python benchmarks/web_clients.py --db var/wc.sqlite3   # keep / reuse it
    .venv/bin/python benchmarks/web_clients.py --no-lighthouse    # only the HTML checker

It loads the demo network (the state coordination and one office) into a SQLite database,
serves it with ``runserver`` on a port of its own (default 8161), and

- fetches every public page type (home, content page, events list, month calendar and
  archive, event, registration form, directory, directory search with filters, group page,
  contact and "found a group" forms, a 404, the English home, the network calendar, the
  form pages after a bad submission) and runs vnu.jar over all of them: errors per page;
- runs Lighthouse (accessibility and SEO, mobile and desktop) on the seven page types the
  issue names (home, content page, events list, month calendar, event, directory, group
  page): scores and every failing audit.

Chromium resolves ``*.localhost`` to this machine itself; the flag
``--host-resolver-rules=MAP *.localhost 127.0.0.1`` makes sure of it.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.clients import nu  # noqa: E402

WEB = ROOT / "tests" / "clients" / "web"
LIGHTHOUSE = WEB / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --host-resolver-rules=MAP *.localhost 127.0.0.1"
)
LIGHTHOUSE_TYPES = ("home", "content", "events", "calendar", "event", "directory", "group")


def run_manage(env, *args):
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}.")


def fetch(url, data=None):
    """GET (or POST) ``url`` on this machine, whatever hostname it names."""
    parts = urllib.parse.urlsplit(url)
    local = parts._replace(netloc=f"127.0.0.1:{parts.port or 80}").geturl()
    request = urllib.request.Request(local, data=data, headers={"Host": parts.netloc})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def discover(env):
    """``[(kind, url)]`` of the page types on the first regional office's site (and a few
    of the state site), looked up in the demo database."""
    code = """
import json, django
django.setup()
from directory.models import DirectoryPage, SelfHelpGroup
from events.models import EventIndexPage, EventPage, NetworkCalendarPage
from home.models import ContactPage, GroupFoundingPage, StandardPage
from sites.models import Office
from sites.tenancy import pages_of_site
office = Office.objects.filter(kind="regional").select_related("site").order_by("pk").first()
state = Office.objects.filter(kind="state").select_related("site").first()
site = office.site
pages = pages_of_site(site).live().filter(locale__language_code="de")
def url(model, **filters):
    page = model.objects.live().filter(pk__in=pages.values("pk"), **filters).first()
    return page.get_full_url() if page else None
directory = url(DirectoryPage)
group = SelfHelpGroup.objects.public().filter(office=office).order_by("pk").first()
events = url(EventIndexPage)
event = EventPage.objects.live().filter(pk__in=pages.values("pk")).order_by("pk")
registration = event.filter(registration_enabled=True).first()
state_calendar = NetworkCalendarPage.objects.live().first()
found = [
    ("home", site.root_url + "/"),
    ("content", url(StandardPage, slug="barrierefreiheit")),
    ("events", events),
    ("calendar", events + "kalender/"),
    ("archive", events + "archiv/"),
    ("event", event.first().get_full_url()),
    ("directory", directory),
    ("group", directory + group.get_public_path()),
    ("directory-search", directory + "?q=Angeh%C3%B6rige&format=in_person&evening=on"),
    ("directory-bad-query", directory + "?weekday=9&topic=%3Cx%3E"),
    ("events-bad-month", events + "kalender/?monat=2026-13"),
    ("contact", url(ContactPage)),
    ("founding", url(GroupFoundingPage)),
    ("english-home", site.root_url + "/en/"),
    ("not-found", site.root_url + "/gibt-es-nicht/"),
    ("network-calendar", state_calendar.get_full_url() + "kalender/" if state_calendar else None),
]
if registration:
    from events.models import Occurrence
    occurrence = Occurrence.objects.filter(event=registration).order_by("-start").first()
    if occurrence:
        found.append(("registration", registration.get_full_url() + "anmeldung/"
                      + occurrence.token + "/"))
print(json.dumps({"port": site.port, "pages": [(k, u) for k, u in found if u]}))
"""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def check_html(pages, folder):
    """Fetch every page (and post the two office forms empty) and run vnu.jar on all."""
    files = {}
    for kind, url in pages:
        status, body = fetch(url)
        path = folder / f"{kind}.html"
        path.write_bytes(body)
        files[str(path.resolve())] = (kind, url, status)
    messages = nu.errors(files)
    by_file = {}
    for message in messages:
        by_file.setdefault(message["file"], []).append(message)
    print(f"\nNu HTML Checker {nu.version()} (Java: {nu.java()})")
    print(f"{'page':<22} {'HTTP':>4} {'errors':>6}  url")
    for path, (kind, url, status) in files.items():
        print(f"{kind:<22} {status:>4} {len(by_file.get(path, [])):>6}  {url}")
        for message in by_file.get(path, []):
            print("    " + nu.describe(message))
    print(f"{len(files)} documents, {len(messages)} errors")
    return len(messages)


def lighthouse_version():
    return json.loads((WEB / "node_modules" / "lighthouse" / "package.json").read_text())["version"]


def lighthouse(url, form_factor, folder):
    out = folder / f"lh-{abs(hash((url, form_factor)))}.json"
    args = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--only-categories=accessibility,seo",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        args.append("--preset=desktop")
    subprocess.run(args, check=True, env=dict(os.environ, CHROME_PATH=CHROME), cwd=WEB)
    report = json.loads(out.read_text())
    scores, failing = {}, []
    for key, category in report["categories"].items():
        scores[key] = round((category["score"] or 0) * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{key}: {ref['id']} ({audit['title']})")
    return scores, failing


def check_lighthouse(pages, folder, form_factors):
    print(f"\nLighthouse {lighthouse_version()} with {CHROME}")
    print(f"{'page':<12} {'device':<8} {'a11y':>5} {'SEO':>5}  failing audits")
    worst = 100
    for kind, url in pages:
        if kind not in LIGHTHOUSE_TYPES:
            continue
        for form_factor in form_factors:
            scores, failing = lighthouse(url, form_factor, folder)
            worst = min(worst, *scores.values())
            print(
                f"{kind:<12} {form_factor:<8} {scores.get('accessibility', 0):>5} "
                f"{scores.get('seo', 0):>5}  {'; '.join(failing) or '-'}"
            )
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--port", type=int, default=8161, help="port of the demo sites (a new database only)"
    )
    parser.add_argument("--db", help="SQLite file to use (loaded with the demo if missing)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--form-factors", default="mobile,desktop")
    args = parser.parse_args()
    missing = nu.available()
    if missing:
        raise SystemExit(missing)
    work = Path(tempfile.mkdtemp(prefix="web-clients-"))
    db = Path(args.db).resolve() if args.db else work / "demo.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(db.parent / f"{db.stem}-media"),
        PYTHONPATH=str(ROOT),
    )
    new = not db.exists()
    run_manage(env, "migrate", "--noinput", "-v", "0")
    if new:
        print(f"Loading the demo network into {db} …", flush=True)
        run_manage(env, "load_demo", "--port", str(args.port), "--offices", "1")
    found = discover(env)
    port = found["port"]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        pages = found["pages"]
        errors = check_html(pages, work)
        worst = 100
        if not args.no_lighthouse:
            worst = check_lighthouse(pages, work, args.form_factors.split(","))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.db:
            shutil.rmtree(db.parent / f"{db.stem}-media", ignore_errors=True)
            db.unlink(missing_ok=True)
    print(f"\nResult: {errors} HTML errors; lowest Lighthouse score {worst}. Files in {work}")
    return 0 if errors == 0 and worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
