from django import template
from wagtail.models import Page, Site

from events.queries import upcoming_for_site
from sites import chrome

register = template.Library()


@register.inclusion_tag("events/includes/upcoming_teaser.html", takes_context=True)
def upcoming_events(context, limit=3):
    """The next events of the requested site, for the home page:
    ``{% load event_tags %}{% upcoming_events 3 %}``."""
    from events.models import EventIndexPage, NetworkCalendarPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    occurrences = upcoming_for_site(site, limit) if site else []
    data = chrome.for_request(request)
    listing = data.section(EventIndexPage, NetworkCalendarPage) if data else None
    return {"request": request, "occurrences": occurrences, "listing": listing}


@register.simple_tag(takes_context=True)
def event_url(context, occurrence):
    """The URL of an occurrence's event page (absolute when it is on another site).

    A month of the network calendar links up to 155 dates, and Wagtail's ``get_url`` walks
    every site's root paths and reverses a URL for each: a third of that page's render
    time. Page URLs follow ``url_path`` (parent URL + slug + "/"), so one ``get_url`` per
    listing page gives the prefix of all its events; an URL that does not end in the
    slug (a page type with its own routing) is never used as a prefix.
    """
    event = occurrence.event
    request = context.get("request")
    prefixes = context.render_context.setdefault("event_url_prefixes", {})
    parent_path = event.path[: -Page.steplen]
    prefix = prefixes.get(parent_path)
    if prefix is not None:
        return f"{prefix}{event.slug}/"
    url = event.get_url(request)
    suffix = f"/{event.slug}/"
    if url and url.endswith(suffix):
        prefixes[parent_path] = url[: -len(suffix) + 1]
    return url


@register.simple_tag(takes_context=True)
def fallback_lang(context, occurrence):
    """`` lang="de"`` on an untranslated German event listed on a translated page (so that
    screen readers switch language, WCAG 3.1.2); nothing otherwise."""
    from django.conf import settings
    from django.utils.html import format_html

    page = context.get("page")
    if page is None or occurrence.locale_id == getattr(page, "locale_id", occurrence.locale_id):
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
