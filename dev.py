#!/usr/bin/env python3
"""The two quick-start commands of the README.

    python3 dev.py start   install into .venv, create the SQLite database, load the demo
                           network and serve every office site on port 8000
    python3 dev.py test    install into .venv and run the whole test suite (pytest);
                           extra arguments go to pytest, DATABASE_URL picks the database

Only the standard library is used here, so it runs on a fresh machine with Python >= 3.11.
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock"


def run(*args, cwd=ROOT, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=cwd, **kwargs)


def install():
    """Create .venv and install the locked versions (again only when the lock changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may meet an older Python)
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = LOCK.read_text()
    if STAMP.exists() and STAMP.read_text() == lock:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-r", LOCK)
    STAMP.write_text(lock)


def ensure_chromium():
    """Browser tests drive Debian's Chromium; install it when we may (root with apt)."""
    if shutil.which("chromium") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "chromium", env=env)
    except subprocess.CalledProcessError:
        print("Chromium could not be installed; browser tests will be skipped.", flush=True)


def ensure_calendar_clients():
    """The feed tests read our iCalendar files with real clients (tests/clients/): install
    libical-dev (when root with apt), ical.js (npm ci) and recurring-ical-events (a venv of
    its own). What cannot be installed is skipped by those tests with the reason."""
    sys.path.insert(0, str(ROOT))
    from tests.clients.clients import install as install_clients

    install_clients(log=lambda line: print(line, flush=True))


WEB_CLIENTS = ROOT / "tests" / "clients" / "web"


def ensure_web_clients():
    """The Nu HTML Checker (vnu.jar, on Java) and Lighthouse come from npm
    (``tests/clients/web``); Java from Debian when we may (root with apt)."""
    if not shutil.which("java") and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            run("apt-get", "install", "-y", "-qq", "default-jre-headless", env=env)
        except subprocess.CalledProcessError:
            print("Java could not be installed; the HTML checker test is skipped.", flush=True)
    lock = WEB_CLIENTS / "package-lock.json"
    stamp = WEB_CLIENTS / "node_modules" / ".installed-lock"
    if not shutil.which("npm") or (stamp.exists() and stamp.read_bytes() == lock.read_bytes()):
        return
    try:
        # --ignore-scripts: vnu-jar's install script would fetch a Java runtime of its own.
        run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", cwd=WEB_CLIENTS)
    except subprocess.CalledProcessError:
        print("npm ci failed in tests/clients/web; the HTML checker test fails.", flush=True)
        return
    stamp.write_bytes(lock.read_bytes())


def ensure_spamassassin():
    """The mail tests score every mail type with Debian's SpamAssassin (local rules only);
    install it when we may (root with apt), as for Chromium."""
    if shutil.which("spamassassin") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "spamassassin", env=env)
    except subprocess.CalledProcessError:
        try:
            run("apt-get", "update", "-qq", env=env)
            run(
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "spamassassin",
                env=env,
            )
        except subprocess.CalledProcessError:
            print("SpamAssassin could not be installed; its mail test will be skipped.", flush=True)


def manage(*args, settings="config.settings.dev"):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings)
    run(PYTHON, ROOT / "manage.py", *args, env=env)


def start(args):
    install()
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo", "--port", "8000")
    print("\nServing on http://<office>.localhost:8000/ — stop with Ctrl+C.\n", flush=True)
    manage("runserver", "0.0.0.0:8000", *args)


def test(args):
    install()
    ensure_chromium()
    ensure_calendar_clients()
    ensure_web_clients()
    ensure_spamassassin()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


if __name__ == "__main__":
    commands = {"start": start, "test": test, "install": lambda args: install()}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
