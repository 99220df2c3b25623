from django.http import HttpResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site

from . import favicon as favicons
from .sitemaps import sitemaps

SITEMAPS = sitemaps()


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
