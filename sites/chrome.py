"""The site chrome: what every public page of a site shows around its content.

Header (name, logo, language homes), main menu, footer links and legal pages, and the
office profile change only when an editor saves something, yet every page needs them.
Looking them up on each request costs about half of a page's SQL queries (menu items,
their translations, the footer pages, the office with its hours). So they are built once
per site and language, as plain data (URLs and labels, never querysets), and kept in the
shared cache under a *version*. Any save that could change them (pages, navigation,
office profile and hours, sites, locales, images) sets a new version, so a visitor never
sees a stale menu after an editor published; old entries simply expire.

There are three versions, so that a change rebuilds only what shows it (issue #14: one
network-wide version made every office's first page after any publish anywhere rebuild
its whole chrome, routing and derived data):

* the **network** version (``VERSION``): sites, hostnames, locales, root paths, home pages
  (depth 2), moves, view restrictions, office profiles and images -- everything is
  keyed by it, so replacing it (``invalidate``) starts over everywhere;
* one version **per site** (``site_version``): a page of the site published, unpublished,
  saved or deleted, or a row of its navigation. The chrome of a site and the data derived
  from that site's pages (``cached_until_next_save(..., site=...)``) are keyed by it. A
  page change also replaces the version of the state site, which shows every office's
  events and pages (as the HTTP cache bans ``network``); a menu change does not;
* the **any-change** version (``current_version``): replaced with every other one, for
  derived data that belongs to no single site (it is what the one version used to be).
"""

from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .cache_version import CacheVersion, prefetch, versioned
from .languages import active_language

VERSION_KEY = "sites:chrome:version"
ANY_VERSION_KEY = "sites:chrome:version:any"
SITE_VERSION_KEY = "sites:chrome:version:site-{}"
TIMEOUT = 60 * 60 * 24
LEGAL_SLUGS = ("kontakt", "impressum", "datenschutz", "barrierefreiheit")
LOGO_FILTER = "height-56"


VERSION = CacheVersion(VERSION_KEY)
ANY_VERSION = CacheVersion(ANY_VERSION_KEY)


def _site_version(site_id):
    return CacheVersion(SITE_VERSION_KEY.format(site_id))


def network_version():
    """The network version all processes agree on (sites, locales, home pages ...)."""
    return VERSION.current()


def current_version():
    """A version replaced by any change anywhere (the network's and any site's)."""
    prefetch(VERSION, ANY_VERSION)
    return f"{VERSION.current()}.{ANY_VERSION.current()}"


def site_version(site_id):
    """A version replaced by a change of the network or of site ``site_id``."""
    from .tenancy import OWNERS_VERSION

    site = _site_version(site_id)
    # One round trip for what a page of the site asks next (the owners map: which site a
    # page belongs to, for ``site_of_page``).
    prefetch(VERSION, site, ANY_VERSION, OWNERS_VERSION)
    return f"{VERSION.current()}.{site.current()}"


def invalidate():
    """Start a new network version (now and again after the commit, see ``CacheVersion``):
    every site's chrome and derived data is built again."""
    VERSION.replace()


def invalidate_sites(site_ids):
    """Start new versions of the sites ``site_ids`` only (and of the any-change version):
    the chrome and derived data of every other site stay as they are."""
    for site_id in set(site_ids):
        _site_version(site_id).replace()
    ANY_VERSION.replace()


def state_site_ids():
    """The sites of the state coordination (they show every office), kept under the
    network version (an office profile saved replaces it)."""
    from .models import Office, OfficeKind

    return (
        versioned(
            f"sites:state-sites:{network_version()}",
            lambda: list(
                Office.objects.filter(kind=OfficeKind.STATE).values_list("site_id", flat=True)
            ),
            TIMEOUT,
        )
        or []
    )


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
    from .provisioning import app_hooks
    from .tenancy import site_languages

    chrome = Chrome(site_id=site.pk, language=language)
    # Both kept under the network version: a page publish rebuilds the chrome without them.
    locales = {pk: code for code, pk in locale_ids().items()}
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

    office = office_for_site(site)
    if office is not None and office.logo_id is not None and office.logo is not None:
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
    key = f"sites:chrome:{site_version(site.pk)}:{site.pk}:{language}"
    chrome = versioned(key, lambda: build(site, language), TIMEOUT)
    request._site_chrome = chrome
    return chrome


def cached_until_next_save(key, build, timeout=TIMEOUT, fresh=None, site=None):
    """``build()``, kept in the cache until the next editor save (it is keyed by a chrome
    version). For derived public data that is costly to build and changes only when pages
    are saved, such as the iCalendar feeds; ``fresh`` as in
    ``sites.cache_version.versioned`` for data that also changes with time.

    ``site`` (a ``Site`` or its pk): the data shows only that site's pages and rows (or,
    on the state site, those of every office), so a save on another office's site keeps
    it; without it, any save anywhere builds it again."""
    if site is None:
        return versioned(f"sites:derived:{current_version()}:{key}", build, timeout, fresh)
    site_id = getattr(site, "pk", site)
    version = site_version(site_id)
    return versioned(f"sites:derived:{version}:s{site_id}:{key}", build, timeout, fresh)


def site_of_page(page):
    """The pk of the site ``page`` belongs to (None outside every site), for ``site=``."""
    from .tenancy import site_id_for_page

    return site_id_for_page(page) if getattr(page, "path", None) else None


def cached_until_network_changes(key, build, timeout=TIMEOUT):
    """``build()``, kept until the network version changes: for data that depends only on
    sites, locales, view restrictions or office profiles (and on what ``key`` itself
    carries, such as another version or a URL), never on an ordinary page."""
    return versioned(f"sites:network:{network_version()}:{key}", build, timeout)


def locale_ids():
    """``{language code: Locale id}`` of every content language (cached)."""
    return cached_until_network_changes(
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

    # Office rows and images replace the network version: no page save rebuilds this.
    office = versioned(f"sites:office:{network_version()}:{site.pk}", build, TIMEOUT)
    if office is None:
        return None
    office._hours_prefetched = True
    return office
