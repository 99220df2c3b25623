from django import template
from wagtail.models import Site

from directory.queries import newest_for_site
from sites import chrome
from sites.tenancy import office_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def newest_groups(context, limit=3):
    """The newest groups of the requested site's office, for the home page."""
    from directory.models import DirectoryPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    directory = chrome.for_request(request).section(DirectoryPage)
    if directory is None:
        return []
    office = office_for_request(request)
    return newest_for_site(site, limit, office=office, base_url=directory["url"])
