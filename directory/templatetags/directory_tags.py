from django import template
from wagtail.models import Site

from directory.queries import newest_for_site

register = template.Library()


@register.simple_tag(takes_context=True)
def newest_groups(context, limit=3):
    """The newest groups of the requested site's office, for the home page."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return newest_for_site(site, limit) if site else []
