"""The Nu HTML Checker (vnu.jar, the validator behind validator.w3.org/nu) run on files.

vnu.jar comes from the npm package ``vnu-jar`` (``npm ci`` in ``tests/clients/web``, which
``python3 dev.py test`` does when npm is there) and runs on Java 17. It checks many files
in one run, so a whole set of pages costs one JVM start (a few seconds).

    python -m tests.clients.nu page.html mail.html   # prints the errors, exit 1 if any
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
VNU_JAR = WEB / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def java():
    return shutil.which("java")


def available():
    """Why the checker cannot run here ("" when it can)."""
    if not java():
        return "Java (17 or newer) is not installed"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} is missing: run `npm ci` in {WEB}"
    return ""


def version():
    result = subprocess.run(
        [java(), "-jar", str(VNU_JAR), "--version"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def check(paths):
    """The checker's messages for ``paths`` (HTML files), as dicts with ``file``,
    ``type`` ("error", "info" …), ``message``, ``line`` and ``extract``."""
    paths = [str(Path(p).resolve()) for p in paths]
    if not paths:
        return []
    result = subprocess.run(
        [java(), "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *paths],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    for message in messages:
        message["file"] = message.get("url", "").removeprefix("file:")
    return messages


def errors(paths):
    """Only the errors (what the checker calls a document error or a fatal error)."""
    return [m for m in check(paths) if m.get("type") in ("error", "non-document-error")]


def describe(message):
    return (
        f"{Path(message.get('file', '')).name}:{message.get('lastLine', '?')}: "
        f"{message.get('message')} [{(message.get('extract') or '').strip()[:120]}]"
    )


if __name__ == "__main__":
    missing = available()
    if missing:
        sys.exit(missing)
    found = errors(sys.argv[1:])
    print(f"Nu HTML Checker {version()}: {len(sys.argv) - 1} file(s), {len(found)} error(s)")
    for message in found:
        print("  " + describe(message))
    sys.exit(1 if found else 0)
