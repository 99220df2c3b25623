from wagtail.contrib.sitemaps import Sitemap

from .tenancy import pages_of_site


class OfficeSitemap(Sitemap):
    """Every live public page of the requested site in every locale (Wagtail's own sitemap
    only walks ``site.root_page``, which misses the English and other locale trees)."""

    def items(self):
        site = self.get_wagtail_site()
        return pages_of_site(site).live().public().order_by("path").defer_streamfields().specific()
