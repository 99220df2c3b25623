from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from sites.tenancy import office_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def current_office(context):
    """The office profile of the requested site (cached on the request)."""
    return office_for_request(context.get("request"))


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in every content language.

    Where the page has no translation in a language, the link leads to that language's
    home page of the same site, never to another office.
    """
    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    current = translation.get_language()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    links = []
    for code, _name in settings.LANGUAGES:
        locale = locales.get(code)
        if locale is None:
            continue
        target = None
        if isinstance(page, Page):
            target = page.get_translation_or_none(locale)
            if target is not None and not target.live:
                target = None
        if target is None and site is not None:
            target = site.root_page.get_translation_or_none(locale)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                # Each language is named in itself, so that a visitor who cannot read the
                # current one still finds theirs.
                "name": translation.get_language_info(code)["name_local"],
                "url": target.get_url(request),
                "current": code == current,
            }
        )
    return {"links": links if len(links) > 1 else []}


@register.simple_tag(takes_context=True)
def site_home(context):
    """The home page of the requested site in the active language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    # Header, menu and footer all ask for it: look it up once per request and language.
    cache_key = f"_site_home_{translation.get_language()}"
    home = getattr(request, cache_key, None)
    if home is None:
        home = site.root_page.localized.specific
        setattr(request, cache_key, home)
    return home


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """Kontakt, Impressum, Datenschutz and Barrierefreiheit of the site, in the active
    language, for the footer of every page (Impressum and Datenschutz must be reachable
    from every page)."""
    home = site_home(context)
    if home is None:
        return []
    wanted = ["kontakt", "impressum", "datenschutz", "barrierefreiheit"]
    pages = {p.slug: p for p in home.get_children().live().filter(slug__in=wanted)}
    return [pages[slug] for slug in wanted if slug in pages]


def _navigation(request):
    from home.models import Navigation

    if request is None or Site.find_for_request(request) is None:
        return None
    return Navigation.for_request(request)  # cached on the request


def _menu_links(items, request):
    """Live pages of ``items`` in the active language, with the label to show."""
    language = translation.get_language()
    default = settings.LANGUAGE_CODE
    links = []
    for item in items:
        page = item.page.localized
        if not page.live:
            continue
        label = item.label if item.label and language == default else page.title
        links.append({"page": page, "url": page.get_url(request), "label": label})
    return links


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu of the requested site: the office's ``Navigation`` setting, or the
    home page's children marked "show in menus" while the office has not set one up."""
    request = context.get("request")
    navigation = _navigation(request)
    items = list(navigation.main_items.select_related("page")) if navigation else []
    if items:
        return _menu_links(items, request)
    home = site_home(context)
    if home is None:
        return []
    return [
        {"page": page, "url": page.get_url(request), "label": page.title}
        for page in home.get_children().live().in_menu().specific()
    ]


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The extra footer links the office chose in its ``Navigation`` setting."""
    request = context.get("request")
    navigation = _navigation(request)
    if navigation is None:
        return []
    return _menu_links(navigation.footer_items.select_related("page"), request)


@register.filter
def is_current(link, page):
    """Whether a menu ``link`` leads to ``page`` or one of its ancestors."""
    target = link["page"]
    if not isinstance(page, Page):
        return False
    return page.pk == target.pk or (target.depth > 2 and page.path.startswith(target.path))


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
        next_day = {0: "today", 1: "tomorrow"}.get(days, "later")
    return {"open": office.is_open_at(now), "next": upcoming, "next_day": next_day}
