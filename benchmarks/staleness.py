"""Staleness after publish through the shipped cache, and the cache's throughput.

Run: ``.venv/bin/python benchmarks/staleness.py`` (needs Debian's ``varnish``; ``wrk`` and
``nginx`` for the throughput part; PostgreSQL at ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/staleness_bench``, created and dropped by the script;
Redis at ``REDIS_URL`` for the shared application cache, default database 6).

It loads the demo network (13 sites), runs the application with gunicorn (production
settings, ``platform/gunicorn.conf.py``, no ``db_worker``) behind varnishd with the
shipped ``platform/varnish.vcl``, and from this process publishes, as an editor would:

1. a content page's new title (shown on the page and in every page's menu),
2. an event's new title (shown on the office's home page teaser),
3. a group's new name (shown in the directory of its office's site),

each while the page that shows it is cached (checked: ``X-Cache: HIT``), and prints how
long after the publish call the change shows through the cache (target <= 1 s; the
entries would otherwise live for ``HTTP_CACHE_SECONDS``).

Then it measures the cached home page with ``wrk`` (20 different browser
``Accept-Language`` values, rotating per request) against nginx serving the same bytes
as a static file, in interleaved rounds, and prints the ratio (target >= 0.9).

Ports: 8600-8699 (gunicorn, varnishd, nginx; ``PORT_RANGE=8700-8799`` moves them).
``--keep`` leaves the database with the demo network; ``--reuse`` measures again on such
a kept database without loading it (for iterating; report figures from a full run).
"""

import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sites.http_server import request  # noqa: E402
from tests.varnish import VARNISHD, free_port, running_varnish  # noqa: E402

HOST = "pankow.localhost"
REPEATS = 5
WRK_SECONDS = int(os.environ.get("WRK_SECONDS", "8"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
LANGUAGES = [
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "de",
    "de-AT,de;q=0.9",
    "de-CH,de;q=0.9,fr;q=0.5",
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "tr-TR,tr;q=0.9,de;q=0.8",
    "ar-SA,ar;q=0.9,en;q=0.5",
    "uk-UA,uk;q=0.9,ru;q=0.8",
    "ru-RU,ru;q=0.9",
    "pl-PL,pl;q=0.9,de;q=0.7",
    "fr-FR,fr;q=0.9",
    "it-IT,it;q=0.9",
    "es-ES,es;q=0.9",
    "fa-IR,fa;q=0.9",
    "vi-VN,vi;q=0.9",
    "ro-RO,ro;q=0.9",
    "bg-BG,bg;q=0.9",
    "el-GR,el;q=0.9",
    "ku,tr;q=0.8,de;q=0.5",
]


def environment(database_url, cache_port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "staleness-benchmark-" + "k" * 40 + "0123456789",
        "DJANGO_ALLOWED_HOSTS": ".localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DEFAULT_FROM_EMAIL": "Selbsthilfe <noreply@localhost>",
        "WAGTAILADMIN_BASE_URL": "http://localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"),
        "CACHE_KEY_PREFIX": f"staleness-{os.getpid()}",
        "FRONTEND_CACHE_URL": f"http://127.0.0.1:{cache_port}",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="staleness-media-"),
        "STATIC_ROOT": tempfile.mkdtemp(prefix="staleness-static-"),
        "LOG_LEVEL": "WARNING",
    }


def psql(database_url, sql):
    parts = urllib.parse.urlsplit(database_url)
    admin = parts._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)


def until_shown(port, targets, limit=10.0):
    """Poll ``{path: text}`` through the cache until each page shows its text; ``{path:
    seconds}`` (None: not within ``limit``). One visitor polls the pages in turn, so the
    figure of the second page includes the miss of the first (the home page's menu after
    the page's own URL); ``STALENESS_CONCURRENT=1`` polls each page by a visitor of its
    own (a thread each) instead, which on a loaded machine adds contention of its own."""
    started = time.monotonic()
    shown = {}
    if not os.environ.get("STALENESS_CONCURRENT"):
        while len(shown) < len(targets) and time.monotonic() - started < limit:
            for path, text in targets.items():
                if path not in shown and text.encode() in request(port, path, host=HOST).body:
                    shown[path] = time.monotonic() - started
            time.sleep(0.005)
        return {path: shown.get(path) for path in targets}

    def visitor(path, text):
        while time.monotonic() - started < limit:
            if text.encode() in request(port, path, host=HOST).body:
                shown[path] = time.monotonic() - started
                return
            time.sleep(0.005)

    threads = [threading.Thread(target=visitor, args=item) for item in targets.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {path: shown.get(path) for path in targets}


def assert_cached(port, path):
    request(port, path, host=HOST)
    response = request(port, path, host=HOST)
    if response.header("X-Cache") != "HIT":
        raise SystemExit(f"{path} is not served from the cache: {response.header('Cache-Control')}")


def staleness(port):
    """Publish the three kinds of change REPEATS times each; seconds until visible."""
    from django.utils import timezone

    from directory.models import SelfHelpGroup
    from events.models import EventIndexPage, EventPage
    from home.models import StandardPage
    from sites.models import Office

    office = Office.objects.select_related("site__root_page").get(site__hostname=HOST)
    home = office.site.root_page
    for old in StandardPage.objects.child_of(home).filter(slug="angebot-bench"):
        old.delete()  # left by an earlier run with --keep
    page = StandardPage(title="Unser Angebot", slug="angebot-bench", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    listing = EventIndexPage.objects.child_of(home).get()
    for old in EventPage.objects.child_of(listing).filter(title__startswith="Erzählcafé"):
        old.delete()  # left by an earlier run with --keep
    event = EventPage(
        title="Erzählcafé",
        start=timezone.now() + datetime.timedelta(minutes=90),
        end=timezone.now() + datetime.timedelta(minutes=150),
        location_kind="address",
        address="Kontaktstelle",
    )
    listing.add_child(instance=event)
    event.save_revision().publish()
    # The office's newest public group: shown in its directory and on its home page.
    group = SelfHelpGroup.objects.public().filter(office=office).order_by("-created_at", "-pk")
    group = group.first()

    results = {
        "page (its own URL)": [],
        "page (menu on home)": [],
        "event (home teaser)": [],
        "group (directory)": [],
        "group (home, newest)": [],
    }
    publish_calls = []

    def publish(obj):
        """The editor's publish (revision, publish, commit, ban); its duration."""
        started = time.monotonic()
        obj.save_revision().publish()
        publish_calls.append(time.monotonic() - started)

    for round_ in range(REPEATS):
        # 1. content page: its URL, and the menu of the home page
        title = f"Unser Angebot {round_}"
        assert_cached(port, "/angebot-bench/")
        assert_cached(port, "/")
        page = StandardPage.objects.get(pk=page.pk)
        page.title = title
        publish(page)
        shown = until_shown(port, {"/angebot-bench/": title, "/": title})
        results["page (its own URL)"].append(shown["/angebot-bench/"])
        results["page (menu on home)"].append(shown["/"])
        # 2. event on the home teaser
        name = f"Erzählcafé Runde {round_}"
        assert_cached(port, "/")
        event = EventPage.objects.get(pk=event.pk)
        event.title = name
        publish(event)
        results["event (home teaser)"].append(until_shown(port, {"/": name})["/"])
        # 3. group in the directory and on its office's home page
        if group is not None:
            name = f"{group.name.split(' #')[0]} #{round_}"
            assert_cached(port, "/gruppen/")
            assert_cached(port, "/")
            group = SelfHelpGroup.objects.get(pk=group.pk)
            group.name = name
            publish(group)
            shown = until_shown(port, {"/gruppen/": name, "/": name})
            results["group (directory)"].append(shown["/gruppen/"])
            results["group (home, newest)"].append(shown["/"])
    results["_publish_calls"] = publish_calls
    return results


WRK_SCRIPT = """
local languages = %s
local i = 0
request = function()
  i = i + 1
  local language = languages[(i %% #languages) + 1]
  return wrk.format("GET", "%s", {["Host"] = "%s", ["Accept-Language"] = language})
end
"""


def wrk(url, path, host, languages):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lua_list = "{" + ",".join(json.dumps(lang) for lang in languages) + "}"
        script.write(WRK_SCRIPT % (lua_list, path, host))
    try:
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{WRK_SECONDS}s", "--latency", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(next(line for line in out.splitlines() if "Requests/sec" in line).split()[-1])
    p99 = next(
        (line.split()[-1] for line in out.splitlines() if line.strip().startswith("99%")), "?"
    )
    non2xx = next((line for line in out.splitlines() if "Non-2xx" in line), "")
    return rps, p99, non2xx


NGINX_CONF = """
worker_processes 2;
daemon off;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %(dir)s/body;
    proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fastcgi;
    uwsgi_temp_path %(dir)s/uwsgi;
    scgi_temp_path %(dir)s/scgi;
    server {
        listen 127.0.0.1:%(port)d;
        location = / {
            default_type "text/html; charset=utf-8";
            root %(dir)s;
            try_files /home.html =404;
        }
    }
}
"""


def throughput(cache_port):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not shutil.which("wrk") or not nginx:
        print("\nThroughput: skipped (needs wrk and nginx from Debian)")
        return
    body = request(cache_port, "/", host=HOST).body
    workdir = Path(tempfile.mkdtemp(prefix="staleness-nginx-"))
    workdir.chmod(0o755)
    (workdir / "home.html").write_bytes(body)
    (workdir / "home.html").chmod(0o644)
    port = free_port()
    (workdir / "nginx.conf").write_text(NGINX_CONF % {"dir": workdir, "port": port})
    server = subprocess.Popen([nginx, "-c", str(workdir / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                if request(port, "/", host=HOST).status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        assert request(port, "/", host=HOST).body == body
        varnish_url = f"http://127.0.0.1:{cache_port}"
        static_url = f"http://127.0.0.1:{port}"
        wrk(varnish_url, "/", HOST, LANGUAGES[:1])  # warm both
        wrk(static_url, "/", HOST, LANGUAGES[:1])
        cached, single, static, details = [], [], [], []
        for _ in range(ROUNDS):
            rps_c, p99_c, errors_c = wrk(varnish_url, "/", HOST, LANGUAGES)
            rps_1, p99_1, errors_1 = wrk(varnish_url, "/", HOST, LANGUAGES[:1])
            rps_s, p99_s, errors_s = wrk(static_url, "/", HOST, LANGUAGES)
            cached.append(rps_c)
            single.append(rps_1)
            static.append(rps_s)
            details.append(
                (rps_c, p99_c, rps_1, p99_1, rps_s, p99_s, errors_c or errors_1 or errors_s)
            )
        print(f"\nThroughput of the cached home page ({len(body):,} bytes),")
        print(f"wrk -t2 -c16 -d{WRK_SECONDS}s, {len(LANGUAGES)} browser Accept-Language values")
        print(f"rotating, {ROUNDS} interleaved rounds:")
        for rps_c, p99_c, rps_1, p99_1, rps_s, p99_s, errors in details:
            print(
                f"  Varnish, 20 languages {rps_c:>8,.0f} req/s p99 {p99_c:>8} | "
                f"1 language {rps_1:>8,.0f} req/s p99 {p99_1:>8} | "
                f"nginx static {rps_s:>8,.0f} req/s p99 {p99_s:>8} {errors}"
            )
        split = statistics.median(cached) / statistics.median(single)
        print(f"  median ratio 20 languages / 1 language through Varnish: {split:.2f}x")
        print("  (1.0x: one cache entry serves every browser language)")
        ratio = statistics.median(cached) / statistics.median(static)
        verdict = "ok" if ratio >= 0.9 else "BELOW TARGET"
        print(
            f"  median ratio Varnish / nginx static file: {ratio:.2f}x (target >= 0.9x: {verdict})"
        )
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def remove_temporary_directories(env):
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        shutil.rmtree(env[name], ignore_errors=True)


def main():
    if VARNISHD is None:
        raise SystemExit("varnishd is not installed (Debian: apt-get install varnish)")
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/staleness_bench"
    )
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    reuse, keep = "--reuse" in sys.argv, "--keep" in sys.argv or "--reuse" in sys.argv
    app_port, cache_port = free_port(), None
    if not reuse:
        psql(database_url, f'DROP DATABASE IF EXISTS "{name}"')
        psql(database_url, f'CREATE DATABASE "{name}"')
    gunicorn = env = None
    try:
        with running_varnish(app_port) as cache_port:
            env = environment(database_url, cache_port)
            os.environ.update(env)
            python = str(ROOT / ".venv" / "bin" / "python")
            started = time.monotonic()
            commands = [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]]
            commands += [] if reuse else [["load_demo"]]
            for command in commands:
                subprocess.run(
                    [python, "manage.py", *command],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            print(f"Demo network ready in {time.monotonic() - started:.0f} s", flush=True)
            gunicorn = subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "-c",
                    str(ROOT / "platform" / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{app_port}",
                    "--workers",
                    "2",
                    "--access-logfile",
                    "/dev/null",
                    "config.wsgi",
                ],
                cwd=ROOT,
                env={**env, "GUNICORN_LOG_LEVEL": "warning"},
            )
            deadline = time.monotonic() + 120
            while True:
                if gunicorn.poll() is not None:
                    raise SystemExit("gunicorn exited")
                try:
                    if request(app_port, "/", host=HOST).status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer within 120 s")
                time.sleep(0.2)
            import django

            django.setup()
            results = staleness(cache_port)
            calls = results.pop("_publish_calls")
            print("\nStaleness after publish through Varnish: seconds from the end of the")
            print("editor's publish (committed, ban sent) until the change shows through the")
            print(f"cache; {REPEATS} publishes each, no db_worker running. The publish itself took")
            print(
                f"median {statistics.median(calls):.3f} s, max {max(calls):.3f} s "
                f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)."
            )
            for label, values in results.items():
                if not values:
                    print(f"  {label:<22} (no data)")
                    continue
                missing = sum(v is None for v in values)
                shown = [v for v in values if v is not None] or [float("nan")]
                worst = max(shown)
                verdict = "ok" if not missing and worst <= 1.0 else "ABOVE TARGET"
                print(
                    f"  {label:<22} median {statistics.median(shown):.3f}  max {worst:.3f}"
                    f"  not shown within 10 s: {missing}  (target <= 1 s: {verdict})"
                )
            throughput(cache_port)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait()
        if env is not None:
            remove_temporary_directories(env)
        from django.db import connections

        connections.close_all()
        if not keep:
            psql(database_url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
