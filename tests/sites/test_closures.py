"""Public holidays of the office's state and its own closure periods: "open now", the
next opening and the hours box respect them."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from sites.models import ClosurePeriod, OpeningHours

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def weekdays_9_to_17(offices):
    office = offices["alpha"]
    for weekday in range(5):
        OpeningHours.objects.create(
            office=office, weekday=weekday, opens=datetime.time(9), closes=datetime.time(17)
        )
    return office


def at(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


def test_open_now_is_false_on_christmas_day_inside_the_opening_hours(weekdays_9_to_17):
    # 25 December 2026 is a Friday; the Friday before is an ordinary working day.
    assert weekdays_9_to_17.is_open_at(at(2026, 12, 18, 10))
    assert not weekdays_9_to_17.is_open_at(at(2026, 12, 25, 10))
    assert weekdays_9_to_17.closure_on(datetime.date(2026, 12, 25))["kind"] == "holiday"


def test_the_holidays_are_those_of_the_offices_state(weekdays_9_to_17):
    # International Women's Day (8 March) is a public holiday in Berlin, not in Bavaria.
    monday = at(2027, 3, 8, 10)
    assert weekdays_9_to_17.state == "BE"
    assert not weekdays_9_to_17.is_open_at(monday)
    weekdays_9_to_17.state = "BY"
    assert weekdays_9_to_17.is_open_at(monday)


def test_the_next_opening_skips_holidays(weekdays_9_to_17):
    christmas_eve_evening = at(2026, 12, 24, 18)
    # Friday 25th is Christmas Day, Saturday 26th the second holiday, Sunday closed.
    assert weekdays_9_to_17.next_opening(christmas_eve_evening) == at(2026, 12, 28, 9)


def test_the_next_opening_skips_a_closure_period(weekdays_9_to_17):
    ClosurePeriod.objects.create(
        office=weekdays_9_to_17,
        starts=datetime.date(2026, 11, 30),
        ends=datetime.date(2026, 12, 4),
        reason="Umzug",
    )
    friday_evening = at(2026, 11, 27, 18)
    assert weekdays_9_to_17.next_opening(friday_evening) == at(2026, 12, 7, 9)


def test_a_closure_period_makes_open_now_false_and_shows_on_the_home_page(
    weekdays_9_to_17, visitor
):
    wednesday = at(2026, 11, 25, 11)
    with mock.patch("django.utils.timezone.now", return_value=wednesday):
        before = visitor.get("/").content.decode()
    assert "Jetzt geöffnet" in before

    ClosurePeriod.objects.create(
        office=weekdays_9_to_17,
        starts=datetime.date(2026, 11, 24),
        ends=datetime.date(2026, 11, 27),
        reason="Fortbildung des Teams",
    )
    assert not weekdays_9_to_17.is_open_at(wednesday)
    # The same cache that served the page before: the new closure shows at once.
    with mock.patch("django.utils.timezone.now", return_value=wednesday):
        html = visitor.get("/").content.decode()
    assert "Jetzt geöffnet" not in html
    assert "Zurzeit geschlossen" in html
    assert "Vom 24. November 2026 bis 27. November 2026 geschlossen" in html
    assert "Fortbildung des Teams" in html
    assert "wieder geöffnet am Montag ab 09:00 Uhr" in html


def test_on_a_holiday_the_hours_box_says_closed_today_with_the_holidays_name(
    weekdays_9_to_17, visitor
):
    christmas = at(2026, 12, 25, 10)
    with mock.patch("django.utils.timezone.now", return_value=christmas):
        html = visitor.get("/").content.decode()
    assert "Heute geschlossen (Erster Weihnachtstag)" in html
    assert "Zurzeit geschlossen" in html
    assert "Jetzt geöffnet" not in html


def test_open_now_is_computed_per_request_although_the_office_is_cached(weekdays_9_to_17, visitor):
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 12, 18, 10)):
        assert "Jetzt geöffnet" in visitor.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 12, 25, 10)):
        assert "Jetzt geöffnet" not in visitor.get("/").content.decode()


def test_a_closure_that_ends_before_it_starts_is_refused(weekdays_9_to_17):
    from django.core.exceptions import ValidationError

    closure = ClosurePeriod(
        office=weekdays_9_to_17,
        starts=datetime.date(2026, 12, 4),
        ends=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError):
        closure.full_clean()
