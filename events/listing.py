"""The public views of an events index and of the network calendar.

Both page types share this mixin; the only difference is the scope: an office's index lists
its own events, the network calendar lists every office's (with a filter by office). Every
listing is one query on the materialised ``Occurrence`` table (plus a count for
pagination), whatever the number of events.
"""

import calendar
import datetime
import functools

from django.core.paginator import EmptyPage, Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.models import path

PER_PAGE = 20
ARCHIVE_PER_PAGE = 30
#: Dates shown in one day cell of the month calendar; the rest are linked as a day list.
PER_DAY = 5


class EventListingMixin:
    """Routes ``/``, ``kalender/``, ``archiv/`` and ``ical/`` of a listing page."""

    network = False

    # --- scope --------------------------------------------------------------------------

    @cached_property
    def owner_office(self):
        from sites.tenancy import office_for_page

        return office_for_page(self)

    def network_offices(self):
        """Every office for the network calendar's filter, kept until the next save (an
        office profile or site save starts a new chrome version)."""
        from sites.chrome import cached_until_next_save
        from sites.models import Office

        return cached_until_next_save(
            "events:network-offices",
            lambda: list(Office.objects.select_related("site").order_by("kind", "name")),
        )

    def occurrence_scope(self, office=None, request=None):
        """Occurrences this page lists (in its locale, with untranslated German events on
        a translated page), optionally of one office."""
        from .models import Occurrence

        scope = Occurrence.objects.in_locale(self.locale_id)
        if not self.network:
            return scope.filter(office_id=self._owner_id(request))
        if office is not None:
            scope = scope.filter(office_id=office)
        return scope

    def _owner_id(self, request=None):
        """The owning office's id: while serving, the requested site's office when the
        page lies below one of that site's roots (from the request's cached office and
        the site root paths in memory, no shared-cache read); else the ownership map."""
        from wagtail.models import Site

        from sites.tenancy import office_for_request, office_id_for_page

        site = getattr(request, "_wagtail_site", None) if request is not None else None
        if site is not None:
            office = office_for_request(request)
            below = any(
                root.site_id == site.pk and self.url_path.startswith(root.root_path)
                for root in Site.get_site_root_paths()
            )
            if office is not None and below:
                return office.pk
        return office_id_for_page(self)

    # --- filters ------------------------------------------------------------------------

    def filter_form(self, request):
        from .forms import ListingFilterForm

        offices = self.network_offices() if self.network else None
        form = ListingFilterForm(request.GET, offices=offices)
        form.is_valid()
        return form, offices

    def filtered(self, form, queryset):
        category = form.value("kategorie")
        if category:
            queryset = queryset.filter(category=category)
        return queryset

    def query_string(self, form, **overrides):
        """The valid filters as a query string (for pagination and month links)."""
        from django.http import QueryDict

        params = QueryDict(mutable=True)
        for name in ("monat", "tag", "kategorie", "kontaktstelle"):
            value = form.value(name) if name in form.fields else None
            if isinstance(value, datetime.date):
                value = value.strftime("%Y-%m-%d" if name == "tag" else "%Y-%m")
            if value:
                params[name] = value
        for key, value in overrides.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = value
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else ""

    def _respond(self, request, template, context, form):
        context = {**self.get_context(request), **context}
        context["filter_form"] = form
        context["filter_errors"] = [error for errors in form.errors.values() for error in errors]
        # Worked out once here rather than by tags and filters in the templates (the
        # subnavigation's three route URLs, the feed URL twice, the selected options).
        base = self.get_url(request) or ""
        context["view_urls"] = {name: base + suffix for name, suffix in _subpage_suffixes(self)}
        context["feed_url"] = self.feed_url()
        month = context.get("month")
        context["month_value"] = month.strftime("%Y-%m") if month else ""
        cleaned = getattr(form, "cleaned_data", {})
        context["selected_category"] = cleaned.get("kategorie") or ""
        context["selected_office"] = cleaned.get("kontaktstelle") or ""
        status = 400 if context["filter_errors"] else 200
        return TemplateResponse(request, template, context, status=status)

    def _page(self, request, queryset, per_page, form):
        """One page of ``queryset``, its dates as ``events.entries.OccurrenceEntry``."""
        from .entries import entries

        paginator = Paginator(queryset, per_page)
        number = form.value("seite") or 1
        try:
            page = paginator.page(number)
        except EmptyPage:
            form.add_error("seite", _("Diese Seite gibt es nicht."))
            page = paginator.page(paginator.num_pages)
        page.object_list = entries(page.object_list, request, self._known_urls(request))
        return page

    def _cached_upcoming_page(self, request, queryset, form, key):
        """The upcoming list's page of dates with their count and their list items already
        rendered, kept until the next save (a publish, a cancelled date, the nightly
        refresh of the stored dates start a new chrome version) or until the first of the
        listed dates ends or leaves the upcoming window by time alone, whichever comes
        first: after that the same query would give another count or page. ``key`` names
        the filters; the site, language and this page are added here.

        Returns ``(page, items_html)``; ``page`` is a ``Page`` of
        ``events.entries.OccurrenceEntry`` whose paginator needs no count query."""
        from django.db.models import Count, Min
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        from sites.chrome import cached_until_next_save
        from sites.languages import active_language

        from .entries import entries
        from .models import MAX_DURATION

        number = form.value("seite") or 1

        def build():
            # One query for the count and for when the first date leaves the list.
            summary = queryset.aggregate(
                count=Count("pk"), first_start=Min("start"), first_end=Min("end")
            )
            paginator = Paginator(queryset, PER_PAGE)
            paginator.count = summary["count"]
            missing = False
            try:
                shown = paginator.validate_number(number)
            except EmptyPage:
                missing, shown = True, paginator.num_pages
            bottom = (shown - 1) * PER_PAGE
            items = entries(
                queryset[bottom : bottom + PER_PAGE], request, self._known_urls(request)
            )
            html = render_to_string(
                "events/includes/occurrence_items.html",
                {"occurrences": items, "show_office": self.network, "page": self},
            )
            until = None
            if summary["count"]:
                until = min(summary["first_end"], summary["first_start"] + MAX_DURATION)
            return {
                "count": summary["count"],
                "number": shown,
                "missing": missing,
                "entries": items,
                "html": str(html),
                "until": until,
            }

        def fresh(value):
            return value["until"] is None or timezone.now() < value["until"]

        site = getattr(request, "_wagtail_site", None)
        value = cached_until_next_save(
            f"events:upcoming-page:{self.pk}:{site.pk if site else ''}:{active_language()}:"
            f"{key}:{number}",
            build,
            fresh=fresh,
        )
        if value["missing"]:
            form.add_error("seite", _("Diese Seite gibt es nicht."))
        paginator = Paginator(value["entries"], PER_PAGE)
        paginator.count = value["count"]
        page = paginator.page(value["number"])
        page.object_list = value["entries"]
        return page, mark_safe(value["html"])  # rendered by our own template above

    def _known_urls(self, request):
        """This page's URL by its path: the events below it need no query for theirs."""
        return {self.path: self.get_url(request)}

    def _office_filter(self, form):
        if not self.network:
            return None
        value = form.value("kontaktstelle")
        return int(value) if value else None

    # --- routes -------------------------------------------------------------------------

    @path("", name="upcoming")
    def upcoming_view(self, request):
        form, offices = self.filter_form(request)
        now = timezone.now()
        occurrences = self.filtered(
            form, self.occurrence_scope(self._office_filter(form), request).upcoming(now)
        )
        month = form.value("monat")
        if month:
            start, end = month_bounds(month)
            occurrences = occurrences.overlapping(start, end)
        day = form.value("tag")
        if day:
            start, end = day_bounds(day)
            occurrences = occurrences.overlapping(start, end)
        filters = "|".join(
            str(value or "")
            for value in (
                form.value("kategorie"),
                self._office_filter(form),
                month and month.strftime("%Y-%m"),
                day and day.isoformat(),
            )
        )
        page, items_html = self._cached_upcoming_page(request, occurrences, form, filters)
        return self._respond(
            request,
            "events/event_listing.html",
            {
                "mode": "upcoming",
                "occurrences": page,
                "items_html": items_html,
                "offices": offices,
                "month": month,
                "day": day,
                "month_choices": upcoming_months(now),
                "page_links": self._page_links(form, page),
            },
            form,
        )

    @path("archiv/", name="archive")
    def archive_view(self, request):
        form, offices = self.filter_form(request)
        occurrences = self.filtered(
            form,
            self.occurrence_scope(self._office_filter(form), request)
            .past()
            .filter(cancelled=False),
        )
        month = form.value("monat")
        if month:
            start, end = month_bounds(month)
            occurrences = occurrences.overlapping(start, end)
        page = self._page(request, occurrences, ARCHIVE_PER_PAGE, form)
        return self._respond(
            request,
            "events/event_listing.html",
            {
                "mode": "archive",
                "occurrences": page,
                "offices": offices,
                "month": month,
                "page_links": self._page_links(form, page),
            },
            form,
        )

    @path("kalender/", name="calendar")
    def calendar_view(self, request):
        form, offices = self.filter_form(request)
        month = form.value("monat") or timezone.localdate().replace(day=1)
        start, end = month_bounds(month)
        scope = self.filtered(
            form,
            self.occurrence_scope(self._office_filter(form), request)
            .overlapping(start, end)
            .order_by("start", "pk"),
        )
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        from sites.chrome import cached_until_next_save
        from sites.languages import active_language

        def build():
            # The bare dates of all occurrences, then (for a month with dates) the full rows
            # of at most PER_DAY a day (a busy network month has hundreds).
            weeks, shown = month_grid(
                month, [CalendarRow(*row) for row in scope.values_list(*CalendarRow.FIELDS)]
            )

            from .entries import entries
            from .models import Occurrence

            full = {
                entry.pk: entry
                for entry in entries(
                    Occurrence.objects.filter(pk__in=shown), request, self._known_urls(request)
                )
            }
            label_days(weeks, month)
            from .templatetags.event_tags import fallback_lang_attribute

            for entry in full.values():
                # Printed per date by the template; worked out here once instead of by a
                # filter and a tag per date (a network month shows up to 155 of them).
                entry.time_label = "" if entry.all_day else entry.local_start.strftime("%H:%M")
                entry.lang_attribute = fallback_lang_attribute(self.locale_id, entry)
            for week in weeks:
                for day in week:
                    day["occurrences"] = [full[pk] for pk in day["occurrences"] if pk in full]
            html = render_to_string(
                "events/includes/calendar_weeks.html",
                {
                    "weeks": weeks,
                    "page": self,
                    "day_link_prefix": self._day_link_prefix(request, form),
                },
            )
            return {"html": str(html), "has_events": bool(shown)}

        # The rendered rows are kept until the next save (a publish, a cancelled date, the
        # nightly refresh of the stored dates start a new chrome version); a month's dates
        # do not change by time, only which day is marked as today (part of the key).
        site = getattr(request, "_wagtail_site", None)
        key = "|".join(
            str(value or "") for value in (form.value("kategorie"), self._office_filter(form))
        )
        grid = cached_until_next_save(
            f"events:calendar:{self.pk}:{site.pk if site else ''}:{active_language()}:"
            f"{month:%Y-%m}:{key}:{timezone.localdate().isoformat()}",
            build,
        )
        previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        return self._respond(
            request,
            "events/event_calendar.html",
            {
                "mode": "calendar",
                "month": month,
                "month_label": date_format(month, "F Y"),
                "weeks_html": mark_safe(grid["html"]),  # rendered by our own template
                "month_has_events": grid["has_events"],
                "offices": offices,
                "previous_link": self.query_string(form, monat=previous_month.strftime("%Y-%m")),
                "next_link": self.query_string(form, monat=next_month.strftime("%Y-%m")),
                "weekday_names": weekday_names(),
            },
            form,
        )

    @path("ical/", name="feed")
    def feed_view(self, request):
        from .ics import feed_response

        return feed_response(self, request)

    def _day_link_prefix(self, request, form):
        """The list of one day (the calendar's "more" link), without the day itself."""
        query = self.query_string(form, monat=None, tag=None)
        return f"{self.get_url(request)}{query}{'&' if query else '?'}tag="

    def _page_links(self, form, page):
        links = {}
        if page.has_previous():
            links["previous"] = self.query_string(form, seite=page.previous_page_number())
        if page.has_next():
            links["next"] = self.query_string(form, seite=page.next_page_number())
        return links

    def feed_url(self, request=None):
        return self.get_url(request) + _feed_suffix(type(self))


def month_bounds(month):
    """Aware start of ``month`` and of the following month, in Europe/Berlin."""
    from .recurrence import localise

    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return (
        localise(datetime.datetime.combine(month, datetime.time())),
        localise(datetime.datetime.combine(following, datetime.time())),
    )


def day_bounds(day):
    from .recurrence import localise

    following = day + datetime.timedelta(days=1)
    return (
        localise(datetime.datetime.combine(day, datetime.time())),
        localise(datetime.datetime.combine(following, datetime.time())),
    )


def _subpage_suffixes(page):
    """``(name, path below the page)`` of the routes the subnavigation links."""
    return _route_suffixes(type(page))


@functools.cache
def _route_suffixes(model):
    resolver = model.get_resolver()  # what ``reverse_subpage`` asks, per class
    return tuple((name, resolver.reverse(name)) for name in ("upcoming", "calendar", "archive"))


@functools.cache
def _feed_suffix(model):
    return model.get_resolver().reverse("feed")


def upcoming_months(now, count=12):
    """``(value, label)`` of the next ``count`` months, from this process's memory after
    the first ask in a month and language (a list shows them on every request)."""
    from django.utils.translation import get_language

    month = timezone.localtime(now).date().replace(day=1)
    return _months_from(month, count, get_language())


@functools.lru_cache(maxsize=64)
def _months_from(month, count, language):
    result = []
    for _i in range(count):
        result.append((month.strftime("%Y-%m"), date_format(month, "F Y")))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return tuple(result)


def weekday_names():
    base = datetime.date(2024, 1, 1)  # a Monday
    return [
        (
            date_format(base + datetime.timedelta(days=i), "l"),
            date_format(base + datetime.timedelta(days=i), "D"),
        )
        for i in range(7)
    ]


def label_days(weeks, month):
    """The texts of each day cell (ISO date, "Montag, ", "3.", " März"), built in Python
    once per month instead of four ``date`` filters per cell in the template."""
    from django.utils import dateformat

    weekdays = {}
    month_name = dateformat.format(month, "F")
    for week in weeks:
        for day in week:
            date = day["date"]
            if date.weekday() not in weekdays:
                weekdays[date.weekday()] = dateformat.format(date, "l")
            day["iso"] = date.isoformat()
            day["weekday_label"] = weekdays[date.weekday()]
            day["number_label"] = f"{date.day}."
            day["month_label"] = month_name


class CalendarRow:
    """The few columns the month grid needs to place an occurrence on its days."""

    FIELDS = ("pk", "start", "end", "all_day")
    __slots__ = FIELDS

    def __init__(self, pk, start, end, all_day):
        self.pk, self.start, self.end, self.all_day = pk, start, end, all_day

    def days(self):
        from .recurrence import BERLIN

        first = self.start.astimezone(BERLIN).date()
        local_end = self.end.astimezone(BERLIN)
        last = local_end.date()
        if local_end.time() == datetime.time() and last > first:
            last -= datetime.timedelta(days=1)  # ends at midnight: not on the next day
        return first, last


def month_grid(month, rows):
    """Weeks (Monday first) of ``month``; each day with the pks of at most ``PER_DAY``
    occurrences and the number of further ones. Returns ``(weeks, shown_pks)``.

    Multi-day events appear on every day they cover inside the month.
    """
    by_day = {}
    for row in rows:
        first, last = row.days()
        day = max(first, month)
        while day <= last and day.month == month.month:
            by_day.setdefault(day, []).append(row.pk)
            day += datetime.timedelta(days=1)
    today = timezone.localdate()
    weeks, shown = [], set()
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        cells = []
        for day in week:
            pks = by_day.get(day, []) if day.month == month.month else []
            shown.update(pks[:PER_DAY])
            cells.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "occurrences": pks[:PER_DAY],
                    "more": max(0, len(pks) - PER_DAY),
                }
            )
        weeks.append(cells)
    return weeks, shown
