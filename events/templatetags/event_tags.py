from django import template
from wagtail.models import Site

from events.queries import upcoming_for_site
from sites import chrome
from sites.http_cache import expires_at
from sites.tenancy import office_for_request

register = template.Library()


@register.inclusion_tag("events/includes/upcoming_teaser.html", takes_context=True)
def upcoming_events(context, limit=3):
    """The next events of the requested site, for the home page:
    ``{% load event_tags %}{% upcoming_events 3 %}``."""
    from events.models import EventIndexPage, NetworkCalendarPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    data = chrome.for_request(request)
    listing = data.section(EventIndexPage, NetworkCalendarPage) if data else None
    known = {listing["path"]: listing["url"]} if listing else None
    occurrences = _upcoming(site, limit, request, known) if site else []
    # A date leaves the teaser when it ends: a shared cache keeps the page no longer.
    ends = [o.end for o in occurrences if getattr(o, "end", None)]
    if ends:
        expires_at(request, min(ends))
    office = office_for_request(request) if request else None
    return {
        "request": request,
        "occurrences": occurrences,
        "listing": listing,
        "page": context.get("page"),
        # The state site lists every office's events: each names its office.
        "show_office": bool(office and office.is_state),
    }


def _upcoming(site, limit, request, known):
    """``upcoming_for_site``, kept until the next save (page saves and the nightly refresh
    of the stored dates start a new chrome version) or until the first shown date ends or
    leaves the upcoming window by time alone, whichever comes first: the teaser is on
    every home page, and its query was a third of the page's database time."""
    from django.utils import timezone

    from events.models import MAX_DURATION
    from sites.languages import active_language

    def build():
        occurrences = upcoming_for_site(site, limit, request=request, known=known)
        until = min((min(o.end, o.start + MAX_DURATION) for o in occurrences), default=None)
        return {"occurrences": occurrences, "until": until}

    def fresh(value):
        return value["until"] is None or timezone.now() < value["until"]

    key = f"events:upcoming:{site.pk}:{active_language()}:{limit}"
    # Keyed by the site's version: an office's events change with its pages; the state
    # site's (every office's) is replaced by a page change on any office's site too.
    return chrome.cached_until_next_save(key, build, fresh=fresh, site=site)["occurrences"]


@register.simple_tag(takes_context=True)
def fallback_lang(context, occurrence):
    """`` lang="de"`` on an untranslated German event listed on a translated page (so that
    screen readers switch language, WCAG 3.1.2); nothing otherwise."""
    page = context.get("page")
    if page is None:
        return ""
    return fallback_lang_attribute(getattr(page, "locale_id", occurrence.locale_id), occurrence)


def fallback_lang_attribute(page_locale_id, occurrence):
    """What ``{% fallback_lang %}`` prints for ``occurrence`` on a page of ``page_locale_id``
    (the month calendar asks once per date in its view, not per template tag)."""
    from django.conf import settings
    from django.utils.html import format_html

    if occurrence.locale_id == page_locale_id:
        return ""
    from sites.languages import active_language, direction

    if direction(active_language()) != direction(settings.LANGUAGE_CODE):
        return format_html(' lang="{}" dir="ltr"', settings.LANGUAGE_CODE)
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
