"""One address per group for search engines.

Every office's directory page shows every group of the state (as a route of that page),
so each group can be reached on a dozen hosts. Its canonical address is the directory
page of the office that looks after it (the state coordination's for its own groups), in
the visitor's language where the group has been translated into it, else in German; its
language versions are the languages it has a published translation in. The sitemaps list
each group once, on its office's site (see ``DirectoryPage.get_sitemap_urls``).
"""

from django.conf import settings

from sites import seo
from sites.chrome import cached_until_next_save
from sites.languages import active_language


def directory_urls(site_id):
    """``{language code: full URL}`` of the live directory pages of a site, one per
    locale (cached until the next page save)."""

    def build():
        from wagtail.models import Site

        from sites.tenancy import pages_of_site, site_languages

        from .models import DirectoryPage

        site = Site.objects.filter(pk=site_id).select_related("root_page").first()
        if site is None:
            return {}
        offered = site_languages(site)
        ids = pages_of_site(site).type(DirectoryPage).live().values_list("pk", flat=True)
        urls = {}
        for page in DirectoryPage.objects.filter(pk__in=list(ids)).select_related("locale"):
            if page.locale.language_code not in offered:
                continue  # a language the site does not offer (or no longer)
            url = page.get_full_url()
            if url:
                urls.setdefault(page.locale.language_code, url)
        return urls

    return cached_until_next_save(f"directory-urls:{site_id}", build, site=site_id)


def group_languages(group):
    """Language codes the group is published in (its source language included)."""
    from .models import SelfHelpGroup

    return set(
        SelfHelpGroup.objects.filter(translation_key=group.translation_key, live=True).values_list(
            "locale__language_code", flat=True
        )
    )


def group_urls(group, languages=None):
    """``{language code: full URL}`` of the group's page on its office's site, for every
    language it is published in (empty if that site has no directory page)."""
    site_id = group.office.site_id
    pages = directory_urls(site_id) if site_id else {}
    if languages is None:
        # Kept with the group by ``views.public_group``; asked here otherwise.
        languages = getattr(group, "_published_languages", None)
    languages = group_languages(group) if languages is None else languages
    path = group.get_public_path()
    return {code: pages[code] + path for code in sorted(languages) if code in pages}


def group_head(group, fallback_url=""):
    """``{"canonical", "alternates", "description"}`` for a group's page."""
    urls = group_urls(group)
    language = active_language()
    canonical = urls.get(language) or urls.get(settings.LANGUAGE_CODE) or fallback_url
    topics = ", ".join(getattr(group, "display_topics", []) or [])
    fallback = f"{group.name}: {topics}" if topics else group.name
    return {
        "canonical": canonical,
        "alternates": seo.alternates(urls, language),
        "description": seo.trim(group.description) or seo.trim(fallback),
    }
