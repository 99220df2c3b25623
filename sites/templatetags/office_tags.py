from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from sites import chrome
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
    """Links to the current page in every content language.

    Where the page has no translation in a language, the link leads to that language's
    home page of the same site, never to another office. One query: the live
    translations of the current page; the homes come from the chrome.
    """
    request = context.get("request")
    data = chrome.for_request(request)
    if data is None:
        return {"links": []}
    page = context.get("page")
    current = translation.get_language()
    targets = {}
    if isinstance(page, Page) and page.pk:
        for other in Page.objects.filter(translation_key=page.translation_key).live():
            code = data.locale_codes.get(other.locale_id)
            if code:
                targets[code] = other.get_url(request)
    links = []
    for code, _name in settings.LANGUAGES:
        if code not in data.locale_codes.values():
            continue
        url = targets.get(code) or data.home_urls.get(code)
        if not url:
            continue
        links.append(
            {
                "code": code,
                # Each language is named in itself, so that a visitor who cannot read the
                # current one still finds theirs.
                "name": translation.get_language_info(code)["name_local"],
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
        return format_html(' lang="{}"', state["source_language"])
    return ""


@register.simple_tag
def office_is_open(office):
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
    return {"open": office.is_open_at(now), "next": upcoming, "next_day": next_day}


@register.simple_tag
def office_closures(office):
    """Why the office is closed today (a public holiday or a closure period) and the
    closure periods to announce, computed on every request (the office itself comes
    from the cache): ``{"today": {...} or None, "periods": [ClosurePeriod, ...]}``."""
    from django.utils import timezone

    from sites.models import OFFICE_TIME_ZONE

    today = timezone.localdate(timezone=OFFICE_TIME_ZONE)
    return {"today": office.closure_on(today), "periods": office.announced_closures(today)}
