"""The menus and footer links of a site, from its ``Navigation`` setting, for the site
chrome (``sites.chrome`` calls ``add_menus`` through ``HomeConfig.build_site_chrome``)."""

from django.conf import settings
from wagtail.models import Page

from sites.chrome import link

from .models import Navigation


def _menu_links(items, pages_by_key, language, site):
    """Menu entries, each shown as the live translation of its page in ``language`` (or
    the page itself where it has none)."""
    links = []
    for item in items:
        page = pages_by_key.get(item.page.translation_key, item.page)
        if not page.live:
            continue
        label = item.label if item.label and language == settings.LANGUAGE_CODE else None
        links.append(link(page, page.get_url(current_site=site), label))
    return links


def add_menus(chrome, site, home):
    """Set ``chrome.menu`` (when the setting has main items; else the default stays) and
    ``chrome.footer_links`` for ``site``, with ``home`` the home page in the language."""
    navigation = Navigation.objects.filter(site=site).first()
    if navigation is None:
        return
    main_items = list(navigation.main_items.select_related("page"))
    footer_items = list(navigation.footer_items.select_related("page"))
    keys = {item.page.translation_key for item in main_items + footer_items}
    translated = {}
    if keys:
        for page in Page.objects.filter(translation_key__in=keys, locale_id=home.locale_id):
            translated[page.translation_key] = page
    if main_items:
        chrome.menu = _menu_links(main_items, translated, chrome.language, site)
    chrome.footer_links = _menu_links(footer_items, translated, chrome.language, site)
