"""Purge on publish: a change removes every cached response that shows it, at once.

The shared cache in front of the platform (Varnish, ``platform/varnish.vcl``) keeps each
public response with the tags ``sites.http_cache`` gave it. A change bans tags, not
URLs, because the URLs that show a record are many and open-ended: an event is on its
page (in every language), the events list, every month of the calendar and its query
strings, the iCalendar feeds, the home page's teaser and the network calendar of the
state site; a group on the directory page of *every* site (each widens to the whole
state), its topic pages, the group page under every site's directory and the public
APIs. What a change bans:

- a **page** published, unpublished, moved or deleted: its site (``site-<id>``). A
  title or slug shows in menus, breadcrumbs, teasers, listings, the language switcher,
  ``hreflang`` of the other languages and the sitemaps, so the whole site is the only
  boundary that is right without a dependency graph; a site is a few hundred URLs and the
  299 other offices keep their entries. Also ``network`` (the state site shows all
  offices: calendar, teasers) and ``shared-<app>`` of the page's app (an event page:
  the network calendar and feeds);
- a **record** an app declares in ``frontend_cache_models`` (a group, a topic, an
  event's dates or registrations): the sites of the offices that own it, ``network`` and
  ``shared-<app>``; a record no office owns (a topic) bans everything;
- the **office profile**, its hours, closures and rooms: the office's whole site (every
  page shows header, footer, hours and contact box), ``network`` and every ``shared-*``
  tag (group pages and the network calendar name the office);
- the **navigation** (the apps' ``chrome_models``): the site it belongs to, nothing else
  (menus and footer links show on that site's own pages only; a group page under another
  site's directory shows that site's menu);
- an **image or document**: as the office profile for the office whose collection holds
  it; everything for the shared collection (any office may use it);
- a **site, locale or collection**: everything (URLs and owners change).

The bans are collected during the transaction and sent once when it commits
(``transaction.on_commit``): never for a rolled-back change, never before the new rows
are visible to the request the cache will make, and in the editor's own request, so
purges do not depend on ``db_worker`` (Wagtail's own frontend-cache signal handlers
queue a task per page and do nothing while no worker runs). A ban to a local Varnish
takes about a millisecond; an unreachable cache is logged and the edit goes on.

The cache is configured with Wagtail's ``WAGTAILFRONTENDCACHE`` setting (``LOCATION`` of
each cache; ``FRONTEND_CACHE_URL`` in the environment). ``VarnishBackend`` speaks the
shipped VCL's ``BAN`` by tags and ``PURGE`` by URL; any other Wagtail backend (CDNs)
gets the URLs of changed pages instead, the best such a cache can do.
"""

import contextvars
import functools
import logging
import re
import threading
from contextlib import contextmanager
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.db import transaction
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

from .http_cache import EVERYTHING, NETWORK, shared_tag, site_tag

logger = logging.getLogger("sites.frontend_cache")

TAG_RE = re.compile(r"^[a-z0-9-]+$")

#: Saves that only record a new draft or a lock: nothing public changes.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
    }
)


# --- The cache ------------------------------------------------------------------------------


class _Request(Request):
    def __init__(self, method, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._method = method

    def get_method(self):
        return self._method


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend for the shipped VCL, plus bans by tag, with a timeout.

    ``LOCATION`` is the cache's own address (``http://127.0.0.1:6081``); the site's
    hostname goes in the ``Host`` header without a port, as the VCL keys entries by
    hostname only (a site registered on port 80 is reached through TLS on 443 and, in
    development, on 8000: one site, one set of entries).
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2))
        super().__init__(params)

    def _send(self, method, path, headers):
        request = _Request(
            method,
            f"{self.cache_scheme}://{self.cache_netloc}{path}",
            headers={"User-Agent": "selbsthilfe-frontendcache", **headers},
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured)
                return response.status
        except HTTPError as error:
            logger.error("%s %s refused by the cache: %s", method, headers, error.code)
        except (URLError, OSError) as error:
            logger.error("%s %s: cache unreachable: %s", method, headers, error)
        return None

    def purge(self, url):
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        self._send("PURGE", path, {"Host": (parts.hostname or "").lower()})

    def ban_tags(self, tags):
        tags = sorted(tag for tag in tags if TAG_RE.match(tag))
        if tags:
            self._send("BAN", "/", {"X-Ban-Tags": "|".join(tags)})


# --- What a change shows on -----------------------------------------------------------------


@functools.cache
def _declared():
    """``(models that show publicly → app label, office-wide models, files, navigation
    models)`` from the apps."""
    from django.apps import apps
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from .models import ClosurePeriod, ConsultationHours, Office, OpeningHours, Room

    shown = {}
    office_wide = {Office, OpeningHours, ConsultationHours, ClosurePeriod, Room}
    navigation = set()
    for config in apps.get_app_configs():
        for name in getattr(config, "frontend_cache_models", ()):
            shown[config.get_model(name)] = config.label
        for name in getattr(config, "chrome_models", ()):
            navigation.add(config.get_model(name))
    files = (get_image_model(), get_document_model())
    return shown, frozenset(office_wide), files, tuple(navigation)


@functools.cache
def _all_shared_tags():
    from django.apps import apps

    return frozenset(
        shared_tag(config.label)
        for config in apps.get_app_configs()
        if getattr(config, "frontend_cache_shared_pages", ())
        or getattr(config, "frontend_cache_shared_views", False)
    )


def _site_ids_of_offices(office_ids):
    return {site_id for site_id in map(_site_id_of_office, office_ids) if site_id}


@functools.lru_cache(maxsize=4096)
def _site_id_of_office(office_id):
    """An office's site never changes (one profile per site); remembered, so that an
    event with a hundred dates costs one query, not a hundred."""
    from .models import Office

    return Office.objects.filter(pk=office_id).values_list("site_id", flat=True).first()


def _office_wide(office_ids):
    if not office_ids:
        return {EVERYTHING}
    sites = _site_ids_of_offices(office_ids)
    return {site_tag(s) for s in sites} | {NETWORK} | _all_shared_tags()


def tags_for_change(instance):
    """The tags to ban when ``instance`` changes (empty: it shows on no public page)."""
    from wagtail.models import Collection, Locale, Page, Site

    from . import tenancy
    from .models import Office

    if isinstance(instance, (Site, Locale, Collection)):
        return {EVERYTHING}
    if isinstance(instance, Page):
        site_id = tenancy.site_id_for_page(instance)
        if site_id is None:
            return set()
        return {site_tag(site_id), NETWORK, shared_tag(instance._meta.app_label)}
    shown, office_wide, files, navigation = _declared()
    if isinstance(instance, Office):
        return _office_wide({instance.pk})
    if isinstance(instance, navigation):
        owners = _owner_ids(instance)
        return {site_tag(s) for s in _site_ids_of_offices(owners)} if owners else {EVERYTHING}
    if isinstance(instance, tuple(office_wide)):
        return _office_wide(_owner_ids(instance))
    if isinstance(instance, files):
        return _office_wide(tenancy.owner_office_ids(instance) or set())
    label = next((label for model, label in shown.items() if isinstance(instance, model)), None)
    if label is None:
        return set()
    owners = tenancy.owner_office_ids(instance)
    if not owners:
        return {EVERYTHING}
    return {site_tag(s) for s in _site_ids_of_offices(owners)} | {NETWORK, shared_tag(label)}


def _owner_ids(instance):
    """Offices of an office-wide row: its ``office`` or, for a setting of a site (the
    navigation), the office of that site."""
    from . import tenancy
    from .models import Office

    owners = tenancy.owner_office_ids(instance)
    if owners:
        return owners
    site_id = getattr(instance, "site_id", None)
    if site_id is None:
        parent = next(
            (
                getattr(instance, f.name)
                for f in instance._meta.get_fields()
                if f.many_to_one and hasattr(getattr(instance, f.name, None), "site_id")
            ),
            None,
        )
        site_id = getattr(parent, "site_id", None)
    if site_id is None:
        return set()
    return set(Office.objects.filter(site_id=site_id).values_list("pk", flat=True))


# --- Collecting and sending -----------------------------------------------------------------


class _Pending(threading.local):
    def __init__(self):
        self.tags = set()
        self.urls = set()


_pending = _Pending()

#: Inside ``one_ban_for_everything``: True (changes are not looked at one by one).
_everything_at_the_end = contextvars.ContextVar("sites_frontend_cache_batch", default=False)


@contextmanager
def one_ban_for_everything():
    """Inside the block no change is looked at; at its end everything is banned once
    (at the commit). For provisioning: a new site bans everything anyway (the state
    site lists every office), and working out the tags of each of its forty new pages
    and revisions would only find that."""
    if _everything_at_the_end.get():
        yield
        return
    token = _everything_at_the_end.set(True)
    try:
        yield
    finally:
        _everything_at_the_end.reset(token)
    ban({EVERYTHING})


def ban(tags, urls=()):
    """Ban ``tags`` (and purge ``urls`` from caches without bans) when the transaction
    commits; at once outside a transaction."""
    if not tags and not urls:
        return
    if not _configured():
        return
    _pending.tags.update(tags)
    _pending.urls.update(urls)
    # Registered for every change: a rolled-back transaction drops its callbacks, and
    # what it collected then goes out with the next commit (a harmless extra ban).
    transaction.on_commit(flush, robust=True)


def flush():
    tags, urls = _pending.tags, _pending.urls
    if not tags and not urls:
        return
    _pending.tags, _pending.urls = set(), set()
    if EVERYTHING in tags:
        tags = {EVERYTHING}
    for name, backend in get_backends().items():
        if hasattr(backend, "ban_tags"):
            logger.info("[%s] ban %s", name, sorted(tags))
            backend.ban_tags(tags)
        elif urls:
            backend.purge_batch(sorted(urls))


def changed(instance):
    """Purge what shows ``instance`` (for code that changes rows without signals)."""
    tags = tags_for_change(instance)
    urls = ()
    from wagtail.models import Page

    if isinstance(instance, Page) and tags and _has_url_only_backends():
        from wagtail.contrib.frontend_cache.utils import _get_page_cached_urls

        urls = _get_page_cached_urls(instance)
    ban(tags, urls)


def _has_url_only_backends():
    return any(not hasattr(b, "ban_tags") for b in get_backends().values())


def _configured():
    """Whether any frontend cache is configured (cheap: every save of any row asks)."""
    from django.conf import settings

    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


# --- Signals --------------------------------------------------------------------------------


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    from wagtail.models import Page

    from .models import Office

    if isinstance(instance, Office):
        _site_id_of_office.cache_clear()

    if raw or isinstance(instance, Page) or _everything_at_the_end.get():
        return  # pages purge on publish, unpublish, move and delete, not on draft saves
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    if _configured():
        changed(instance)


def _on_delete(sender, instance, **kwargs):
    from .models import Office

    if isinstance(instance, Office):
        _site_id_of_office.cache_clear()
    if _configured() and not _everything_at_the_end.get():
        changed(instance)


def _on_page_event(sender, instance=None, parent_page_before=None, **kwargs):
    if instance is None or not _configured() or _everything_at_the_end.get():
        return
    changed(instance)
    if parent_page_before is not None:  # moved: the old place (maybe another site) too
        changed(parent_page_before)


def connect():
    """Called from ``SitesConfig.ready``."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_save, dispatch_uid="sites_frontend_cache_save")
    post_delete.connect(_on_delete, dispatch_uid="sites_frontend_cache_delete")
    page_published.connect(_on_page_event, dispatch_uid="sites_frontend_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="sites_frontend_cache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="sites_frontend_cache_moved")
