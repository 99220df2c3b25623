"""Dates as listings show them, built from plain values instead of model instances.

A listing shows 20 dates, a month of the network calendar up to 155. Loading each with
its event page (a clusterable model with dozens of fields), office and room took a large
part of these pages' time; the few columns a list item shows come from one ``values()``
query instead, and an event's URL is its listing page's URL plus its slug (Wagtail URLs
follow ``url_path``), so one ``get_url`` per listing page is enough.
"""

import datetime
import hashlib

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


def listing_urls(paths, request):
    """``{path: URL}`` of the listing pages at ``paths``, as ``request``'s site links them
    (cached until the next save of any site or page, ``sites.chrome``)."""
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else None

    def build():
        pages = Page.objects.filter(path__in=paths).only("path", "url_path", "depth")
        return {page.path: page.get_url(request) for page in pages}

    digest = hashlib.sha256(",".join(sorted(paths)).encode()).hexdigest()[:32]
    key = f"events:listing-urls:{site.pk if site else '-'}:{digest}"
    return cached_until_next_save(key, build)


def entries(queryset, request, known=None):
    """The dates of ``queryset`` (an ``Occurrence`` queryset, in its order) as entries.

    ``known`` maps listing page paths to their URLs (e.g. the page being shown), which
    saves the query for those; the URLs of other listing pages take one query, kept until
    the next page save: a translated listing shows the German dates of events not yet
    translated, below the German listing page, and would otherwise cost a query more than
    the German one (issue #12).
    """
    rows = list(queryset.values(*OccurrenceEntry.FIELDS))
    base_urls = dict(known or {})
    missing = {row["event__path"][: -Page.steplen] for row in rows} - set(base_urls)
    if missing:
        base_urls.update(listing_urls(missing, request))
    result = []
    for row in rows:
        base = base_urls.get(row["event__path"][: -Page.steplen])
        result.append(OccurrenceEntry(row, f"{base}{row['event__slug']}/" if base else None))
    return result
