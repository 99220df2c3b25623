from django import template
from wagtail.models import Page, Site

from sites import chrome, languages
from sites.tenancy import office_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def current_office(context):
    """The office profile of the requested site (cached on the request)."""
    return office_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Header, menu and footer data of the requested site in the active language
    (see ``sites.chrome``): ``{% site_chrome as chrome %}``."""
    return chrome.for_request(context.get("request"))


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current object in every language the site offers.

    The link keeps the route below the page and the query string, so that on a group's
    page (a route of the directory page) it leads to that group in the other language,
    on the directory filtered by a topic to the same topic, and in the calendar to the
    same month. Where the page has no translation in a language, the link leads to its
    nearest ancestor in that language (an untranslated event: the events page), at
    least to that language's home page of the same site, never to another office. One
    query for the live translations of the current page (shared with the head, see
    ``sites.seo``), one more only when a language is missing; the homes come from the
    chrome.
    """
    from sites import seo

    request = context.get("request")
    data = chrome.for_request(request)
    if data is None:
        return {"links": []}
    page = context.get("page")
    current = languages.active_language()
    offered = data.languages
    targets = {}
    if isinstance(page, Page) and page.pk:
        subpath = seo.page_subpath(request, page)
        query = request.META.get("QUERY_STRING", "") if request is not None else ""
        suffix = subpath + (f"?{query}" if query else "")
        for code, other in seo.language_versions(page, request).items():
            if code in offered:
                url = other.get_url(request)
                if url:
                    targets[code] = url + suffix
        missing = set(offered) - set(targets)
        targets.update(
            {
                code: url
                for code, url in seo.nearest_translated_ancestors(page, missing, request).items()
                if url
            }
        )
    links = []
    for code in offered:
        url = targets.get(code) or data.home_urls.get(code)
        if not url:
            continue
        links.append(
            {
                "code": code,
                # Each language is named in itself, so that a visitor who cannot read the
                # current one still finds theirs.
                "name": languages.name_local(code),
                "dir": languages.direction(code),
                "url": url,
                "current": code == current,
            }
        )
    return {"links": links if len(links) > 1 else []}


@register.simple_tag(takes_context=True)
def site_home(context):
    """The home page of the requested site in the active language, as a link
    (``pk``, ``url``, ``title``), or None."""
    data = chrome.for_request(context.get("request"))
    return data.home if data else None


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page):
    """The ancestors of ``page`` below the tree root as links (``depth``, ``title``,
    ``url``) for the breadcrumbs, kept until the next save of a page of its site (which
    starts a new version of the site): Wagtail's ``get_ancestors`` was a query on every
    page below a home."""
    if not isinstance(page, Page) or not page.pk:
        return []
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None

    def build():
        return [
            {"depth": ancestor.depth, "title": ancestor.title, "url": ancestor.get_url(request)}
            for ancestor in page.get_ancestors()
            if ancestor.depth > 1
        ]

    return chrome.cached_until_next_save(
        f"breadcrumbs:{page.pk}:{site.pk if site else ''}", build, site=chrome.site_of_page(page)
    )


@register.filter
def is_current(link, page):
    """Whether a menu ``link`` leads to ``page`` or one of its ancestors."""
    if not isinstance(page, Page):
        return False
    return page.pk == link["pk"] or (link["depth"] > 2 and page.path.startswith(link["path"]))


@register.simple_tag
def page_translation_state(page):
    """How far ``page`` is translated (see ``sites.content_language``)."""
    from sites.content_language import translation_state

    return translation_state(page) if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def content_lang(context):
    """`` lang="de"`` on an element holding the page's own text, while the page is an
    untranslated copy of its German source (WCAG 3.1.2); nothing otherwise. Put it on
    the title, intro and body, not on the interface text around them, which is
    translated: ``<h1{% content_lang %}>``."""
    from django.utils.html import format_html

    state = page_translation_state(context.get("page"))
    if state and state.get("state") == "untranslated":
        source = state["source_language"]
        # German text on an Arabic page keeps its own direction (else its full stops
        # and brackets wander to the wrong end of the line).
        if languages.direction(source) != languages.direction(languages.active_language()):
            return format_html(' lang="{}" dir="{}"', source, languages.direction(source))
        return format_html(' lang="{}"', source)
    return ""


@register.simple_tag(takes_context=True)
def office_is_open(context, office):
    """ "Open now" state of ``office`` with the next opening, for the home page."""
    from django.utils import timezone

    from sites.models import OFFICE_TIME_ZONE

    now = timezone.localtime(timezone.now(), OFFICE_TIME_ZONE)
    upcoming = office.next_opening(now)
    next_day = None
    if upcoming is not None:
        days = (upcoming.date() - now.date()).days
        # Beyond a week (after a closure) a weekday alone would be ambiguous: name the date.
        next_day = {0: "today", 1: "tomorrow"}.get(days, "later" if days < 7 else "date")
    _open_state_expires(context.get("request"), office, now)
    return {"open": office.is_open_at(now), "next": upcoming, "next_day": next_day}


def _open_state_expires(request, office, now):
    """The "open now" line changes at the next opening or closing time of today (later
    days start after midnight, where shared caching ends anyway)."""
    import datetime

    from sites.http_cache import expires_at
    from sites.models import OFFICE_TIME_ZONE

    moments = [
        datetime.datetime.combine(now.date(), time, tzinfo=OFFICE_TIME_ZONE)
        for hours in office.opening_hours.all()
        if hours.weekday == now.weekday()
        for time in (hours.opens, hours.closes)
        if time is not None
    ]
    upcoming = [moment for moment in moments if moment > now]
    if upcoming:
        expires_at(request, min(upcoming))


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context, noindex=False):
    """Canonical address, language alternates (``hreflang``), meta description and robots
    line of the current response (see ``sites.seo``). A view may hand over its own
    ``seo`` dict (``canonical``, ``alternates``, ``description``), as the group page does;
    ``noindex=True`` (or any query string) makes the response a variant that is not
    indexed and names no canonical."""
    from sites import seo

    request = context.get("request")
    page = context.get("page")
    given = context.get("seo") or {}
    noindex = noindex or seo.is_variant(request)
    data = {"canonical": "", "alternates": []}
    if not noindex:
        if "canonical" in given:
            data = {"canonical": given["canonical"], "alternates": given.get("alternates", [])}
        elif isinstance(page, Page) and page.pk and request is not None:
            data = seo.page_head(page, request)
    description = given.get("description")
    if description is None:
        office = office_for_request(request)
        description = seo.description_for(
            page if isinstance(page, Page) else None,
            fallback=(office.name if office else "") or getattr(page, "title", ""),
        )
    return {
        **data,
        "description": description,
        "robots": "noindex, follow" if noindex else "",
    }


@register.simple_tag
def office_closures(office):
    """Why the office is closed today (a public holiday or a closure period) and the
    closure periods to announce, computed on every request (the office itself comes
    from the cache): ``{"today": {...} or None, "periods": [ClosurePeriod, ...]}``."""
    from django.utils import timezone

    from sites.models import OFFICE_TIME_ZONE

    today = timezone.localdate(timezone=OFFICE_TIME_ZONE)
    return {"today": office.closure_on(today), "periods": office.announced_closures(today)}
