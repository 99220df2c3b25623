"""What search engines read about a page: its one canonical address, its language versions
(``hreflang``), its description, and the same alternates in the sitemaps.

Why it matters here: one installation serves many hosts, and the directory shows every
group on every office's host. Without one canonical address per document, search engines
see the same group a dozen times and pick a host at random; without ``hreflang`` they
show the German page to an English-speaking visitor. The rules:

- a page's canonical address is its own URL on its own site (a page is only ever served
  by its own site), plus the route below it (``kalender/``); a group's is the owning
  office's directory page (see ``directory.seo``);
- a translation that is still entirely German text (see ``content_language``) is not a
  language version of its own: its canonical is the source page, and it is left out of
  the alternates;
- a response with a query string (a filter, a page number, a month) is a variant: it is
  ``noindex, follow`` and names no canonical or alternates, so only the plain addresses
  are indexed;
- ``x-default`` is the version in the default language (German).

Everything here is plain data (strings and lists) built in Python; the template only
prints it (``includes/seo_head.html``).
"""

import html
import re

from django.conf import settings
from django.utils.html import strip_tags
from wagtail.models import Page

from . import languages

#: Longest meta description; search engines cut at about this length anyway.
DESCRIPTION_LENGTH = 160
X_DEFAULT = "x-default"


def trim(text, limit=DESCRIPTION_LENGTH):
    """``text`` without markup, entities and runs of white space, cut at a word boundary
    to at most ``limit`` characters (with an ellipsis when cut)."""
    text = re.sub(r"\s+", " ", html.unescape(strip_tags(str(text or "")))).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"


def _first_paragraph(body):
    """The text of the first paragraph block of a StreamField ``body`` (or "")."""
    try:
        blocks = list(body or [])
    except TypeError:
        return ""
    for block in blocks:
        if block.block_type == "paragraph":
            return str(block.value)
    return ""


def description_for(page, fallback=""):
    """The meta description of ``page``: its search description, else its intro, else
    its description (events), else the first paragraph of its body, else ``fallback``."""
    if page is None:
        return trim(fallback)
    for candidate in (
        getattr(page, "search_description", ""),
        getattr(page, "intro", ""),
        getattr(page, "description", ""),
    ):
        text = trim(candidate)
        if text:
            return text
    return trim(_first_paragraph(getattr(page, "body", None))) or trim(fallback)


def page_subpath(request, page):
    """The route below ``page`` that ``request`` asked for (``kalender/``, a group's
    ``12-name/``), or "" for the page itself."""
    if request is None or page is None:
        return ""
    base = page.get_url(request) or ""
    path = request.path
    if base and path.startswith(base):
        return path[len(base) :]
    return ""


def language_versions(page, request=None):
    """``{language code: page}`` of every live translation of ``page`` (itself included),
    memoised on the request: the head and the language switcher both ask."""
    if not isinstance(page, Page) or not page.pk:
        return {}
    memo = getattr(request, "_seo_language_versions", None) if request is not None else None
    if memo is not None and memo[0] == page.pk:
        return memo[1]
    from .chrome import cached_until_next_save, site_of_page

    def build():
        return {
            other.locale.language_code: other
            for other in Page.objects.filter(translation_key=page.translation_key, live=True)
            .select_related("locale")
            .order_by("locale__language_code")
        }

    # Kept until the next save of a page of its site (translations are in the same site).
    versions = cached_until_next_save(
        f"language-versions:{page.translation_key}", build, site=site_of_page(page)
    )
    if request is not None:
        request._seo_language_versions = (page.pk, versions)
    return versions


def nearest_translated_ancestors(page, codes, request=None):
    """``{language code: URL}`` of the nearest ancestor of ``page`` that is translated into
    each of ``codes`` (for a page that is not itself): an untranslated event leads to the
    events page in that language, not back to the home page. One query."""
    if not codes or not isinstance(page, Page) or page.depth <= 2:
        return {}
    ancestors = list(
        page.get_ancestors().filter(depth__gt=1).values_list("translation_key", "depth")
    )
    depth_of = dict(ancestors)
    found = {}
    for other in Page.objects.filter(
        translation_key__in=list(depth_of), locale__language_code__in=list(codes), live=True
    ).select_related("locale"):
        code = other.locale.language_code
        if code not in found or depth_of[other.translation_key] > found[code][0]:
            found[code] = (depth_of[other.translation_key], other)
    return {code: other.get_url(request) for code, (_depth, other) in found.items()}


def is_untranslated_copy(page):
    """Whether ``page`` is a translation that still holds only its source's text."""
    from .content_language import UNTRANSLATED, translation_state

    state = translation_state(page)
    return bool(state) and state.get("state") == UNTRANSLATED


def alternates(urls_by_language, language=None):
    """``[(hreflang, url), ...]`` with ``x-default`` for the default language; empty
    when there is only one language version (nothing to tell apart).

    Languages search engines do not accept in ``hreflang`` (Leichte Sprache, see
    ``sites.languages``) are left out, and a document in such a language (``language``)
    names no alternates at all: it stands outside the cluster, since the cluster's pages
    do not name it back."""
    if language is not None and not languages.for_search_engines(language):
        return []
    urls_by_language = {
        code: url for code, url in urls_by_language.items() if languages.for_search_engines(code)
    }
    if len(urls_by_language) < 2:
        return []
    result = sorted(urls_by_language.items())
    default = urls_by_language.get(settings.LANGUAGE_CODE)
    if default:
        result.append((X_DEFAULT, default))
    return result


def page_head(page, request, subpath=None):
    """``{"canonical", "alternates"}`` of a page (and the route below it) as served by its
    own site."""
    if subpath is None:
        subpath = page_subpath(request, page)
    versions = language_versions(page, request)
    offered = offered_languages(page, request)
    urls = {}
    for code, other in versions.items():
        if code not in offered:
            continue  # a language the site does not offer (or no longer) is no version
        if other.pk != page.pk and is_untranslated_copy(other):
            continue
        url = other.get_full_url(request)
        if url:
            urls[code] = url + subpath
    canonical_page = page
    if is_untranslated_copy(page):
        canonical_page = versions.get(settings.LANGUAGE_CODE, page)
        # The page's own language from its versions, not ``page.locale`` (a query that
        # only a translated page would make, issue #12).
        urls.pop(versions_language(page, versions), None)
    canonical = canonical_page.get_full_url(request)
    return {
        "canonical": canonical + subpath if canonical else "",
        "alternates": alternates(urls, versions_language(page, versions)),
    }


def versions_language(page, versions):
    """The language code of ``page`` among its ``versions`` (no extra query)."""
    return next((code for code, other in versions.items() if other.pk == page.pk), None)


def offered_languages(page, request=None):
    """The languages of the site that serves ``page``: the request's site, else the site
    the page belongs to (every language when neither has an office)."""
    from .tenancy import office_for_request, site_for_page, site_languages

    office = office_for_request(request) if request is not None else None
    if office is not None:
        return site_languages(office)
    site = site_for_page(page)
    return site_languages(site) if site is not None else languages.codes()


def is_variant(request):
    """A response to a query string (filter, page number, month) is a variant of the
    plain address; variants are not indexed."""
    return bool(request is not None and request.GET)
