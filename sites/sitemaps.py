"""The sitemaps of a site: one per language the site offers, listed by ``/sitemap.xml``
(an index; ``sites.views`` picks the site's languages, and a sitemap of a language the site
does not offer answers 404). Leichte Sprache pages have their own sitemap but no
``hreflang`` alternates (see ``sites.languages``).

Each lists the live public pages of the requested site in its language (Wagtail's own
sitemap only walks ``site.root_page``, which misses the English and other locale trees),
each with its language versions as ``xhtml:link rel="alternate" hreflang`` entries, the
same ones the page's head names (see ``sites.seo``). A translation that still holds only
German text is left out: its canonical address is its source page.
"""

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap

from . import seo
from .tenancy import pages_of_site, site_languages


class OfficeSitemap(Sitemap):
    """The pages of the requested site in ``language_code``."""

    language_code = settings.LANGUAGE_CODE

    def _site_pages(self):
        if not hasattr(self, "_pages"):
            site = self.get_wagtail_site()
            self._pages = list(
                pages_of_site(site)
                .live()
                .public()
                .select_related("locale")
                .order_by("path")
                .defer_streamfields()
                .specific()
            )
        return self._pages

    def items(self):
        return [
            page
            for page in self._site_pages()
            if page.locale.language_code == self.language_code
            and not seo.is_untranslated_copy(page)
        ]

    def _versions(self):
        """``{translation_key: {language code: full URL}}`` of the site's pages."""
        if not hasattr(self, "_version_urls"):
            versions = {}
            offered = site_languages(self.get_wagtail_site())
            for page in self._site_pages():
                if page.locale.language_code not in offered:
                    continue  # hidden: the site does not offer that language (any more)
                if page.locale.language_code != self.language_code and (
                    seo.is_untranslated_copy(page)
                ):
                    continue
                url = page.get_full_url(self.request)
                if url:
                    versions.setdefault(page.translation_key, {})[page.locale.language_code] = url
            self._version_urls = versions
        return self._version_urls

    def _urls(self, page, protocol, domain):
        """Wagtail's entries of each page (a page may add its own, as the directory does
        for its groups), with the language versions of the page's own entry."""
        urls, last_mods = [], set()
        versions = self._versions()
        for item in self.paginator.page(page).object_list:
            for_page = versions.get(item.translation_key, {})
            own = for_page.get(item.locale.language_code)
            for info in item.get_sitemap_urls(self.request):
                if "alternates" not in info:
                    pairs = (
                        seo.alternates(for_page, self.language_code)
                        if info.get("location") == own
                        else []
                    )
                    info["alternates"] = [
                        {"lang_code": code, "location": url} for code, url in pairs
                    ]
                urls.append(info)
                last_mods.add(info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def sitemaps():
    """``{language code: sitemap class}`` for every content language."""
    return {
        code: type(f"OfficeSitemap_{code}", (OfficeSitemap,), {"language_code": code})
        for code, _name in settings.LANGUAGES
    }
