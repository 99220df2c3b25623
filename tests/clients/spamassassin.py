"""Run Debian's SpamAssassin (local rules only, no network tests) over messages.

One ``spamassassin --mbox`` process checks all messages (Perl's start-up and rule
compilation take seconds; once is enough). Bayes is off so that results do not depend on
what an earlier run learnt. Each result is the total score and the rules that hit.
"""

import mailbox
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from email import message_from_bytes, policy

COMMAND = "spamassassin"


@dataclass
class Result:
    score: float
    rules: dict  # rule name -> points

    def describe(self):
        return ", ".join(f"{name}={points:g}" for name, points in sorted(self.rules.items()))


def available():
    return shutil.which(COMMAND) is not None


def version():
    out = subprocess.run([COMMAND, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0].strip()


def check(raw_messages):
    """``[Result]`` for each message (bytes), in order."""
    with tempfile.TemporaryDirectory(prefix="mail-check-") as tmp:
        path = os.path.join(tmp, "in.mbox")
        box = mailbox.mbox(path)
        for raw in raw_messages:
            box.add(mailbox.mboxMessage(raw.replace(b"\r\n", b"\n")))
        box.flush()
        box.close()
        with open(path, "rb") as source:
            out = subprocess.run(
                [
                    COMMAND,
                    "--local",  # no DNS blocklists, no Razor/Pyzor: nothing leaves the host
                    "--nocreate-prefs",
                    "--mbox",
                    "--cf=use_bayes 0",
                    "--cf=bayes_auto_learn 0",
                    "--cf=add_header all Tests _TESTSSCORES(,)_",
                    "--cf=add_header all Score _SCORE_",
                ],
                stdin=source,
                capture_output=True,
                check=True,
                timeout=600,
            )
        result_path = os.path.join(tmp, "out.mbox")
        with open(result_path, "wb") as target:
            target.write(out.stdout)
        by_id = {}
        for message in mailbox.mbox(result_path):
            parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
            rules = {}
            for item in str(parsed.get("X-Spam-Tests", "")).replace("\n", "").split(","):
                item = item.strip()
                if "=" in item:
                    name, points = item.split("=", 1)
                    rules[name.strip()] = float(points)
            by_id[_message_id(parsed)] = Result(score=round(sum(rules.values()), 3), rules=rules)
    ids = [_message_id(message_from_bytes(raw, policy=policy.default)) for raw in raw_messages]
    missing = [i for i in ids if i not in by_id]
    if missing or len(set(ids)) != len(ids):
        raise RuntimeError(f"SpamAssassin's output lacks {missing} (of {len(ids)} messages)")
    return [by_id[i] for i in ids]


def _message_id(message):
    return str(message.get("Message-ID", "")).strip()
