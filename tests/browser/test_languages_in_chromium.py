"""Arabic (right to left) and Leichte Sprache in Chromium at phone and desktop width:
axe-core finds no serious or critical violation, the layout mirrors in Arabic, nothing
overflows sideways, and phone numbers, e-mail addresses and times stay left to right.

Screenshots land in ``screenshots/`` (``alpha-ar-*.png``, ``alpha-de-x-ls-*.png``).
"""

import pytest

from tests.browser.conftest import CHROMIUM, SCREENSHOTS
from tests.browser.test_pages_in_chromium import (
    WIDTHS,
    foreign_requests,
    serious_violations,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

LANGUAGES = ["ar", "de-x-ls"]
PAGES = {
    "home": "",
    "contact": "kontakt/",
    "founding": "gruppe-gruenden/",
    "events": "veranstaltungen/",
    "calendar": "veranstaltungen/kalender/",
    "directory": "gruppen/",
    "search": "gruppen/?q=Sucht",
}


@pytest.fixture(scope="module")
def multilingual_site(browser_site, django_db_blocker):
    """Office Alpha offers Arabic and Leichte Sprache (committed: the live server reads
    it); afterwards the new locale trees are deleted and the languages restored."""
    from wagtail.models import Locale, Page

    from sites.models import Office

    with django_db_blocker.unblock():
        office = Office.objects.get(site__hostname="alpha.localhost")
        before = list(office.languages)
        office.languages = [*before, *LANGUAGES]
        office.save()  # creates and (on commit) publishes the Arabic and LS pages
        try:
            yield browser_site
        finally:
            home = office.site.root_page
            for code in LANGUAGES:
                root = home.get_translation_or_none(Locale.objects.get(language_code=code))
                if root is not None:
                    Page.objects.get(pk=root.pk).delete()
            Office.objects.filter(pk=office.pk).update(languages=before)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_a_page_in_arabic_or_leichte_sprache_is_accessible_at_phone_and_desktop_width(
    chromium, multilingual_site, language, width, kind
):
    path = f"/{language}/{PAGES[kind]}"
    context, page, response, requested = visit(chromium, multilingual_site, "alpha", width, path)
    try:
        assert response.status == 200, path
        direction = "rtl" if language == "ar" else "ltr"
        assert page.evaluate("document.documentElement.lang") == language
        assert page.evaluate("document.documentElement.dir") == direction
        page.screenshot(path=SCREENSHOTS / f"alpha-{language}-{kind}-{width}.png", full_page=True)
        assert serious_violations(page) == []
        assert foreign_requests(requested, multilingual_site, "alpha") == []
        # Nothing overflows sideways (in RTL an overflow would go to the left).
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_arabic_layout_mirrors_and_numbers_stay_left_to_right(
    chromium, multilingual_site, width
):
    context, page, _response, _requested = visit(
        chromium, multilingual_site, "alpha", width, "/ar/kontakt/"
    )
    try:
        viewport = WIDTHS[width]
        name = page.locator(".site-name").bounding_box()
        # The site's name starts at the right edge, as the first thing in a right-to-left line.
        assert name["x"] + name["width"] > viewport * 0.6
        first_crumb = page.locator(".breadcrumbs li").first.bounding_box()
        last_crumb = page.locator(".breadcrumbs li").last.bounding_box()
        assert first_crumb["x"] > last_crumb["x"]
        for selector in ('a[href^="tel:"]', 'a[href^="mailto:"]', ".hours-list bdi"):
            element = page.locator(selector).first
            assert element.evaluate("e => getComputedStyle(e).direction") == "ltr", selector
            assert element.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
        page.screenshot(path=SCREENSHOTS / f"alpha-ar-mirrored-{width}.png", full_page=True)
    finally:
        context.close()


def test_a_visitor_switches_to_leichte_sprache_and_to_arabic_from_any_page(
    chromium, multilingual_site
):
    context, page, _response, _requested = visit(
        chromium, multilingual_site, "alpha", "phone", "/kontakt/"
    )
    try:
        page.click(".language-switcher a[lang='de-x-ls']")
        assert page.evaluate("location.pathname") == "/de-x-ls/kontakt/"
        page.click(".language-switcher a[lang='ar']")
        assert page.evaluate("location.pathname") == "/ar/kontakt/"
        assert page.evaluate("document.documentElement.dir") == "rtl"
    finally:
        context.close()
