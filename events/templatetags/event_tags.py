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
    occurrences = upcoming_for_site(site, limit, request=request, known=known) if site else []
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


@register.simple_tag(takes_context=True)
def fallback_lang(context, occurrence):
    """`` lang="de"`` on an untranslated German event listed on a translated page (so that
    screen readers switch language, WCAG 3.1.2); nothing otherwise."""
    from django.conf import settings
    from django.utils.html import format_html

    page = context.get("page")
    if page is None or occurrence.locale_id == getattr(page, "locale_id", occurrence.locale_id):
        return ""
    from sites.languages import active_language, direction

    if direction(active_language()) != direction(settings.LANGUAGE_CODE):
        return format_html(' lang="{}" dir="ltr"', settings.LANGUAGE_CODE)
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
