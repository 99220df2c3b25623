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
    from directory.search import counts_version
    from sites.languages import active_language

    # Kept until any group, topic or locale changes (the directory's counts version), the
    # network version changes (office profiles) or the directory page's URL (from the
    # chrome, in the key) does: two queries fewer on every home page, also on the first
    # one after a page of the site was published.
    url = directory["url"]
    key = f"directory:newest:{counts_version()}:{site.pk}:{active_language()}:{limit}:{url}"
    return chrome.cached_until_network_changes(
        key, lambda: newest_for_site(site, limit, office=office, base_url=url)
    )


@register.inclusion_tag("directory/includes/search_box.html", takes_context=True)
def group_search_box(context, heading_id="group-search-heading"):
    """A search box for the site's directory (office home pages and the state home): the
    first thing a visitor of a home page can use, on a phone without scrolling."""
    from directory.models import DirectoryPage

    request = context.get("request")
    site_chrome = chrome.for_request(request)
    directory = site_chrome.section(DirectoryPage) if site_chrome else None
    return {"directory": directory, "heading_id": heading_id}
