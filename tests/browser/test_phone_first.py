"""Phone first, in Chromium at 320 and 375 px: after a search the first group is on the
first screen (German and Arabic), the home pages start with a search box, the month
calendar fits the screen as an agenda, an event names its full address with the calendar
link beside the date, and the state site's office finder answers a postcode. axe-core
finds no serious or critical violation on any of these screens.

Screenshots land in ``screenshots/`` (not committed) for a person to look at.
"""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import CHROMIUM, SCREENSHOTS
from tests.browser.test_pages_in_chromium import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

#: Phone screens: the smallest still sold (iPhone SE, first generation) and the most
#: common small one (375 × 667).
SCREENS = {320: 568, 375: 667}


@pytest.fixture(scope="module")
def phone_content(browser_site, django_db_blocker):
    """Committed groups, a month of events in a room and postcode areas for Alpha; removed
    again at the end."""
    from directory.models import Rhythm, SelfHelpGroup
    from events.models import EventIndexPage, EventPage, LocationKind
    from events.recurrence import localise
    from sites.models import Office, PostcodeArea, Room

    with django_db_blocker.unblock():
        alpha = Office.objects.select_related("site__root_page").get(
            site__hostname="alpha.localhost"
        )
        groups = []
        for n, (name, district) in enumerate(
            [
                ("Angehörige von Alkoholkranken Weißensee", "Weißensee"),
                ("Alkohol – Wege aus der Sucht", "Prenzlauer Berg"),
                ("Trockene Alkoholiker am Abend", "Pankow"),
            ]
        ):
            group = SelfHelpGroup(
                office=alpha,
                name=name,
                description="Wir treffen uns regelmäßig und sprechen offen über Alkohol.",
                district=district,
                rhythm=Rhythm.WEEKLY,
                weekday=n,
                starts_at=datetime.time(18, 30),
                city="Berlin",
                last_verified=datetime.date.today(),
            )
            group.save()
            groups.append(group)
        room = Room.objects.create(office=alpha, name="Gruppenraum Sonnenseite", capacity=12)
        listing = EventIndexPage.objects.child_of(alpha.site.root_page).get()
        today = timezone.localdate()
        events = []
        for n, (title, day) in enumerate(
            [
                ("Gesprächskreis für pflegende Angehörige mit langem Titel", 3),
                ("Infoabend Selbsthilfe", 12),
                ("Selbsthilfetag im Bezirk", 20),
            ]
        ):
            start = localise(
                datetime.datetime.combine(
                    today.replace(day=min(day, 28)), datetime.time(17 + n % 2, 0)
                )
            )
            event = EventPage(
                title=title,
                start=start,
                end=start + datetime.timedelta(hours=2),
                location_kind=LocationKind.ROOM,
                room=room,
            )
            listing.add_child(instance=event)
            event.save_revision().publish()
            events.append(event)
        areas = [
            PostcodeArea.objects.create(office=alpha, postcode="13187", place="Pankow"),
            PostcodeArea.objects.create(office=alpha, postcode="13086", place="Weißensee"),
        ]
        try:
            yield {"events": events}
        finally:
            for event in events:
                EventPage.objects.get(pk=event.pk).delete()
            room.delete()
            for group in groups:
                group.delete()
            for area in areas:
                area.delete()


def open_phone(chromium, site, hostname, width, path):
    context = chromium.new_context(
        viewport={"width": width, "height": SCREENS[width]}, bypass_csp=True
    )
    page = context.new_page()
    response = page.goto(f"http://{hostname}:{site['port']}{path}", wait_until="load")
    return context, page, response


def no_sideways_scrolling(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", SCREENS)
def test_after_a_search_on_a_phone_the_first_group_is_on_the_first_screen(
    chromium, browser_site, phone_content, width
):
    context, page, response = open_phone(chromium, browser_site, "alpha.localhost", width, "/")
    try:
        assert response.status == 200
        # The home page's search box is on the first screen and leads to the directory.
        box = page.locator(".home-search input[type=search]")
        assert box.bounding_box()["y"] + box.bounding_box()["height"] <= SCREENS[width]
        box.fill("Alkohol")
        box.press("Enter")
        page.wait_for_url("**/gruppen/?q=Alkohol*")
        first = page.locator(".group-card").first
        first_heading = first.locator("h3").bounding_box()
        # The first group's name is on the first screen, also on the smallest phone
        # (320 × 568: filters and button share a row, header rows scroll sideways).
        assert first_heading["y"] + first_heading["height"] <= SCREENS[width], first_heading
        # The filters are folded away and open without JavaScript.
        assert page.locator("details.filter-details").get_attribute("open") is None
        page.screenshot(path=SCREENSHOTS / f"phone-directory-search-{width}.png")
        assert no_sideways_scrolling(page, width)
        assert serious_violations(page) == []
        page.locator("details.filter-details summary").click()
        assert page.locator("#id_topic, .filter-grid select").first.is_visible()
    finally:
        context.close()


@pytest.fixture(scope="module")
def arabic_alpha(phone_content, django_db_blocker):
    """Alpha also in Arabic (committed: the live server reads it); the Arabic tree is
    deleted and the languages restored afterwards."""
    from wagtail.models import Locale, Page

    from sites.demo_translations import translate_office
    from sites.models import Office

    with django_db_blocker.unblock():
        office = Office.objects.get(site__hostname="alpha.localhost")
        before = list(office.languages)
        office.languages = [*before, "ar"]
        office.save()  # creates and (on commit) publishes the Arabic pages
        # Translated as the demo translates them (no "not translated yet" notice).
        translate_office(office, languages=["ar"])
        try:
            yield phone_content
        finally:
            root = office.site.root_page.get_translation_or_none(
                Locale.objects.get(language_code="ar")
            )
            if root is not None:
                Page.objects.get(pk=root.pk).delete()
            Office.objects.filter(pk=office.pk).update(languages=before)


@pytest.mark.parametrize("width", SCREENS)
def test_after_a_search_in_arabic_on_a_phone_the_first_group_is_on_the_first_screen(
    chromium, browser_site, arabic_alpha, width
):
    context, page, response = open_phone(
        chromium, browser_site, "alpha.localhost", width, "/ar/gruppen/"
    )
    try:
        assert response.status == 200
        assert page.evaluate("document.documentElement.dir") == "rtl"
        box = page.locator("#id_q")
        box.fill("Alkohol")
        box.press("Enter")
        page.wait_for_url("**/ar/gruppen/?q=Alkohol*")
        first_heading = page.locator(".group-card").first.locator("h3").bounding_box()
        assert first_heading["y"] + first_heading["height"] <= SCREENS[width], first_heading
        page.screenshot(path=SCREENSHOTS / f"phone-directory-search-ar-{width}.png")
        assert no_sideways_scrolling(page, width)
        assert serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("width", SCREENS)
def test_a_set_filter_is_counted_on_the_folded_filter_box(
    chromium, browser_site, phone_content, width
):
    context, page, _response = open_phone(
        chromium, browser_site, "alpha.localhost", width, "/gruppen/?q=Alkohol&step_free=on"
    )
    try:
        summary = page.locator("details.filter-details summary").inner_text()
        assert "(1 Filter aktiv)" in summary
        assert serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("width", SCREENS)
def test_the_month_calendar_is_an_agenda_that_fits_the_phone(
    chromium, browser_site, phone_content, width
):
    context, page, response = open_phone(
        chromium, browser_site, "alpha.localhost", width, "/veranstaltungen/kalender/"
    )
    try:
        assert response.status == 200
        page.screenshot(path=SCREENSHOTS / f"phone-calendar-{width}.png", full_page=True)
        assert no_sideways_scrolling(page, width)
        calendar = page.locator("table.calendar").bounding_box()
        assert calendar["x"] >= 0 and calendar["x"] + calendar["width"] <= width
        # Every event of the month is shown, with its weekday and date readable.
        for event in phone_content["events"]:
            link = page.get_by_role("link", name=event.title)
            assert link.is_visible()
            link_box = link.bounding_box()
            assert link_box["x"] + link_box["width"] <= width
        days = page.locator("td:not(.other-month):not(.no-events) .day-number")
        assert days.count() == len(phone_content["events"])
        assert days.first.is_visible()
        assert "," in days.first.inner_text()  # "Mittwoch, 3. Dezember"
        assert serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("width", SCREENS)
def test_an_event_names_its_full_address_and_the_calendar_link_beside_the_date(
    chromium, browser_site, phone_content, width
):
    event = phone_content["events"][1]
    path = f"/veranstaltungen/{event.slug}/"
    context, page, response = open_phone(chromium, browser_site, "alpha.localhost", width, path)
    try:
        assert response.status == 200
        facts = page.locator("dl.event-facts")
        when = facts.locator("dd").first
        assert when.locator("a.ics-link").is_visible()
        where = facts.locator("dd").nth(1).inner_text()
        assert "Gruppenraum Sonnenseite" in where
        assert "Teststraße 1" in where and "10115 Berlin" in where
        page.screenshot(path=SCREENSHOTS / f"phone-event-{width}.png", full_page=True)
        assert no_sideways_scrolling(page, width)
        assert serious_violations(page) == []
        # Fetched by the page itself (Chromium's resolver maps *.localhost to the server).
        body = page.evaluate(
            "async (url) => { const r = await fetch(url); return r.ok ? await r.text() : ''; }",
            when.locator("a.ics-link").get_attribute("href"),
        )
        unfolded = body.replace("\r\n ", "")
        assert "LOCATION:Gruppenraum Sonnenseite\\, Teststraße 1\\, 10115 Berlin" in unfolded
    finally:
        context.close()


@pytest.mark.parametrize("width", SCREENS)
def test_on_the_state_site_a_postcode_finds_the_office_on_a_phone(
    chromium, browser_site, phone_content, width
):
    context, page, response = open_phone(chromium, browser_site, "land.localhost", width, "/")
    try:
        assert response.status == 200
        page.screenshot(path=SCREENSHOTS / f"phone-state-home-{width}.png", full_page=True)
        assert serious_violations(page) == []
        finder = page.locator(".home-finder input[type=search]")
        finder.fill("13187")
        finder.press("Enter")
        page.wait_for_url("**/kontaktstelle-finden/?q=13187")
        card = page.locator(".office-card").first
        assert "Kontaktstelle Alpha" in card.inner_text()
        assert "13187 Pankow" in card.inner_text()
        assert card.locator(".open-state").is_visible()
        heading = card.locator("h3").bounding_box()
        assert heading["y"] + heading["height"] <= SCREENS[width]
        page.screenshot(path=SCREENSHOTS / f"phone-finder-{width}.png", full_page=True)
        assert no_sideways_scrolling(page, width)
        assert serious_violations(page) == []
    finally:
        context.close()
