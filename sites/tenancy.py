"""Helpers that answer "which office does this belong to?" for requests, pages and users.

A site has one root page per locale (the German home page and its translations), so every
question about "the pages of a site" must look below each of them, never only below
``site.root_page``.
"""

from django.db.models import Q, prefetch_related_objects
from wagtail.models import Page, Site


def locale_roots(site):
    """The home page of ``site`` in every locale it has been translated into."""
    return list(site.root_page.get_translations(inclusive=True))


def pages_of_site(site, inclusive=True):
    """A queryset of every page of ``site`` across all its locales."""
    condition = Q()
    for root in locale_roots(site):
        condition |= Q(path__startswith=root.path, depth__gte=root.depth + (0 if inclusive else 1))
    return Page.objects.filter(condition)


def site_for_page(page):
    """The site whose locale roots contain ``page`` (None for pages outside every site)."""
    root_path = page.path[: Page.steplen * 2]
    home = Page.objects.filter(path=root_path).first()
    if home is None:
        return None
    source_keys = [home.translation_key]
    return Site.objects.filter(root_page__translation_key__in=source_keys).first()


def office_for_request(request):
    """The ``Office`` of the requested site with its hours (pages show and evaluate them
    several times: "open now", hours box, contact box).

    It comes from the chrome cache (see ``sites.chrome``) and is memoised on the request
    where Wagtail's ``Office.for_request`` looks, so both give the same instance.
    """
    from .chrome import office_for_site
    from .models import Office

    if request is None:
        return None
    attr = Office.get_cache_attr_name()
    office = getattr(request, attr, None)
    if office is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        office = office_for_site(site)
        office._request = request
        setattr(request, attr, office)
    elif not getattr(office, "_hours_prefetched", False):
        prefetch_related_objects([office], "opening_hours", "consultation_hours", "closures")
        office._hours_prefetched = True
    return office
