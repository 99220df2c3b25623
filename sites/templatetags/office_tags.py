from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from sites.models import Office

register = template.Library()


@register.simple_tag(takes_context=True)
def current_office(context):
    """The office profile of the requested site (cached on the request)."""
    request = context.get("request")
    if request is None:
        return None
    site = Site.find_for_request(request)
    return Office.for_site(site) if site else None


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
    for code, name in settings.LANGUAGES:
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
                "name": name,
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
    return site.root_page.localized.specific


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
