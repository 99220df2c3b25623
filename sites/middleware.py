"""What a request for a hostname that is no office's site gets.

Wagtail falls back to the default site for unknown hostnames. For a network of offices that
would show office A's site under a name that may belong to nobody (or to an office not yet
set up), so production answers with a 404 page of its own instead.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from wagtail.models import Site

from .cache_version import cache_scope, versioned


class CacheScopeMiddleware:
    """First in the chain: each cache version is read from the shared cache once per
    request, whatever asks for it (see ``sites.cache_version``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with cache_scope():
            return self.get_response(request)


class UnknownHostMiddleware:
    """Reject requests whose Host matches no Site (policy ``reject``)."""

    #: Paths that work on any host: the load balancer's health check.
    EXEMPT_PATHS = ("/healthz",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember_site(request)
        if (
            getattr(settings, "UNKNOWN_HOST_POLICY", "fallback") == "reject"
            and request.path not in self.EXEMPT_PATHS
            and not self._is_known(request)
        ):
            # In the default language: this runs before the locale middleware, so the
            # language left active by an earlier request in this thread would leak in.
            with translation.override(settings.LANGUAGE_CODE):
                response = render(request, "sites/unknown_host.html", status=404)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    @staticmethod
    def _is_known(request):
        hostname = request.get_host().rsplit(":", 1)[0].lower() if request.get_host() else ""
        return hostname in known_hostnames()


def known_hostnames():
    """The hostnames of all sites, kept under the network version (every ``Site`` save or
    delete replaces it, see ``sites.signals``)."""
    from .chrome import network_version

    return versioned(
        f"sites:known-hostnames:{network_version()}",
        lambda: set(Site.objects.values_list("hostname", flat=True)),
        3600,
    )


def remember_site(request):
    """Give Wagtail the request's ``Site`` from the cache instead of its query.

    Wagtail looks the site up on every request (a query with a four-way ``CASE``, about
    a tenth of a page's time). The answer for a known hostname and port is kept under the
    chrome version (see ``sites.chrome``), which every ``Site`` or page save replaces.
    Unknown hostnames are left to Wagtail, so that random Host headers fill no cache.
    """
    from django.http.request import split_domain_port

    from .chrome import network_version

    hostname = split_domain_port(request._get_raw_host())[0]
    if not hostname or hostname not in known_hostnames():
        return
    key = f"sites:site-for:{network_version()}:{hostname}:{request.get_port()}"

    def build():
        site = Site._find_for_request(request)
        if site is not None:
            # Kept with the site: routing starts from the home page in its specific form
            # (a query on every request otherwise); any page save starts a new version.
            site.root_page.specific  # noqa: B018
        return site

    site = versioned(key, build, 3600)
    if site is None:
        return
    request._wagtail_site = site
