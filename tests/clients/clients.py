"""Three real calendar clients read our iCalendar files; this module runs them.

- ``ical.js`` (Mozilla's parser, the one of Thunderbird and many web calendars), through
  ``icaljs_expand.mjs`` with Node; installed by ``npm ci`` here (``package-lock.json``).
- ``libical`` (Evolution, GNOME), through ``libical_expand.c`` compiled against Debian's
  ``libical-dev``: its parser and RFC 5545/5546 restriction check are the validator, its
  recurrence iterator and the file's own VTIMEZONE give the occurrences.
- ``recurring-ical-events`` (Python), through ``ric_expand.py`` in a virtual environment of
  its own (``requirements.lock`` here; it needs python-dateutil < 3, the project uses 4).

Each prints ``{"tool", "version", "files": [{"path", "errors", "occurrences"}]}`` with
occurrences as ``[uid, start, end]``: timed values as UTC instants, all-day values as
dates. Nothing here imports Django; ``install()`` is what ``dev.py test`` calls.
"""

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE / "build"
NODE_MODULES = HERE / "node_modules"
VENV = HERE / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
LIBICAL_SOURCE = HERE / "libical_expand.c"
LIBICAL_BINARY = BUILD / "libical_expand"

#: Debian packages the libical client needs (compiler, headers, pkg-config).
APT_PACKAGES = ["libical-dev", "gcc", "libc6-dev", "pkg-config"]

ICALJS = "ical.js"
LIBICAL = "libical"
RECURRING = "recurring-ical-events"
TOOLS = (ICALJS, LIBICAL, RECURRING)


def _quiet(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


def _libical_flags():
    if not shutil.which("pkg-config") or not shutil.which("gcc"):
        return None
    found = _quiet("pkg-config", "--cflags", "--libs", "libical")
    return found.stdout.split() if found.returncode == 0 else None


def libical_version():
    return _quiet("pkg-config", "--modversion", "libical").stdout.strip() or "?"


def _build_libical():
    """Compile the libical client when its source is newer than the binary."""
    flags = _libical_flags()
    if flags is None:
        return False
    if LIBICAL_BINARY.exists() and LIBICAL_BINARY.stat().st_mtime >= LIBICAL_SOURCE.stat().st_mtime:
        return True
    BUILD.mkdir(exist_ok=True)
    done = _quiet("gcc", "-Wall", "-O1", "-o", LIBICAL_BINARY, LIBICAL_SOURCE, *flags)
    if done.returncode != 0:
        raise RuntimeError(f"libical client does not compile:\n{done.stderr}")
    return True


def missing():
    """``{tool: reason}`` for every client that cannot run here."""
    reasons = {}
    if not shutil.which("node"):
        reasons[ICALJS] = "Node.js is not installed"
    elif not (NODE_MODULES / "ical.js" / "package.json").exists():
        reasons[ICALJS] = "ical.js is not installed (npm ci in tests/clients)"
    if not _build_libical():
        reasons[LIBICAL] = "libical-dev, gcc or pkg-config is not installed"
    if not VENV_PYTHON.exists():
        reasons[RECURRING] = "tests/clients/.venv is missing (python3 dev.py test makes it)"
    return reasons


def install(log=print):
    """Install what the clients need: Debian packages (when root with apt), ``npm ci`` and
    the recurring-ical-events venv. Failures are reported, not raised: the tests of a
    client that is missing are skipped with the reason."""
    groups = []  # each a list of commands run in order until one fails
    if _libical_flags() is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        groups.append(
            [
                (["apt-get", "update", "-qq"], env),
                (["apt-get", "install", "-y", "-qq", *APT_PACKAGES], env),
            ]
        )
    if shutil.which("npm") and not (NODE_MODULES / "ical.js" / "package.json").exists():
        groups.append([(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)], None)])
    for commands in groups:
        for args, env in commands:
            log("+ " + " ".join(args))
            if subprocess.run(args, env=env, cwd=HERE).returncode != 0:
                log(f"calendar clients: {' '.join(args)} failed")
                break
    lock = (HERE / "requirements.lock").read_text()
    stamp = VENV / ".installed-lock"
    if not (stamp.exists() and stamp.read_text() == lock):
        log(f"+ {sys.executable} -m venv {VENV} && pip install -r requirements.lock")
        made = subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode == 0
        if made and (
            subprocess.run(
                [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "-r", "requirements.lock"],
                cwd=HERE,
            ).returncode
            == 0
        ):
            stamp.write_text(lock)
        else:
            log("calendar clients: the recurring-ical-events venv could not be installed")


def read(tool, paths, lo, hi):
    """Run ``tool`` on the files; the window ``[lo, hi)`` is aware datetimes."""
    paths = [str(p) for p in paths]
    if tool == ICALJS:
        args = ["node", HERE / "icaljs_expand.mjs", lo.isoformat(), hi.isoformat(), *paths]
    elif tool == LIBICAL:
        _build_libical()
        args = [LIBICAL_BINARY, int(lo.timestamp()), int(hi.timestamp()), *paths]
    elif tool == RECURRING:
        args = [VENV_PYTHON, HERE / "ric_expand.py", lo.isoformat(), hi.isoformat(), *paths]
    else:
        raise ValueError(tool)
    done = _quiet(*args, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout)
    if tool == LIBICAL:
        result["version"] = libical_version()
        for file in result["files"]:
            if file.pop("unknown_tzids", 0):
                file["errors"].append("a TZID without a VTIMEZONE in the file")
    return result


def compare(expected, found):
    """Occurrences the site lists but the client does not, and the other way round."""
    expected, found = Counter(map(tuple, expected)), Counter(map(tuple, found))
    return sorted((expected - found).elements()), sorted((found - expected).elements())
