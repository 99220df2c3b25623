// Reads iCalendar files the way Thunderbird does (Mozilla's ical.js) and prints, as JSON,
// every occurrence of every VEVENT that starts inside a window.
//
//   node icaljs_expand.mjs <window start, ISO UTC> <window end, ISO UTC> <file.ics>...
//
// Output: {"tool": "ical.js", "version": "...", "files": [{"path", "errors": [...],
// "occurrences": [[uid, start, end], ...]}]} with timed values as UTC instants
// ("2027-03-30T16:00:00Z") and all-day values as dates ("2027-06-05").
// Time zones are taken from the file's own VTIMEZONE components (registered with
// ICAL.TimezoneService, as Thunderbird and most web calendars do), not from a built-in
// database, so that a wrong VTIMEZONE shows up as wrong instants.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";

const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(
  readFileSync(join(here, "node_modules", "ical.js", "package.json"), "utf8"),
);

const [windowStart, windowEnd, ...paths] = process.argv.slice(2);
const lo = Date.parse(windowStart) / 1000;
const hi = Date.parse(windowEnd) / 1000;

function show(time) {
  if (time.isDate) {
    return time.toString(); // YYYY-MM-DD
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function instant(time) {
  if (time.isDate) {
    // All-day dates are compared as the UTC midnight of the day: only the day counts.
    return Date.UTC(time.year, time.month - 1, time.day) / 1000;
  }
  return time.toUnixTime();
}

const files = [];
for (const path of paths) {
  const result = { path, errors: [], occurrences: [] };
  files.push(result);
  let root;
  try {
    root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  } catch (error) {
    result.errors.push(`parse: ${error.message}`);
    continue;
  }
  ICAL.TimezoneService.reset();
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  for (const vevent of root.getAllSubcomponents("vevent")) {
    try {
      const event = new ICAL.Event(vevent);
      for (const name of ["dtstart", "dtend", "rdate", "exdate"]) {
        for (const prop of vevent.getAllProperties(name)) {
          const tzid = prop.getParameter("tzid");
          if (tzid && !ICAL.TimezoneService.has(tzid)) {
            result.errors.push(`${event.uid}: ${name} uses unknown TZID ${tzid}`);
          }
        }
      }
      const expansion = event.iterator();
      let next;
      let guard = 0;
      while ((next = expansion.next()) && guard++ < 100000) {
        const start = instant(next);
        if (start >= hi) break;
        if (start < lo) continue;
        const details = event.getOccurrenceDetails(next);
        result.occurrences.push([event.uid, show(details.startDate), show(details.endDate)]);
      }
    } catch (error) {
      result.errors.push(`${vevent.getFirstPropertyValue("uid")}: ${error.message}`);
    }
  }
}
process.stdout.write(JSON.stringify({ tool: "ical.js", version, files }));
