#!/usr/bin/env python3
"""The two quick-start commands of the README.

    python3 dev.py start   install into .venv, create the SQLite database, load the demo
                           network and serve every office site on port 8000, with the
                           task worker beside it (mails, newsletter sends, search index)
    python3 dev.py test    install into .venv and run the whole test suite (pytest);
                           extra arguments go to pytest, DATABASE_URL picks the database

Only the standard library is used here, so it runs on a fresh machine with Python >= 3.11.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
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


def ensure_poppler():
    """The Wegweiser tests read the PDFs with Poppler (pdftotext, pdfinfo), as a PDF viewer
    does, and check the joined volumes of a large one with qpdf; install poppler-utils and
    qpdf when we may (root with apt)."""
    missing = [
        package
        for tool, package in (("pdftotext", "poppler-utils"), ("qpdf", "qpdf"))
        if not shutil.which(tool)
    ]
    if not missing or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)
    except subprocess.CalledProcessError:
        names = " ".join(missing)
        print(f"{names} could not be installed; Wegweiser tests are skipped.", flush=True)


def ensure_s3_server():
    """The object-storage tests write media to a real S3 protocol server (moto_server, in a
    venv of its own under tests/clients/s3)."""
    sys.path.insert(0, str(ROOT))
    from tests.clients.s3.server import install as install_s3_server

    install_s3_server(log=lambda line: print(line, flush=True))


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


def ensure_varnish():
    """The cache test and ``benchmarks/staleness.py`` run Debian's varnishd with the shipped
    VCL (``platform/varnish.vcl``); install it when we may (root with apt), as for Chromium."""
    if shutil.which("varnishd") or os.path.exists("/usr/sbin/varnishd"):
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "varnish", env=env)
    except subprocess.CalledProcessError:
        print("Varnish could not be installed; the cache test will be skipped.", flush=True)


def manage(*args, settings="config.settings.dev"):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings)
    run(PYTHON, ROOT / "manage.py", *args, env=env)


def start(args):
    install()
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo", "--port", "8000")
    print("\nServing on http://<office>.localhost:8000/ — stop with Ctrl+C.\n", flush=True)
    sys.exit(serve("0.0.0.0:8000", *args))


def serve(address, *args, settings="config.settings.dev", env=None):
    """Run the development server and the task worker side by side until Ctrl+C.

    Without the worker, nothing that Wagtail and our apps hand to the task queue ever
    happens: no confirmation mail (printed to the console in development), no newsletter
    send, no search-index update.
    """
    env = dict(env or os.environ, DJANGO_SETTINGS_MODULE=settings)
    manage_py = [str(PYTHON), str(ROOT / "manage.py")]
    return supervise(
        [
            [*manage_py, "runserver", address, *args],
            [*manage_py, "db_worker", "--interval", "1"],
        ],
        env=env,
    )


#: Seconds the children get to finish after Ctrl+C before they are killed.
STOP_GRACE_SECONDS = 10


def supervise(commands, env=None, poll=0.2):
    """Run ``commands`` together; when one ends or on Ctrl+C/SIGTERM, stop all of them.

    Each child runs in a process group of its own, so that stopping it also stops what it
    started (runserver's and the worker's autoreloader run the real work in a grandchild,
    which a plain ``terminate()`` of the child would leave behind as an orphan). Returns
    the exit code of the child that ended first, or 0 after Ctrl+C.
    """
    children = []

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    code = 0
    try:
        for command in commands:
            print("+", " ".join(command), flush=True)
            children.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
        while True:
            ended = [child for child in children if child.poll() is not None]
            if ended:
                code = ended[0].returncode
                print(f"{' '.join(ended[0].args[1:3])} ended (exit code {code}).", flush=True)
                break
            time.sleep(poll)
    except KeyboardInterrupt:
        code = 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop(children)
        signal.signal(signal.SIGTERM, previous)
    return code


def _signal_group(child, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def _stop(children):
    """SIGINT to every child's process group, SIGKILL to what is left after the grace
    period (at once on a second Ctrl+C)."""
    for child in children:
        _signal_group(child, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    try:
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
    except KeyboardInterrupt:
        pass
    finally:
        # The group may outlive its leader (a reloader's grandchild): kill what remains.
        for child in children:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def test(args):
    install()
    ensure_chromium()
    ensure_calendar_clients()
    ensure_web_clients()
    ensure_spamassassin()
    ensure_s3_server()
    ensure_poppler()
    ensure_varnish()
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
