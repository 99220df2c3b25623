"""Uncached pages of this platform against Wagtail's bakerydemo, side by side (issue #14).

    .venv/bin/python benchmarks/reference.py [--rounds 5] [--seconds 5] [--workers 2]

Both applications run under gunicorn with the same number of sync workers on 127.0.0.1,
on PostgreSQL, without any HTTP cache in front; ``wrk`` (Debian package ``wrk``) loads one
URL at a time with a fixed number of connections for a fixed time. The rounds interleave
all URLs (bakerydemo's home page, then each platform page, then again), so that load from
other programs on the machine hits both alike; the figures are medians over the rounds.
It prints requests per second and latency per URL and the four ratios
``platform page / bakerydemo home`` in requests per second (target: each >= 5).

``--gunicorn`` instead compares gunicorn configurations of the platform (sync and gthread,
worker counts) on the office home page, for ``platform/gunicorn.conf.py``.

**The reference** is never committed. The script exports bakerydemo from a local git
repository into its own directory and installs it there with its requirements from PyPI:

* ``BAKERYDEMO_GIT``: a git directory or clone of https://github.com/wagtail/bakerydemo
  (default: ``/work/.mirror/wagtail+bakerydemo/repo``, where a session's ``fetch`` tool
  mirrors it; on a machine with GitHub access ``git clone --bare`` it anywhere);
* ``BAKERYDEMO_COMMIT``: default ``3c7e3af`` (Wagtail 7.2 on Django 5.2, the last commit
  that installs on Python 3.11; later ones need Django 6 and Python 3.12);
* ``BAKERYDEMO_DIR``: where it is installed (default ``~/.cache/selbsthilfe-bench/bakerydemo``),
  with its own virtualenv, media and a settings module ``bakerydemo.settings.bench``
  (its base settings with ``DEBUG = False``), built once and reused.

Databases (created once, reused; ``--rebuild`` drops them first): ``{prefix}_bakerydemo``
and ``{prefix}_platform`` on ``BENCH_POSTGRES`` (default
``postgres://postgres@127.0.0.1:5432``), prefix ``--db-prefix`` (default ``refbench``).
The platform runs with ``config.settings.production`` and Redis at ``BENCH_REDIS_URL``
(default ``redis://127.0.0.1:6379/0``) as in production. Ports: ``--port`` and the next one.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_GIT = "/work/.mirror/wagtail+bakerydemo/repo"
DEFAULT_COMMIT = "3c7e3af163175cdf9bd7b5c0c3fb80297b152724"
OFFICE_HOST = "pankow.localhost"
BAKERY_HOST = "localhost"

BENCH_SETTINGS = """# Written by benchmarks/reference.py: bakerydemo as shipped, without DEBUG.
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
"""


def sh(*args, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run([str(a) for a in args], **kwargs)


def psql(url, sql):
    return sh("psql", url + "/postgres", "-qtAc", sql, capture_output=True, text=True).stdout


def database_exists(pg, name):
    return psql(pg, f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip() == "1"


def drop_database(pg, name):
    psql(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- bakerydemo -------------------------------------------------------------------------


def install_bakerydemo(directory, git_dir, commit, pg, db):
    src, venv = directory / "src", directory / "venv"
    marker = directory / f"installed-{commit[:12]}"
    env = bakery_env(directory, pg, db)
    if not marker.exists():
        if not Path(git_dir).exists():
            sys.exit(
                f"bakerydemo not found at {git_dir}: set BAKERYDEMO_GIT to a git directory "
                "of https://github.com/wagtail/bakerydemo (see this script's docstring)."
            )
        print(f"Installing bakerydemo {commit[:12]} into {directory} ...", flush=True)
        if src.exists():
            sh("rm", "-rf", src)
        src.mkdir(parents=True)
        archive = subprocess.Popen(
            ["git", f"--git-dir={git_dir}", "archive", commit], stdout=subprocess.PIPE
        )
        sh("tar", "-x", "-C", src, stdin=archive.stdout)
        if archive.wait() != 0:
            sys.exit(f"git archive {commit} failed in {git_dir}")
        (src / "bakerydemo" / "settings" / "bench.py").write_text(BENCH_SETTINGS)
        sh(sys.executable, "-m", "venv", venv)
        sh(
            venv / "bin" / "pip",
            "install",
            "-q",
            "-r",
            src / "requirements" / "base.txt",
            "gunicorn>=27",
            "psycopg[binary]",
            # django-tasks 0.9 fails on Python 3.11 (``TaskResult[T](...)`` sets
            # ``__orig_class__`` on a slotted frozen dataclass: "super(type, obj)"), which
            # breaks every save in load_initial_data; 0.8 is within Wagtail 7.2's range.
            "django-tasks>=0.8,<0.9",
        )
        marker.touch()
    if not database_exists(pg, db):
        print(f"Loading bakerydemo's data into {db} ...", flush=True)
        psql(pg, f'CREATE DATABASE "{db}"')
        manage = [venv / "bin" / "python", src / "manage.py"]
        sh(*manage, "migrate", "--noinput", "-v", "0", env=env, cwd=src)
        sh(*manage, "load_initial_data", env=env, cwd=src, stdout=subprocess.DEVNULL)
        sh(*manage, "collectstatic", "--noinput", "-v", "0", env=env, cwd=src)
    return src, venv


def bakery_env(directory, pg, db):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.bench",
        "DATABASE_URL": f"{pg}/{db}",
        "PYTHONPATH": str(directory / "src"),
    }


# --- the platform -----------------------------------------------------------------------


def platform_env(pg, db, port, redis_url, tmp):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "reference-benchmark-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": ".localhost,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{pg}/{db}",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"refbench-{db}",
        "DEFAULT_FROM_EMAIL": "Selbsthilfe <noreply@localhost>",
        "WAGTAILADMIN_BASE_URL": f"http://sekis.localhost:{port}",
        "PUBLIC_URL_SCHEME": "http",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "ELASTICSEARCH_URL": "",
        "GUNICORN_ACCESS_LOG": "",
    }


def prepare_platform(pg, db, port, redis_url, tmp):
    env = platform_env(pg, db, port, redis_url, tmp)
    manage = [PYTHON, ROOT / "manage.py"]
    if not database_exists(pg, db):
        print(f"Loading the demo network into {db} ...", flush=True)
        psql(pg, f'CREATE DATABASE "{db}"')
        sh(*manage, "migrate", "--noinput", "-v", "0", env=env, cwd=ROOT)
        sh(*manage, "load_demo", "--port", port, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    sh(*manage, "collectstatic", "--noinput", "-v", "0", env=env, cwd=ROOT)
    return env


def platform_urls(port):
    """Office home, events list, a directory search and a group page of one office."""
    base = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(f"{base}/gruppen/", headers={"Host": OFFICE_HOST})
    html = urllib.request.urlopen(request, timeout=30).read().decode()
    group = re.search(r'href="(/gruppen/\d+-[^"/]+/)"', html)
    if not group:
        sys.exit("No group link on the office's directory page.")
    return {
        "office home": "/",
        "events list": "/veranstaltungen/",
        "directory search": "/gruppen/?q=Angeh%C3%B6rige",
        "group page": group.group(1),
    }


# --- serving and loading ----------------------------------------------------------------


class Server:
    def __init__(self, args, env, cwd, port, host):
        self.args, self.env, self.cwd, self.port, self.host = args, env, cwd, port, host
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(a) for a in self.args],
            env=self.env,
            cwd=self.cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        # The first request may take long: bakerydemo renders its images' renditions.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{self.port}/", headers={"Host": self.host}
                )
                urllib.request.urlopen(request, timeout=120).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn on port {self.port} did not answer within 300 s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def gunicorn(venv_bin, port, workers, wsgi, config=None, worker_class="sync", threads=1):
    args = [venv_bin / "gunicorn"]
    if config:
        args += ["-c", config]
    return [
        *args,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers,
        "--worker-class",
        worker_class,
        "--threads",
        threads,
        # Two gunicorns at once would share the default control socket path.
        "--no-control-socket",
        wsgi,
    ]


def check_page(port, host, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            sys.exit(f"{host}{path} answered {response.status}")
        response.read()


def wrk(port, host, path, seconds, connections):
    """Requests per second and median/p99 latency (ms) of one wrk run on 127.0.0.1."""
    script = Path(tempfile.gettempdir()) / "reference-bench-wrk.lua"
    script.write_text(
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT %f %f %f %d\\n', summary.requests / "
        "(summary.duration / 1e6), latency:percentile(50) / 1000, "
        "latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + "
        "summary.errors.read))\nend\n"
    )
    out = sh(
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        # A slow answer is measured, not dropped (wrk's default gives up after 2 s).
        "--timeout",
        "30s",
        "-s",
        script,
        "-H",
        f"Host: {host}",
        f"http://127.0.0.1:{port}{path}",
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"RESULT (\S+) (\S+) (\S+) (\d+)", out)
    rps, p50, p99, errors = match.groups()
    if int(errors):
        sys.exit(f"wrk saw {errors} errors on {host}{path}:\n{out}")
    return float(rps), float(p50), float(p99)


def run_rounds(targets, rounds, seconds, connections):
    """``targets``: {name: (port, host, path)}; medians of interleaved rounds."""
    figures = {name: [] for name in targets}
    for number in range(1, rounds + 1):
        for name, (port, host, path) in targets.items():
            figures[name].append(wrk(port, host, path, seconds, connections))
        print(f"  round {number}/{rounds} done", flush=True)
    return {
        name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
        for name, runs in figures.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument("--db-prefix", default="refbench")
    parser.add_argument("--rebuild", action="store_true", help="drop both databases first")
    parser.add_argument("--gunicorn", action="store_true", help="compare gunicorn configs")
    args = parser.parse_args()

    pg = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    bakery_db, platform_db = f"{args.db_prefix}_bakerydemo", f"{args.db_prefix}_platform"
    if args.rebuild:
        drop_database(pg, bakery_db)
        drop_database(pg, platform_db)
    tmp = Path(tempfile.mkdtemp(prefix="reference-bench-"))
    bakery_port, platform_port = args.port, args.port + 1
    env = prepare_platform(pg, platform_db, platform_port, redis_url, tmp)
    sh("redis-cli", "-u", redis_url, "flushdb", stdout=subprocess.DEVNULL)
    platform_bin = ROOT / ".venv" / "bin"
    config = ROOT / "platform" / "gunicorn.conf.py"

    if args.gunicorn:
        compare_gunicorn(args, env, platform_bin, config, platform_port)
        return

    directory = Path(
        os.environ.get("BAKERYDEMO_DIR", Path.home() / ".cache/selbsthilfe-bench/bakerydemo")
    )
    src, venv = install_bakerydemo(
        directory,
        os.environ.get("BAKERYDEMO_GIT", DEFAULT_GIT),
        os.environ.get("BAKERYDEMO_COMMIT", DEFAULT_COMMIT),
        pg,
        bakery_db,
    )
    bakery = Server(
        gunicorn(venv / "bin", bakery_port, args.workers, "bakerydemo.wsgi"),
        bakery_env(directory, pg, bakery_db),
        src,
        bakery_port,
        BAKERY_HOST,
    )
    platform = Server(
        gunicorn(platform_bin, platform_port, args.workers, "config.wsgi", config=config),
        env,
        ROOT,
        platform_port,
        OFFICE_HOST,
    )
    with bakery, platform:
        urls = platform_urls(platform_port)
        targets = {"bakerydemo home": (bakery_port, BAKERY_HOST, "/")}
        targets.update({name: (platform_port, OFFICE_HOST, path) for name, path in urls.items()})
        for port, host, path in targets.values():
            for _ in range(20):  # warm up: templates, renditions, caches in both workers
                check_page(port, host, path)
        print(
            f"{args.rounds} interleaved rounds, wrk -t1 -c{args.connections} "
            f"-d{args.seconds}s per URL, gunicorn {args.workers} sync workers each, "
            "no HTTP cache",
            flush=True,
        )
        results = run_rounds(targets, args.rounds, args.seconds, args.connections)
    reference = results["bakerydemo home"][0]
    print(f"\n{'URL':<20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}")
    for name, (rps, p50, p99) in results.items():
        print(f"{name:<20} {rps:8.1f} {p50:8.1f} {p99:8.1f} {rps / reference:6.2f}x")
    ratios = [results[name][0] / reference for name in urls]
    verdict = "met" if min(ratios) >= 5 else "NOT met"
    print(f"\nTarget: every platform page >= 5x bakerydemo's home page: {verdict}")


def compare_gunicorn(args, env, platform_bin, config, port):
    """Office home under the shipped config with different worker classes and counts."""
    cpus = os.cpu_count() or 1
    variants = {
        f"sync x{cpus}": ("sync", cpus, 1),
        f"sync x{cpus + 1}": ("sync", cpus + 1, 1),
        f"sync x{2 * cpus + 1}": ("sync", 2 * cpus + 1, 1),
        f"gthread x{cpus} (2 threads)": ("gthread", cpus, 2),
        f"gthread x{2 * cpus + 1} (2 threads)": ("gthread", 2 * cpus + 1, 2),
    }
    figures = {name: [] for name in variants}
    connections = max(args.connections, 16)
    for number in range(1, args.rounds + 1):
        for name, (worker_class, workers, threads) in variants.items():
            command = gunicorn(
                platform_bin, port, workers, "config.wsgi", config, worker_class, threads
            )
            with Server(command, env, ROOT, port, OFFICE_HOST):
                for _ in range(10 * workers):
                    check_page(port, OFFICE_HOST, "/")
                figures[name].append(wrk(port, OFFICE_HOST, "/", args.seconds, connections))
        print(f"  round {number}/{args.rounds} done", flush=True)
    print(f"\nOffice home, wrk -c{connections}, medians of {args.rounds} interleaved rounds")
    print(f"{'gunicorn':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, runs in figures.items():
        rps, p50, p99 = (statistics.median(run[i] for run in runs) for i in range(3))
        print(f"{name:<26} {rps:8.1f} {p50:8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
