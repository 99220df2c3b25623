from django.http import HttpResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import views as wagtail_sitemaps
from wagtail.models import Site

from . import favicon as favicons
from .sitemaps import sitemaps

SITEMAPS = sitemaps()


def _site_sitemaps(request):
    """The sitemaps of the requested site: one per language it offers."""
    from .tenancy import site_languages

    site = Site.find_for_request(request)
    offered = site_languages(site) if site is not None else list(SITEMAPS)
    return {code: SITEMAPS[code] for code in offered if code in SITEMAPS}


@require_GET
def sitemap_index(request):
    """``/sitemap.xml``: the index of the site's sitemaps, one per language it offers."""
    return wagtail_sitemaps.index(
        request, _site_sitemaps(request), sitemap_url_name="sitemap_section"
    )


@require_GET
def sitemap_section(request, section):
    """``/sitemap-<language>.xml``; 404 for a language the site does not offer."""
    return wagtail_sitemaps.sitemap(request, _site_sitemaps(request), section=section)


@require_GET
@never_cache
def healthz(request):
    """For the load balancer: answers on any hostname, touches no database. Never from a
    cache: it must fail when the application does."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.scheme}://{request.get_host()}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico`` of the requested site: its office's logo or initial (see
    ``sites.favicon``)."""
    return HttpResponse(
        favicons.for_site(Site.find_for_request(request)), content_type="image/x-icon"
    )
