"""Run Debian's varnishd with the shipped VCL (``platform/varnish.vcl``) for tests and
benchmarks, in front of an application on a given port.

The shipped file is used as it is, with one change: the backend's port (production runs
gunicorn on 8000; a test server listens elsewhere).
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

VCL = Path(__file__).resolve().parent.parent / "platform" / "varnish.vcl"
VARNISHD = shutil.which("varnishd") or next(
    (str(p) for p in (Path("/usr/sbin/varnishd"),) if p.exists()), None
)


def _port_range():
    """``PORT_RANGE=8700-8799`` moves tests and benchmarks to another range (several
    checkouts measuring side by side on one machine); default 8600-8699."""
    first, _, last = os.environ.get("PORT_RANGE", "8600-8699").partition("-")
    return int(first), int(last or first)


def free_port(first=None, last=None, exclude=()):
    """A free TCP port in ``first..last`` (the range this project's tests and benchmarks
    may open on a shared machine, see ``_port_range``), other than those in ``exclude``
    (picked but not yet bound)."""
    if first is None or last is None:
        first, last = _port_range()
    for port in range(first, last + 1):
        if port in exclude:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


def vcl_for_backend(port):
    text = VCL.read_text()
    changed, count = re.subn(
        r'(backend app \{[^}]*\.port = )"\d+";', rf'\g<1>"{port}";', text, flags=re.S
    )
    assert count == 1, "platform/varnish.vcl: backend app with a .port expected"
    return changed


@contextlib.contextmanager
def running_varnish(backend_port, port=None, storage="malloc,128m"):
    """varnishd on ``port`` (free in the range by default) in front of ``backend_port``;
    yields the port. Stopped and its working directory removed afterwards."""
    if VARNISHD is None:
        raise RuntimeError("varnishd is not installed (Debian: apt-get install varnish)")
    port = port or free_port(exclude={backend_port})
    workdir = Path(tempfile.mkdtemp(prefix="selbsthilfe-varnish-"))
    workdir.chmod(0o755)
    vcl = workdir / "selbsthilfe.vcl"
    vcl.write_text(vcl_for_backend(backend_port))
    vcl.chmod(0o644)
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-n",
            str(workdir / "n"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-f",
            str(vcl),
            "-s",
            storage,
            "-p",
            "ban_lurker_sleep=0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError("varnishd exited: " + process.stderr.read().decode()[-2000:])
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/", method="OPTIONS")
                urllib.request.urlopen(request, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # varnishd answers (whatever the backend said)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
