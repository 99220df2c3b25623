"""Holidays on the office site, seen in Chromium: on 25 December, inside the weekly
opening hours, the home page does not say "open now", names the holiday in the hours box
and tells when the office opens again; the Friday before it says "open now" (so the
journey would notice a site that ignores the calendar).

The clock is frozen the way the holiday tests over HTTP do it, by patching
``django.utils.timezone.now``: the live server runs in a thread of this process, so the
patch holds for the requests Chromium makes. Screenshots land in
``screenshots/holiday-*.png``.
"""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import CHROMIUM, SCREENSHOTS, visitor

pytestmark = [
    pytest.mark.browser,
    # The server only reads (the opening hours ``browser_site`` committed), so the journey
    # runs on SQLite too.
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

BERLIN = ZoneInfo("Europe/Berlin")
# ``browser_site`` gives office Alpha opening hours Monday to Friday, 10 to 16 o'clock.
ORDINARY_FRIDAY = datetime.datetime(2026, 12, 18, 11, 30, tzinfo=BERLIN)
CHRISTMAS_DAY = datetime.datetime(2026, 12, 25, 11, 30, tzinfo=BERLIN)  # a Friday


def _hours_box(chromium, browser_site, moment, screenshot):
    """The text a visitor on a phone sees on Alpha's home page at ``moment``."""
    context, page, base = visitor(chromium, browser_site, width=390)
    try:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            response = page.goto(f"{base}/")
            assert response.status == 200
            text = page.locator("main").inner_text()
            page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=True)
    finally:
        context.close()
    return text


def test_open_now_is_false_on_christmas_day_and_the_hours_box_names_the_holiday(
    chromium, browser_site, django_db_blocker
):
    from sites.models import Office

    friday = _hours_box(chromium, browser_site, ORDINARY_FRIDAY, "holiday-ordinary-friday.png")
    assert "Jetzt geöffnet" in friday
    assert "Heute geschlossen" not in friday

    christmas = _hours_box(chromium, browser_site, CHRISTMAS_DAY, "holiday-christmas-day.png")
    assert "Jetzt geöffnet" not in christmas
    assert "Zurzeit geschlossen" in christmas
    assert "Heute geschlossen (Erster Weihnachtstag)" in christmas
    # Saturday is the second Christmas holiday, Sunday closed: Monday 28th, 10 o'clock.
    assert "wieder geöffnet am Montag ab 10:00 Uhr" in christmas

    # What the page shows is what the office's calendar says (and nothing was written).
    with django_db_blocker.unblock():
        alpha = Office.objects.get(site__hostname="alpha.localhost")
        assert not alpha.is_open_at(CHRISTMAS_DAY)
        assert alpha.closure_on(CHRISTMAS_DAY.date())["kind"] == "holiday"
        assert alpha.is_open_at(ORDINARY_FRIDAY)
        assert not alpha.closures.exists()
