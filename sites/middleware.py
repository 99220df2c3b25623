"""What a request for a hostname that is no office's site gets.

Wagtail falls back to the default site for unknown hostnames. For a network of offices that
would show office A's site under a name that may belong to nobody (or to an office not yet
set up), so production answers with a 404 page of its own instead.
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import translation
from wagtail.models import Site


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


HOSTNAMES_CACHE_KEY = "sites:known-hostnames"


def known_hostnames():
    """The hostnames of all sites, cached in the shared cache and cleared on change."""
    hostnames = cache.get(HOSTNAMES_CACHE_KEY)
    if hostnames is None:
        hostnames = set(Site.objects.values_list("hostname", flat=True))
        cache.set(HOSTNAMES_CACHE_KEY, hostnames, 3600)
    return hostnames


def remember_site(request):
    """Give Wagtail the request's ``Site`` from the cache instead of its query.

    Wagtail looks the site up on every request (a query with a four-way ``CASE``, about
    a tenth of a page's time). The answer for a known hostname and port is kept under the
    chrome version (see ``sites.chrome``), which every ``Site`` or page save replaces.
    Unknown hostnames are left to Wagtail, so that random Host headers fill no cache.
    """
    from django.http.request import split_domain_port

    from .chrome import current_version

    hostname = split_domain_port(request._get_raw_host())[0]
    if not hostname or hostname not in known_hostnames():
        return
    key = f"sites:site-for:{current_version()}:{hostname}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return
        cache.set(key, site, 3600)
    request._wagtail_site = site


def forget_hostnames(**kwargs):
    cache.delete(HOSTNAMES_CACHE_KEY)
