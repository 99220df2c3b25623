"""iCalendar (RFC 5545) export: a feed per listing page and a file per event.

One VEVENT per event page carries its rule (``RRULE`` with ``UNTIL``/``COUNT`` inside,
``EXDATE`` for cancelled dates, ``RDATE`` for extra dates), so calendar apps expand it
themselves. Times carry ``TZID=Europe/Berlin`` with a ``VTIMEZONE``; all-day events are
DATE values. The UID is ``event-<translation_key>@<hostname>``: stable across edits and
the same for a page and its translations, unique across the network.

What calendar clients need, checked with the clients themselves (``tests/clients/``:
Mozilla's ical.js, libical, recurring-ical-events):

- The VTIMEZONE states the rule (STANDARD/DAYLIGHT with yearly RRULEs, as tzurl.org and
  Thunderbird publish it), not a list of transitions: ``icalendar``'s
  ``add_missing_timezones()`` writes every transition as one comma-separated RDATE, and
  ical.js reads only its first value, so it put every date after the spring change an
  hour late. No COMMENT in it: RFC 5545 lists COMMENT only inside STANDARD/DAYLIGHT,
  and libical rejects a file with one directly in VTIMEZONE.
- No METHOD. A feed is a snapshot of published dates, not a scheduling message: RFC 5545
  (3.7.2) says that without METHOD "a scheduling transaction MUST NOT be assumed", and
  METHOD must come with the same ``method`` parameter on the Content-Type. RFC 5546
  (3.2.1) requires an ORGANIZER in every VEVENT of a PUBLISH message, which would make
  each date look like an invitation from the office in Outlook and Thunderbird.
"""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone, vRecur

from sites.chrome import cached_until_next_save
from sites.slugs import german_slugify

from .models import MAX_DURATION, EventPage, Occurrence
from .recurrence import BERLIN, localise

#: Events whose last materialised occurrence ended longer ago are left out of feeds.
FEED_PAST = datetime.timedelta(days=90)


#: Europe/Berlin as a rule, valid since 1996 (the EU's common change dates: last Sunday
#: of March at 02:00 CET, last Sunday of October at 03:00 CEST); feeds hold no earlier
#: dates. ``tests/events/test_ics.py`` checks every transition up to 2037 against tzdata.
BERLIN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZNAME:CEST
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19960331T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:CET
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def berlin_vtimezone():
    return Timezone.from_ical(BERLIN_VTIMEZONE.replace("\n", "\r\n"))


def uid_for(event, hostname):
    return f"event-{event.translation_key}@{hostname}"


def new_calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//Selbsthilfe-Kontaktstellen//Veranstaltungen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    return cal


def vevent(event, hostname, url, stamp):
    rule = event.rule()
    item = Event()
    item.add("uid", uid_for(event, hostname))
    item.add("dtstamp", stamp)
    item.add("summary", event.title)
    if rule.all_day:
        item.add("dtstart", rule.start.date())
        item.add("dtend", rule.end.date())
    else:
        item.add("dtstart", localise(rule.start))
        item.add("dtend", localise(rule.end))
    recur = rule.ical_rrule()
    if recur:
        item.add("rrule", vRecur(recur))
    for day in rule.exdates:
        moment = rule.exdate_moment(day)
        item.add("exdate", moment.date() if rule.all_day else localise(moment))
    for extra in rule.rdates:
        item.add("rdate", extra.date() if rule.all_day else localise(extra))
    if event.location_text:
        item.add("location", event.location_text)
    description = strip_tags(event.description or "").strip()
    if url:
        item.add("url", url)
        description = f"{description}\n\n{url}".strip()
    if description:
        item.add("description", description)
    item.add("categories", [str(event.category_label)])
    item.add("status", "CONFIRMED")
    if event.last_published_at:
        item.add("last-modified", event.last_published_at.astimezone(datetime.UTC))
    return item


def build_calendar(name, events_with_hosts, request=None):
    """A calendar of ``(event, hostname)`` pairs, with the VTIMEZONE first when any date
    has a time (all-day dates are floating DATE values)."""
    cal = new_calendar(name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    items = [
        (event, vevent(event, hostname, event.get_full_url(request), stamp))
        for event, hostname in events_with_hosts
    ]
    if any(not event.all_day for event, _item in items):
        cal.add_component(berlin_vtimezone())
    for _event, item in items:
        cal.add_component(item)
    return cal


def ics_response(cal, filename):
    return _response(cal.to_ical(), filename)


def _response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def feed_response(listing, request):
    """The feed of a listing page: its events with occurrences from 90 days ago on.

    Calendar apps poll feeds every few minutes, and a feed of a few hundred recurring
    events takes long to build, so the file is cached until the next page save (any
    change to an event is one) or the next day (the 90-day window moves).
    """
    today = timezone.localdate(timezone=BERLIN).isoformat()
    body, filename = cached_until_next_save(
        f"events:feed:v2:{listing.pk}:{today}", lambda: build_feed(listing, request)
    )
    return _response(body, filename)


def build_feed(listing, request):
    """The iCalendar bytes of a listing's feed and its file name."""
    since = timezone.now() - FEED_PAST
    scope = listing.occurrence_scope().filter(end__gte=since, start__gt=since - MAX_DURATION)
    hosts = dict(scope.values_list("event_id", "office__site__hostname").distinct())
    events = (
        EventPage.objects.live()
        .filter(pk__in=list(hosts))
        .select_related("room__office")
        .prefetch_related("cancelled_dates", "extra_dates")
        .order_by("start", "pk")
    )
    office = listing.owner_office
    name = office.display_short_name if office else listing.title
    cal = build_calendar(f"{listing.title} – {name}", ((e, hosts[e.pk]) for e in events), request)
    return cal.to_ical(), german_slugify(name) or "veranstaltungen"


def event_response(event, request):
    """The single-event file offered on each event page."""
    hostname = (
        Occurrence.objects.filter(event=event)
        .values_list("office__site__hostname", flat=True)
        .first()
    )
    if hostname is None:
        site = event.get_site()
        hostname = site.hostname if site else request.get_host().split(":")[0]
    cal = build_calendar(event.title, [(event, hostname)], request)
    return ics_response(cal, german_slugify(event.title) or "veranstaltung")
