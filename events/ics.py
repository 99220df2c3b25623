"""iCalendar (RFC 5545) export: a feed per listing page and a file per event.

One VEVENT per event page carries its rule (``RRULE`` with ``UNTIL``/``COUNT`` inside,
``EXDATE`` for cancelled dates, ``RDATE`` for extra dates), so calendar apps expand it
themselves. Times carry ``TZID=Europe/Berlin`` with a ``VTIMEZONE``; all-day events are
DATE values. The UID is ``event-<translation_key>@<hostname>``: stable across edits and
the same for a page and its translations, unique across the network.
"""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from icalendar import Calendar, Event, vRecur

from sites.chrome import cached_until_next_save

from .models import MAX_DURATION, EventPage, Occurrence
from .recurrence import BERLIN, localise

#: Events whose last materialised occurrence ended longer ago are left out of feeds.
FEED_PAST = datetime.timedelta(days=90)


def uid_for(event, hostname):
    return f"event-{event.translation_key}@{hostname}"


def new_calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//Selbsthilfe-Kontaktstellen//Veranstaltungen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
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
    """A calendar of ``(event, hostname)`` pairs; the time zone is added once."""
    cal = new_calendar(name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event, hostname in events_with_hosts:
        cal.add_component(vevent(event, hostname, event.get_full_url(request), stamp))
    cal.add_missing_timezones()
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
        f"events:feed:{listing.pk}:{today}", lambda: build_feed(listing, request)
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
        .select_related("room")
        .prefetch_related("cancelled_dates", "extra_dates")
        .order_by("start", "pk")
    )
    office = listing.owner_office
    name = office.display_short_name if office else listing.title
    cal = build_calendar(f"{listing.title} – {name}", ((e, hosts[e.pk]) for e in events), request)
    return cal.to_ical(), slugify(name) or "veranstaltungen"


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
    return ics_response(cal, slugify(event.title) or "veranstaltung")
