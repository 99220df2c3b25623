"""Reads iCalendar files with recurring-ical-events and prints their occurrences as JSON.

    tests/clients/.venv/bin/python ric_expand.py <window start> <window end> <file.ics>...

Window bounds are ISO UTC instants. Runs in its own virtual environment (see
requirements.lock here), so it imports nothing of the project. Output format as
icaljs_expand.mjs: timed values as UTC instants, all-day values as dates.
"""

import datetime
import json
import sys
from importlib.metadata import version

import icalendar
import recurring_ical_events


def show(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def instant(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC)
    return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)


def main(lo_text, hi_text, *paths):
    lo = datetime.datetime.fromisoformat(lo_text)
    hi = datetime.datetime.fromisoformat(hi_text)
    files = []
    for path in paths:
        result = {"path": path, "errors": [], "occurrences": []}
        files.append(result)
        try:
            with open(path, "rb") as handle:
                calendar = icalendar.Calendar.from_ical(handle.read())
            for event in recurring_ical_events.of(calendar).between(lo, hi):
                start = event["DTSTART"].dt
                if not lo <= instant(start) < hi:
                    continue
                end = event["DTEND"].dt if "DTEND" in event else start
                result["occurrences"].append([str(event["UID"]), show(start), show(end)])
        except Exception as error:  # a client that cannot read the file is an error
            result["errors"].append(f"{type(error).__name__}: {error}")
    tool = "recurring-ical-events"
    json.dump({"tool": tool, "version": version(tool), "files": files}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
