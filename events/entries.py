"""Dates as listings show them, built from plain values instead of model instances.

A listing shows 20 dates, a month of the network calendar up to 155. Loading each with
its event page (a clusterable model with dozens of fields), office and room took a large
part of these pages' time; the few columns a list item shows come from one ``values()``
query instead, and an event's URL is its listing page's URL plus its slug (Wagtail URLs
follow ``url_path``), so one ``get_url`` per listing page is enough.
"""

import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from sites.choices import label_of
from sites.chrome import cached_until_next_save

from .recurrence import BERLIN


class OccurrenceEntry:
    """One date of an event: what a list item or a calendar cell shows."""

    FIELDS = (
        "pk",
        "start",
        "end",
        "all_day",
        "cancelled",
        "category",
        "locale_id",
        "event__title",
        "event__slug",
        "event__path",
        "event__location_kind",
        "event__address",
        "event__room__name",
        "event__room__office__street",
        "event__room__office__postcode",
        "event__room__office__city",
        "event__registration_enabled",
        "office__name",
        "office__short_name",
    )

    def __init__(self, values, url):
        self.pk = values["pk"]
        self.start, self.end = values["start"], values["end"]
        self.all_day, self.cancelled = values["all_day"], values["cancelled"]
        self.category = values["category"]
        self.locale_id = values["locale_id"]
        self.title = values["event__title"]
        self.registration_enabled = values["event__registration_enabled"]
        self.office_name = values["office__short_name"] or values["office__name"]
        postcode = values["event__room__office__postcode"]
        city = values["event__room__office__city"]
        room_office_place = " ".join(part for part in (postcode, city) if part)
        room_parts = (
            values["event__room__name"],
            values["event__room__office__street"],
            room_office_place,
        )
        self._location = (
            values["event__location_kind"],
            values["event__address"],
            ", ".join(part for part in room_parts if part) if room_parts[0] else "",
        )
        self.url = url

    @cached_property
    def local_start(self):
        return timezone.localtime(self.start, BERLIN)

    @cached_property
    def local_end(self):
        return timezone.localtime(self.end, BERLIN)

    @property
    def last_day(self):
        """For all-day dates: the last day (``end`` is midnight after it)."""
        return (self.local_end - datetime.timedelta(seconds=1)).date()

    @property
    def category_label(self):
        from .models import EventCategory

        return label_of(EventCategory, self.category)

    @property
    def location_text(self):
        """The place as one line, as ``EventPage.location_text`` gives it."""
        from .models import LocationKind

        kind, address, room = self._location
        if kind == LocationKind.ONLINE:
            return str(_("Online"))
        if kind == LocationKind.ADDRESS:
            return ", ".join(line.strip() for line in (address or "").splitlines() if line.strip())
        return room or ""


def entries(queryset, request, known=None):
    """The dates of ``queryset`` (an ``Occurrence`` queryset, in its order) as entries.

    ``known`` maps listing page paths to their URLs (e.g. the page being shown), which
    saves the query for those; the URLs of other listing pages come from the cached
    ``listing_url_parts`` (a translated listing shows the German dates of events not yet
    translated, below the German listing page, and would otherwise cost a query more than
    the German one, issue #12).
    """
    rows = list(queryset.values(*OccurrenceEntry.FIELDS))
    base_urls = dict(known or {})
    missing = {row["event__path"][: -Page.steplen] for row in rows} - set(base_urls)
    if missing:
        base_urls.update(_listing_urls(missing, request))
        missing -= set(base_urls)
    if missing:
        for page in Page.objects.filter(path__in=missing).only("path", "url_path", "depth"):
            base_urls[page.path] = page.get_url(request)
    result = []
    for row in rows:
        base = base_urls.get(row["event__path"][: -Page.steplen])
        result.append(OccurrenceEntry(row, f"{base}{row['event__slug']}/" if base else None))
    return result


def listing_url_parts():
    """``{path: (site id, root URL, path below the site)}`` of every live events page and
    network calendar, kept until the next save (any page save starts a new chrome
    version): a listing of several offices' dates (the network calendar, the state
    home's teaser) finds their events pages' URLs without a query, so its query count
    does not depend on which offices' dates a month happens to hold."""

    def build():
        from .models import EventIndexPage, NetworkCalendarPage

        parts = {}
        for model in (EventIndexPage, NetworkCalendarPage):
            for page in model.objects.live().only("path", "url_path", "depth", "locale_id"):
                found = page.get_url_parts()
                if found is not None and found[2] is not None:
                    parts[page.path] = found
        return parts

    return cached_until_next_save("events:listing-url-parts", build)


def _listing_urls(paths, request):
    """URLs of the listing pages among ``paths`` as ``Page.get_url(request)`` gives them:
    relative on the request's own site, with the host on another."""
    from wagtail.models import Site

    parts = listing_url_parts()
    site = Site.find_for_request(request) if request is not None else None
    single_site = len({root.site_id for root in Site.get_site_root_paths()}) == 1
    urls = {}
    for path in paths:
        found = parts.get(path)
        if found is None:
            continue
        site_id, root_url, page_path = found
        local = single_site or (site is not None and site.pk == site_id)
        urls[path] = page_path if local else root_url + page_path
    return urls
