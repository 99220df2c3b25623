"""The site chrome: what every public page of a site shows around its content.

Header (name, logo, language homes), main menu, footer links and legal pages, and the
office profile change only when an editor saves something, yet every page needs them.
Looking them up on each request costs about half of a page's SQL queries (menu items,
their translations, the footer pages, the office with its hours). So they are built once
per site and language, as plain data (URLs and labels, never querysets), and kept in the
shared cache under a *version*. Any save that could change them (pages, navigation,
office profile and hours, sites, locales, images) sets a new version, so a visitor never
sees a stale menu after an editor published; old entries simply expire.

The version is one value for the whole network: a publish on one office's site rebuilds
the chrome of the others too, which costs a handful of queries once and keeps the rule
simple enough to trust.
"""

from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .cache_version import CacheVersion, versioned
from .languages import active_language

VERSION_KEY = "sites:chrome:version"
TIMEOUT = 60 * 60 * 24
LEGAL_SLUGS = ("kontakt", "impressum", "datenschutz", "barrierefreiheit")
LOGO_FILTER = "height-56"


VERSION = CacheVersion(VERSION_KEY)


def current_version():
    """The chrome version all processes agree on."""
    return VERSION.current()


def invalidate():
    """Start a new chrome version (now and again after the commit, see ``CacheVersion``)."""
    VERSION.replace()


@dataclass
class Chrome:
    """Plain data of one site's chrome in one language; safe to pickle into the cache."""

    site_id: int
    language: str
    home: dict | None = None  # {"pk", "url", "title", "path", "depth"}
    home_urls: dict = field(default_factory=dict)  # language code -> URL of that home
    locale_codes: dict = field(default_factory=dict)  # locale id -> language code
    languages: list = field(default_factory=list)  # codes the site offers (settings order)
    menu: list = field(default_factory=list)
    footer_links: list = field(default_factory=list)
    legal: list = field(default_factory=list)
    #: Small links beside the site name on every page, filled by apps (the home app: the
    #: pages in Leichte Sprache and Gebärdensprache); each a ``link`` plus "icon".
    header_links: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)  # "app_label.Model" -> link of the child
    logo: dict | None = None  # {"url", "width", "height"}

    @property
    def newsletter(self):
        """The site's newsletter page (sign-up form and archive), if it has one."""
        return self.section("newsletter.NewsletterPage")

    def section(self, *models):
        """The first live child of the home page of one of ``models`` (as a link)."""
        for model in models:
            label = model if isinstance(model, str) else model._meta.label
            if label in self.sections:
                return self.sections[label]
        return None


def link(page, url, label=None):
    return {
        "pk": page.pk,
        "url": url,
        "label": label or page.title,
        "title": page.title,
        "path": page.path,
        "depth": page.depth,
    }


def build(site, language):
    """Collect the chrome of ``site`` in ``language`` (about ten queries, once per version).

    The menu defaults to the home page's children marked "show in menus"; apps refine it
    through ``build_site_chrome(chrome, site, home)`` on their config (the home app's
    ``Navigation`` setting gives the menus and footer links).
    """
    from .models import Office
    from .provisioning import app_hooks
    from .tenancy import site_languages

    chrome = Chrome(site_id=site.pk, language=language)
    locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    chrome.locale_codes = locales
    chrome.languages = site_languages(site)
    # Only the homes of the languages the site offers (a removed language is hidden).
    homes = [
        home
        for home in Page.objects.filter(translation_key=site.root_page.translation_key).live()
        if locales.get(home.locale_id) in chrome.languages
    ]
    for home in homes:
        chrome.home_urls[locales[home.locale_id]] = home.get_url(current_site=site)
    home = next((h for h in homes if locales.get(h.locale_id) == language), None)
    if home is None:
        home = next((h for h in homes if h.pk == site.root_page_id), None)
    if home is None:
        return chrome
    chrome.home = link(home, home.get_url(current_site=site))

    def url(page):
        return page.get_url(current_site=site)

    children = list(home.get_children().live())
    for child in children:
        model = child.specific_class
        if model is not None:
            chrome.sections.setdefault(model._meta.label, link(child, url(child)))
    by_slug = {child.slug: child for child in children}
    chrome.legal = [link(by_slug[s], url(by_slug[s])) for s in LEGAL_SLUGS if s in by_slug]

    chrome.menu = [link(child, url(child)) for child in children if child.show_in_menus]
    for build_part in app_hooks("build_site_chrome"):
        build_part(chrome, site, home)

    office = Office.objects.filter(site=site).select_related("logo").first()
    if office is not None and office.logo is not None:
        try:
            rendition = office.logo.get_rendition(LOGO_FILTER)
        except Exception:  # a missing original file must not take the site down
            rendition = None
        if rendition is not None:
            chrome.logo = {
                "url": rendition.url,
                "width": rendition.width,
                "height": rendition.height,
            }
    return chrome


def for_request(request):
    """The chrome of the requested site in the active language (cached, and memoised on
    the request); None for a request that matches no site."""
    if request is None:
        return None
    language = active_language()
    memo = getattr(request, "_site_chrome", None)
    if memo is not None and memo.language == language:
        return memo
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = f"sites:chrome:{current_version()}:{site.pk}:{language}"
    chrome = versioned(key, lambda: build(site, language), TIMEOUT)
    request._site_chrome = chrome
    return chrome


def cached_until_next_save(key, build, timeout=TIMEOUT, fresh=None):
    """``build()``, kept in the cache until the next editor save anywhere (it is keyed by
    the chrome version). For derived public data that is costly to build and changes
    only when pages are saved, such as the iCalendar feeds; ``fresh`` as in
    ``sites.cache_version.versioned`` for data that also changes with time."""
    return versioned(f"sites:derived:{current_version()}:{key}", build, timeout, fresh)


def locale_ids():
    """``{language code: Locale id}`` of every content language (cached)."""
    return cached_until_next_save(
        "locale-ids", lambda: dict(Locale.objects.values_list("language_code", "pk"))
    )


def default_locale_id():
    """The id of the default content language's ``Locale`` (None if missing)."""
    return locale_ids().get(settings.LANGUAGE_CODE)


def office_for_site(site):
    """The ``Office`` of ``site`` with its opening and consultation hours, from the cache
    (the instance is pickled with its prefetched hours)."""
    from django.db.models import prefetch_related_objects

    from .models import Office

    def build():
        # Never ``Office.for_site``: it creates a row for a site that has none, and a
        # lookup must not change the database (a site without an office has no profile).
        office = Office.objects.filter(site=site).first()
        if office is not None:
            prefetch_related_objects([office], "opening_hours", "consultation_hours", "closures")
        return office

    office = versioned(f"sites:office:{current_version()}:{site.pk}", build, TIMEOUT)
    if office is None:
        return None
    office._hours_prefetched = True
    return office
