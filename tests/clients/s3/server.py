"""A real S3 protocol server for the object-storage tests: moto's ``moto_server``.

It is another implementation of the S3 REST API than the one that writes to it (boto3 through
django-storages): it keeps objects, enforces ACLs for anonymous readers and checks the
signatures of presigned URLs, over HTTP on 127.0.0.1. It lives in a venv of its own
(``.venv`` here, pinned by ``requirements.lock``) because it pulls in Flask and AWS tooling
the application does not need.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
SERVER = VENV / "bin" / "moto_server"


def available():
    return SERVER.exists()


def install(log=print):
    """Make the venv from the lock (again only when the lock changed); failures are logged,
    and the tests are then skipped with the reason."""
    lock = (HERE / "requirements.lock").read_text()
    stamp = VENV / ".installed-lock"
    if stamp.exists() and stamp.read_text() == lock:
        return
    log(f"+ {sys.executable} -m venv {VENV} && pip install -r requirements.lock")
    made = subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode == 0
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r"]
    if made and subprocess.run([*pip, "requirements.lock"], cwd=HERE).returncode == 0:
        stamp.write_text(lock)
    else:
        log("S3 server: the moto venv could not be installed; object-storage tests are skipped")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running():
    """Start ``moto_server`` on a free port of 127.0.0.1; yields its endpoint URL. The process
    is killed (its whole process group) afterwards, whatever happened."""
    port = free_port()
    process = subprocess.Popen(
        [str(SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/", timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
