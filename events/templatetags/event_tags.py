from django import template
from wagtail.models import Site

from events.queries import upcoming_for_site

register = template.Library()


@register.inclusion_tag("events/includes/upcoming_teaser.html", takes_context=True)
def upcoming_events(context, limit=3):
    """The next events of the requested site, for the home page:
    ``{% load event_tags %}{% upcoming_events 3 %}``."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    occurrences = upcoming_for_site(site, limit) if site else []
    listing = None
    if site is not None:
        from events.models import EventIndexPage, NetworkCalendarPage

        home = site.root_page.localized
        listing = (
            EventIndexPage.objects.live().child_of(home).first()
            or NetworkCalendarPage.objects.live().child_of(home).first()
        )
    return {"request": request, "occurrences": occurrences, "listing_page": listing}


@register.simple_tag(takes_context=True)
def event_url(context, occurrence):
    """The URL of an occurrence's event page (absolute when it is on another site)."""
    return occurrence.event.get_url(context.get("request"))
