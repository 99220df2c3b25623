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


def _root_url(hostname, port):
    """``Site.root_url`` without building a ``Site``."""
    return Site(hostname=hostname, port=port).root_url


def _build():
    # Plain rows, not model instances: at 300 sites building a Site, its full home page
    # and locale per row was most of this function's time (the first request after a
    # home page publish, and provisioning, both rebuild it).
    sites = list(
        Site.objects.order_by("-root_page__url_path", "-is_default_site", "hostname").values_list(
            "pk",
            "hostname",
            "port",
            "root_page__translation_key",
            "root_page__url_path",
            "root_page__locale__language_code",
        )
    )
    rows = []
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        translations = {}
        for key, url_path, language_code in (
            Page.objects.filter(translation_key__in={site[3] for site in sites})
            .order_by("path")
            .values_list("translation_key", "url_path", "locale__language_code")
        ):
            translations.setdefault(key, []).append((url_path, language_code))
        for site_id, hostname, port, key, _url_path, _language in sites:
            root_url = _root_url(hostname, port)
            for url_path, language_code in translations.get(key, []):
                rows.append((site_id, url_path, root_url, language_code))
    else:
        for site_id, hostname, port, _key, url_path, language_code in sites:
            rows.append((site_id, url_path, _root_url(hostname, port), language_code))
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
