"""Every mail type the platform sends, checked by SpamAssassin (and the Nu HTML Checker).

    .venv/bin/python benchmarks/mail_check.py

Builds a throw-away test database (SQLite in memory unless DATABASE_URL is set; then the
``test_`` database beside it), provisions a coordination office and a regional office with
e-mail addresses, and builds one real message of each type through the project's code
(``tests/clients/mail_samples.py``: the public forms over HTTP, the newsletter's send loop,
the reminder command), captured with Django's locmem backend.

For each message it prints the tool version, the mail type, SpamAssassin's score (local
rules only: ``--local``, no network tests, Bayes off) and the rules that hit. HTML parts
are validated with the Nu HTML Checker when ``vnu`` (or ``VNU_JAR``) is available.
Exits 1 when a message scores above 0 or an HTML part has errors.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _vnu_command():
    jar = os.environ.get("VNU_JAR")
    if jar and Path(jar).exists() and shutil.which("java"):
        return ["java", "-jar", jar]
    if shutil.which("vnu"):
        return ["vnu"]
    return None


def _validate_html(command, html):
    """Nu HTML Checker's errors for ``html`` (empty list: valid)."""
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(html)
        path = f.name
    try:
        out = subprocess.run(
            [*command, "--errors-only", "--format", "json", path],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        os.unlink(path)
    report = json.loads(out.stderr or out.stdout or '{"messages": []}')
    return [
        f"line {m.get('lastLine', '?')}: {m.get('message', '')}"
        for m in report.get("messages", [])
        if m.get("type") == "error"
    ]


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from sites.provisioning import OfficeSpec, provision_office
    from tests.clients import spamassassin
    from tests.clients.mail_samples import HTML_KINDS, build_samples, raw_bytes

    if not spamassassin.available():
        sys.exit("spamassassin is not installed (apt-get install spamassassin).")
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    failed = False
    try:
        offices = {}
        for key, hostname, name, state in (
            ("state", "land.localhost", "Landeskoordination Test", True),
            ("alpha", "alpha.localhost", "Kontaktstelle Alpha", False),
        ):
            offices[key] = provision_office(
                OfficeSpec(
                    hostname=hostname,
                    name=name,
                    short_name=name.split()[-1],
                    state=state,
                    profile={
                        "email": f"team@{hostname}",
                        "phone": "030 123456",
                        "street": "Teststraße 1",
                        "postcode": "10115",
                        "city": "Berlin",
                    },
                )
            )
        samples = [(kind, raw_bytes(message)) for kind, message in build_samples(offices)]
        results = spamassassin.check([raw for _kind, raw in samples])
        print(spamassassin.version())
        print(f"{'mail type':34} {'score':>6}  rules that hit")
        for (kind, _raw), result in zip(samples, results, strict=True):
            mark = "" if result.score <= 0 else "  <-- above 0"
            print(f"{kind:34} {result.score:6.3f}  {result.describe()}{mark}")
            failed |= result.score > 0

        vnu = _vnu_command()
        if vnu is None:
            print("\nNu HTML Checker: not installed (vnu / VNU_JAR), HTML parts not validated.")
        else:
            checker = subprocess.run([*vnu, "--version"], capture_output=True, text=True)
            print(f"\nNu HTML Checker {(checker.stdout or checker.stderr).strip()}:")
            for kind, raw in samples:
                if kind not in HTML_KINDS:
                    continue
                message = message_from_bytes(raw, policy=policy.default)
                html = message.get_body(preferencelist=("html",)).get_content()
                errors = _validate_html(vnu, html)
                print(f"  {kind:32} {'valid' if not errors else f'{len(errors)} error(s)'}")
                for line in errors:
                    print(f"    {line}")
                failed |= bool(errors)
    finally:
        teardown_databases(old_config, verbosity=0)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
