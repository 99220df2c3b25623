"""Searching the directory in Arabic and Turkish, in Chromium at 320, 375 and 1280 px: a
visitor types "كحول" on the Arabic directory page or "alkol" on the Turkish one and finds
the addiction groups (topic Alkohol, named in the visitor's language); on a phone the
first result is on the first screen, the Arabic page runs right to left, nothing scrolls
sideways and axe-core finds no violation.

The office Alpha offers Arabic and Turkish for this module, with the demo's topic list
(names translated through wagtail-localize, search terms per language) and two alcohol
groups. Screenshots: ``screenshots/search-{ar,tr}-{width}.png``.
"""

import datetime
import urllib.parse

import pytest

from tests.browser.conftest import CHROMIUM, SCREENSHOTS
from tests.browser.test_pages_in_chromium import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

SCREENS = {320: 568, 375: 667, 1280: 800}
LANGUAGES = ["tr", "ar"]
SEARCHES = {"ar": ("كحول", "الكحول", "rtl"), "tr": ("alkol", "Alkol", "ltr")}
GROUPS = ["Trockene Alkoholiker Nord", "Angehörigengruppe Alkohol Süd"]


@pytest.fixture(scope="module")
def search_site(browser_site, django_db_blocker):
    """Alpha in Arabic and Turkish, the demo topics in every language and two alcohol
    groups (committed: the live server reads them); all removed again afterwards."""
    from wagtail.models import Locale, Page

    from directory.demo import load_directory_demo
    from directory.models import SelfHelpGroup, Topic
    from sites.demo_translations import translate_office
    from sites.models import Office

    with django_db_blocker.unblock():
        office = Office.objects.get(site__hostname="alpha.localhost")
        before = list(office.languages)
        office.languages = [*before, *LANGUAGES]
        office.save()  # creates and (on commit) publishes the Arabic and Turkish pages
        # Translated as the demo translates them (no "not translated yet" notice).
        translate_office(office, languages=LANGUAGES)
        topics_before = set(Topic.objects.values_list("pk", flat=True))
        load_directory_demo([])  # topics, their translations and search terms; no groups
        alcohol = Topic.objects.get(slug="alkohol", locale__language_code="de")
        groups = []
        for n, name in enumerate(GROUPS):
            group = SelfHelpGroup(
                office=office,
                name=name,
                description="Wir treffen uns jede Woche und sprechen offen über Alkohol.",
                district="Mitte",
                weekday=n,
                starts_at=datetime.time(18, 30),
                city="Berlin",
                last_verified=datetime.date.today(),
            )
            group.save()
            group.topics.set([alcohol])
            group.save()  # index the group again, now with its topic (as the demo does)
            groups.append(group)
        try:
            yield browser_site
        finally:
            for group in groups:
                group.delete()
            new = Topic.objects.exclude(pk__in=topics_before)
            # Translations and children before their parents (the parent is protected).
            new.exclude(locale__language_code="de").delete()
            new.filter(parent__isnull=False).delete()
            new.delete()
            home = office.site.root_page
            for code in LANGUAGES:
                root = home.get_translation_or_none(Locale.objects.get(language_code=code))
                if root is not None:
                    Page.objects.get(pk=root.pk).delete()
            Office.objects.filter(pk=office.pk).update(languages=before)


@pytest.mark.parametrize("width", SCREENS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_search_in_arabic_or_turkish_finds_the_alcohol_groups(
    chromium, search_site, language, width
):
    query, topic_name, direction = SEARCHES[language]
    context = chromium.new_context(
        viewport={"width": width, "height": SCREENS[width]}, bypass_csp=True
    )
    page = context.new_page()
    try:
        base = f"http://alpha.localhost:{search_site['port']}/{language}/gruppen/"
        response = page.goto(base, wait_until="load")
        assert response.status == 200
        assert page.evaluate("document.documentElement.dir") == direction
        box = page.locator("#id_q")
        box.fill(query)
        box.press("Enter")
        page.wait_for_url(f"**/{language}/gruppen/?q=*")
        sent = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
        assert sent["q"] == [query]
        cards = page.locator(".group-card")
        names = [cards.nth(n).locator("h3").inner_text() for n in range(cards.count())]
        assert sorted(names) == sorted(GROUPS), names
        # The topic is named in the visitor's language on the result and in the summary.
        assert topic_name in cards.first.inner_text()
        assert topic_name in page.locator(".understood").inner_text()
        page.screenshot(path=SCREENSHOTS / f"search-{language}-{width}.png")
        if width < 1000:
            first = cards.first.locator("h3").bounding_box()
            assert first["y"] + first["height"] <= SCREENS[width], first
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert serious_violations(page) == []
    finally:
        context.close()
