"""Wagtail's site root paths in two queries, whatever the number of sites.

Wagtail builds ``Site.get_site_root_paths()`` (which site and language serve a page URL;
every ``page.url`` and the routing of each request ask for it) with one translation query
per site, keeps the whole list under one key in the shared cache, and deletes that key
whenever a site or a home page is saved. At 300 offices the first request after a home
page publish cost 309 queries and 0.5-0.9 s, and every request read 54 KB of that key from
Redis (issue #14).

Here the list is built with one query for the sites and their home pages and one for all
translations of those home pages, kept under the chrome version (``sites.chrome``; every
save of a site, page or locale replaces it), and held by each process as an immutable
tuple, so a warm request reads nothing from the shared cache but the version it reads
anyway. ``Site.clear_site_root_paths_cache()`` starts a new chrome version instead of
deleting the key, so nothing is rebuilt until it is needed, and then in two queries.
"""

import threading

from django.conf import settings
from wagtail.models import Page, Site
from wagtail.models.sites import SiteRootPath

from .cache_version import versioned

TIMEOUT = 60 * 60 * 24
_local = threading.local()
#: Wagtail's own implementation (one translation query per site), kept for comparison.
wagtail_get_site_root_paths = Site.get_site_root_paths


def _build():
    sites = list(
        Site.objects.select_related("root_page", "root_page__locale").order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
    )
    rows = []
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        translations = {}
        for key, url_path, language_code in (
            Page.objects.filter(translation_key__in={s.root_page.translation_key for s in sites})
            .order_by("path")
            .values_list("translation_key", "url_path", "locale__language_code")
        ):
            translations.setdefault(key, []).append((url_path, language_code))
        for site in sites:
            for url_path, language_code in translations.get(site.root_page.translation_key, []):
                rows.append((site.id, url_path, site.root_url, language_code))
    else:
        for site in sites:
            root = site.root_page
            rows.append((site.id, root.url_path, site.root_url, root.locale.language_code))
    return rows


def get_site_root_paths():
    """Replacement of ``Site.get_site_root_paths`` (same list, same order)."""
    from .chrome import network_version

    version = network_version()
    memo = getattr(_local, "memo", None)
    if memo is None or memo[0] != version:
        rows = versioned(f"sites:root-paths:{version}", _build, TIMEOUT)
        memo = (version, tuple(SiteRootPath(*row) for row in rows))
        _local.memo = memo
    return list(memo[1])


def clear_site_root_paths_cache():
    """Replacement of ``Site.clear_site_root_paths_cache``: a new version, no rebuild."""
    from .chrome import invalidate

    invalidate()


def install():
    """Make Wagtail (routing, ``page.url``, redirects, choosers) use the functions above."""
    Site.get_site_root_paths = staticmethod(get_site_root_paths)
    Site.clear_site_root_paths_cache = staticmethod(clear_site_root_paths_cache)
