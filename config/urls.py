from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sites import views as sites_views

urlpatterns = [
    path("healthz", sites_views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # One sitemap per language the requested site offers (see ``sites.sitemaps``).
    path("sitemap.xml", sites_views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", sites_views.sitemap_section, name="sitemap_section"),
    path("favicon.ico", sites_views.favicon, name="favicon"),
    path("robots.txt", sites_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Application URLs that are not pages (feeds, API, mail links). Each app owns its file.
    path("", include("events.urls")),
    path("", include("directory.urls")),
    path("", include("newsletter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# German (the default language) is served without a prefix, every other one under /<code>/.
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A refused admin URL answers in the admin's layout, everything else as before.
handler404 = "sites.admin_errors.not_found"
handler403 = "sites.admin_errors.forbidden"
