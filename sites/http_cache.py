"""What a shared HTTP cache (Varnish, ``platform/varnish.vcl``) may keep, and for how long.

Public pages are the same for every anonymous visitor, so one cached copy per URL can
serve them all; personal responses must never be kept. This module decides per response:

- **Shared** (``Cache-Control: public, max-age=0, s-maxage=N``): GET/HEAD answered with
  200, 301, 404 or 410 to a visitor without a session, that set no cookie and rendered no
  CSRF token. Browsers revalidate every time (``max-age=0``), so what the cache shows is
  what a visitor sees; the cache keeps it for ``s-maxage``, and the platform removes it
  the moment an editor changes something it shows (``sites.frontend_cache``).
- **Personal** (``Cache-Control: private, no-store``): logged-in users and anyone with a
  session, forms with a CSRF token (the token is per visitor), responses that set a
  cookie, previews, POST and other unsafe methods, the admin. Nothing of it is stored.

``s-maxage`` is at most ``HTTP_CACHE_SECONDS`` and ends at the next midnight in Berlin
(dates such as "today" and closures of the day change then) or at an earlier moment a
template declares with :func:`expires_at` (the "open now" state ends at the next opening
or closing). Edits never wait for it: they purge.

Every shared response names what it shows in ``X-Cache-Tags`` (the proxy strips the
header before delivery), so that a change bans exactly the entries that show it:

- ``all``: every entry;
- ``site-<id>``: every entry of that site (pages, feeds, APIs answered on its hostname);
- ``network``: every entry of the state coordination site, which shows all offices;
- ``shared-<app>``: an entry that shows records of that app from every office (the
  directory pages of every site, the network calendar, the public APIs). Apps declare
  which of their pages and views do so (``frontend_cache_shared_pages`` and
  ``frontend_cache_shared_views`` on their ``AppConfig``).

``LocaleMiddleware`` also lives here: Django's adds ``Vary: Accept-Language`` to every
URL without a language prefix, which splits the cache into one entry per browser language
although the language of such a URL is fixed (see the class).
"""

import datetime
import functools

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.functional import empty
from django.utils.translation import get_language_from_path

#: Statuses whose response is the same for every visitor of a URL.
SHARED_STATUSES = frozenset({200, 301, 404, 410})
SAFE_METHODS = frozenset({"GET", "HEAD"})
TAGS_HEADER = "X-Cache-Tags"
EVERYTHING = "all"
NETWORK = "network"


def site_tag(site_id):
    return f"site-{site_id}"


def shared_tag(app_label):
    return f"shared-{app_label}"


# --- Hints from views and templates --------------------------------------------------------


def expires_at(request, moment):
    """The response to ``request`` shows something that changes at ``moment`` by itself
    (an "open now" state, the next events): a shared cache keeps it no longer."""
    if request is None or moment is None:
        return
    current = getattr(request, "_http_cache_expires", None)
    if current is None or moment < current:
        request._http_cache_expires = moment


def remember_page(request, page):
    """Called before Wagtail serves ``page`` (``before_serve_page``)."""
    request._http_cache_page = page


# --- Which apps show every office's records -------------------------------------------------


@functools.cache
def _shared_declarations():
    """``({page model label: app label}, {app module: app label})`` from the apps'
    configs (``frontend_cache_shared_pages``, ``frontend_cache_shared_views``)."""
    from django.apps import apps

    pages, views = {}, {}
    for config in apps.get_app_configs():
        for name in getattr(config, "frontend_cache_shared_pages", ()):
            pages[config.get_model(name)._meta.label] = config.label
        if getattr(config, "frontend_cache_shared_views", False):
            views[config.name] = config.label
    return pages, views


def _shared_tags_of(request):
    pages, views = _shared_declarations()
    tags = set()
    page = getattr(request, "_http_cache_page", None)
    if page is not None:
        label = pages.get(type(page)._meta.label)
        if label:
            tags.add(shared_tag(label))
    match = getattr(request, "resolver_match", None)
    func = getattr(match, "func", None)
    module = getattr(func, "__module__", "") or ""
    app = views.get(module.split(".")[0])
    if app and page is None:
        tags.add(shared_tag(app))
    return tags


def tags_for(request):
    """The tags of a shared response to ``request`` (``all`` and its site at least)."""
    from wagtail.models import Site

    from .tenancy import office_for_request

    tags = {EVERYTHING}
    site = Site.find_for_request(request)  # memoised on the request
    if site is not None:
        tags.add(site_tag(site.pk))
        office = office_for_request(request)  # memoised too; the page used it already
        if office is not None and office.is_state:
            tags.add(NETWORK)
    tags |= _shared_tags_of(request)
    return tags


# --- The decision ---------------------------------------------------------------------------


def _is_personal(request, response):
    """Whether the response belongs to one visitor (and must not be stored anywhere)."""
    if request.method not in SAFE_METHODS:
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True
    if response.cookies:
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return True
    if getattr(request, "is_preview", False):
        return True
    user = getattr(request, "user", None)
    # ``_wrapped`` is only filled when something asked for the user: do not load a session
    # that the request did not bring (a visitor without cookie is anonymous anyway).
    asked = user is not None and getattr(user, "_wrapped", empty) is not empty
    if asked and getattr(user, "is_authenticated", False):
        return True
    return request.path.startswith(_admin_prefix())


@functools.cache
def _admin_prefix():
    from django.urls import reverse

    return reverse("wagtailadmin_home")


def _declines_sharing(response):
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
        if d
    }
    return bool(directives & {"private", "no-store", "no-cache"})


def _seconds_until_midnight(now):
    from .models import OFFICE_TIME_ZONE

    local = timezone.localtime(now, OFFICE_TIME_ZONE)
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=OFFICE_TIME_ZONE
    )
    return (midnight - local).total_seconds()


def shared_seconds(request, now=None):
    """How long a shared cache may keep the response to ``request`` (0: not at all)."""
    now = now or timezone.now()
    seconds = min(getattr(settings, "HTTP_CACHE_SECONDS", 300), _seconds_until_midnight(now))
    expires = getattr(request, "_http_cache_expires", None)
    if expires is not None:
        seconds = min(seconds, (expires - now).total_seconds())
    return max(0, int(seconds))


def _remove_vary(response, header):
    if not response.has_header("Vary"):
        return
    kept = [v for v in cc_delim_re.split(response["Vary"]) if v and v.lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def _never_store(response):
    response["Cache-Control"] = "private, no-store"
    if response.has_header(TAGS_HEADER):
        del response[TAGS_HEADER]


class CacheControlMiddleware:
    """Sets ``Cache-Control`` (and ``X-Cache-Tags``) on every response, see the module.

    It sits outside the session, CSRF and authentication middleware so that it sees the
    cookies they set and the ``Vary`` they add.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_personal(request, response):
            _never_store(response)
            return response
        if response.status_code not in SHARED_STATUSES or getattr(response, "streaming", False):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            return response
        if response.has_header("Cache-Control"):
            # The view decided (never_cache on token pages, immutable static files, the
            # 404 for unknown hosts): keep it, but a public one gets the tags to purge by.
            if not _declines_sharing(response):
                response[TAGS_HEADER] = ",".join(sorted(tags_for(request)))
                _remove_vary(response, "Cookie")
            return response
        seconds = shared_seconds(request)
        if seconds <= 0:
            response["Cache-Control"] = "public, max-age=0, s-maxage=0"
            return response
        response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        response[TAGS_HEADER] = ",".join(sorted(tags_for(request)))
        # Shared means: the same bytes whatever cookie the visitor brings (no session, no
        # token rendered, none set), so a "Vary: Cookie" (the session was looked at for
        # the anonymous user) would only split the cache by unrelated cookies.
        _remove_vary(response, "Cookie")
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's locale middleware without a false ``Vary: Accept-Language``.

    Django adds ``Vary: Accept-Language`` to every response whose path has no language
    prefix (``django/middleware/locale.py``, ``process_response``), because with
    ``prefix_default_language=True`` such a URL redirects by the browser's language. Here
    German URLs carry no prefix (``prefix_default_language=False``) and
    ``process_request`` then activates the default language whatever the browser asks
    for; every other language has its prefix. So the language follows from the URL alone,
    and a cache keeping one entry per ``Accept-Language`` value (browsers send hundreds of
    variants) would only hold the same page many times. The header stays where the
    response really depends on the browser: the redirect of an unprefixed URL when the
    default language is prefixed too.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        negotiated = not i18n_patterns_used or (
            prefixed_default_language and not get_language_from_path(request.path_info)
        )
        if not negotiated:
            _remove_vary(response, "Accept-Language")
        return response
