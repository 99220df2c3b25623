"""The embedded default under load: the development server and the task worker, as
``python3 dev.py start`` runs them, share one SQLite file while an office's editors save
pages, an image and events at the same time. No save may be lost and none may fail.

These tests run real processes against a SQLite file of their own (whatever database
the rest of the suite uses), because the failure they guard against, "database is
locked", only happens between processes.
"""

import datetime
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _free_port():
    """A port nothing listens on now (a fixed one could be taken on a CI machine)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()
HOST = "kiss-last.localhost"
PASSWORD = "last-test-passwort-42"
PAGES = 8
EVENTS = 11

SETUP = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Collection, Site
from events.models import EventIndexPage
from home.models import StandardPage
from sites.provisioning import office_groups

site = Site.objects.get(hostname=HOST)
office = site.office
user = get_user_model().objects.create_user("redaktion", "r@example.org", PASSWORD)
user.groups.add(*office_groups(office))
home = site.root_page
pages = []
for n in range(PAGES):
    page = StandardPage(title=f"Seite {n}", slug=f"seite-{n}", intro="Start")
    home.add_child(instance=page)
    page.save_revision().publish()
    pages.append(page.pk)
events = EventIndexPage.objects.descendant_of(home).get()
collection = Collection.objects.get(name=office.name)
print(json.dumps({"pages": pages, "events": events.pk, "collection": collection.pk}))
"""

COUNT = """
import json
from django_tasks_db.models import DBTaskResult
from wagtail.images.models import Image
from events.models import EventPage
from home.models import StandardPage

print(json.dumps({
    "titles": {p.pk: [p.title, p.live, p.has_unpublished_changes]
               for p in StandardPage.objects.filter(slug__startswith="seite-")},
    "events": sorted(EventPage.objects.filter(live=True).values_list("title", flat=True)),
    "images": list(Image.objects.values_list("title", flat=True)),
    "tasks": {s: DBTaskResult.objects.filter(status=s).count()
              for s in ("READY", "RUNNING", "SUCCESSFUL", "FAILED")},
}))
"""


def manage(env, *args):
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def shell(env, script, **values):
    prelude = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    return json.loads(manage(env, "shell", "-c", prelude + script).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """A migrated SQLite file with one provisioned office, an editor and eight pages."""
    tmp = tmp_path_factory.mktemp("embedded")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "create_office", "--hostname", HOST, "--name", "KISS Last", "--port", str(PORT))
    ids = shell(env, SETUP, HOST=HOST, PASSWORD=PASSWORD, PAGES=PAGES)
    return env, ids, tmp


def descendants(pid):
    """Pids of every living process below ``pid`` (from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pids):
    living = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.append(pid)
    return living


def start_dev_serve(env, log):
    """``dev.serve`` (what ``dev.py start`` runs after the demo load) in its own process."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; "
    code += f"sys.exit(dev.serve('127.0.0.1:{PORT}'))"
    return subprocess.Popen(
        [PYTHON, "-c", code], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


class Editor:
    """An office editor in the admin over HTTP, as a browser would be (session, CSRF)."""

    base = f"http://127.0.0.1:{PORT}"
    headers = {"Host": f"{HOST}:{PORT}"}

    def __init__(self):
        self.session = requests.Session()

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, headers=self.headers, timeout=120, **kwargs)

    def post(self, path, data, files=None):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        return self.session.post(
            self.base + path,
            data=data,
            files=files,
            headers=self.headers,
            allow_redirects=False,
            timeout=120,
        )

    def log_in(self):
        self.get("/admin/login/")
        response = self.post("/admin/login/", {"username": "redaktion", "password": PASSWORD})
        assert response.status_code == 302, response.text[-2000:]

    def clone(self):
        other = Editor()
        other.session.cookies.update(self.session.cookies)
        return other


def wait_for_server(editor, process, log_path, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, Path(log_path).read_text()[-3000:]
        try:
            if editor.get("/admin/login/").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError("The development server did not answer: " + log_path.read_text())


def page_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": f"Einleitung {title}",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


def event_form(n):
    start = datetime.date.today() + datetime.timedelta(days=30 + n)
    return nested_form_data(
        {
            "title": f"Treffen {n}",
            "slug": f"treffen-{n}",
            "start": f"{start} 18:00",
            "end": f"{start} 19:30",
            "frequency": "none",
            "interval": "1",
            "ordinal": "",
            "repeat_until": "",
            "repeat_count": "",
            "cancelled_dates": inline_formset([]),
            "extra_dates": inline_formset([]),
            "location_kind": "address",
            "room": "",
            "address": "Musterstraße 1, 10115 Berlin",
            "online_url": "",
            "category": "offenes-treffen",
            "audience": "",
            "cost": "",
            "accessibility": "",
            "description": rich_text("<p>Austausch.</p>"),
            "registration_deadline_hours": "24",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#0b5563").save(buffer, "PNG")
    return buffer.getvalue()


def test_twenty_parallel_admin_saves_beside_the_task_worker_all_persist_without_an_error(
    embedded,
):
    env, ids, tmp = embedded
    log_path = tmp / "serve.log"
    with open(log_path, "w") as log:
        process = start_dev_serve(env, log)
    try:
        editor = Editor()
        wait_for_server(editor, process, log_path)
        editor.log_in()
        # The forms open (and the server has loaded every admin module) before the rush.
        assert editor.get(f"/admin/pages/{ids['pages'][0]}/edit/").status_code == 200
        assert editor.get(f"/admin/pages/add/events/eventpage/{ids['events']}/").status_code == 200

        jobs = []
        for n, pk in enumerate(ids["pages"]):
            jobs.append(
                (f"/admin/pages/{pk}/edit/", page_form(f"Geändert {n}", f"seite-{n}"), None)
            )
        for n in range(EVENTS):
            jobs.append(
                (f"/admin/pages/add/events/eventpage/{ids['events']}/", event_form(n), None)
            )
        jobs.append(
            (
                "/admin/images/add/",
                {"title": "Gruppenraum", "collection": str(ids["collection"]), "tags": ""},
                {"file": ("raum.png", png(), "image/png")},
            )
        )
        assert len(jobs) == 20
        barrier = threading.Barrier(len(jobs))

        def save(job):
            path, data, files = job
            session = editor.clone()
            barrier.wait()
            response = session.post(path, data, files)
            return path, response.status_code, response.text[-1500:]

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = list(pool.map(save, jobs))
        failures = [(path, status, text) for path, status, text in results if status != 302]
        assert not failures, failures

        state = shell(env, COUNT)
        assert sorted(title for title, _live, _draft in state["titles"].values()) == [
            f"Geändert {n}" for n in range(PAGES)
        ]
        assert all(live and not draft for _title, live, draft in state["titles"].values())
        assert state["events"] == sorted(f"Treffen {n}" for n in range(EVENTS))
        assert state["images"] == ["Gruppenraum"]

        # The worker, running all along, works off the queue: the provisioning's and the
        # saves' index updates, with no task failing.
        deadline = time.monotonic() + 300
        while state["tasks"]["READY"] or state["tasks"]["RUNNING"]:
            assert time.monotonic() < deadline, state["tasks"]
            time.sleep(2)
            state = shell(env, COUNT)
        assert state["tasks"]["FAILED"] == 0, state["tasks"]
        assert state["tasks"]["SUCCESSFUL"] > 20
        assert "database is locked" not in log_path.read_text()
    finally:
        _stop_and_check_nothing_is_left(process)


def _stop_and_check_nothing_is_left(process):
    """Ctrl+C stops the server and the worker with everything they started."""
    family = descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    time.sleep(0.5)
    assert alive(family) == []


def test_ctrl_c_on_dev_start_stops_server_and_worker_with_no_process_left(embedded):
    env, _ids, tmp = embedded
    log_path = tmp / "serve-stop.log"
    with open(log_path, "w") as log:
        process = start_dev_serve(env, log)
    editor = Editor()
    wait_for_server(editor, process, log_path)
    family = descendants(process.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in family]
    # runserver and db_worker each run under their autoreloader: four processes.
    assert sum(b"runserver" in c for c in commands) >= 1
    assert sum(b"db_worker" in c for c in commands) >= 1
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    time.sleep(0.5)
    assert alive(family) == []
    assert "ended (exit code" not in log_path.read_text()


def test_when_one_supervised_process_ends_the_others_are_stopped_too():
    """If the worker dies, the server is stopped too: no half-running start is left."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; "
        "sys.exit(dev.supervise([[sys.executable, '-c', 'import time; time.sleep(600)'], "
        "[sys.executable, '-c', 'import sys; sys.exit(3)']]))"
    )
    process = subprocess.Popen([PYTHON, "-c", code], cwd=ROOT)
    time.sleep(1)
    family = descendants(process.pid)
    assert process.wait(timeout=30) == 3
    assert alive(family) == []


def test_sigterm_to_the_supervisor_stops_children_and_grandchildren():
    """A service manager's SIGTERM stops everything, as Ctrl+C does; a child that started
    a process of its own (as the autoreloader does) leaves nothing behind."""
    grandparent = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
        "time.sleep(600)"
    )
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; "
        f"sys.exit(dev.supervise([[sys.executable, '-c', {grandparent!r}]] * 2))"
    )
    process = subprocess.Popen([PYTHON, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 30
    while len(descendants(process.pid)) < 4:
        assert time.monotonic() < deadline, descendants(process.pid)
        time.sleep(0.2)
    family = descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert alive(family) == []
