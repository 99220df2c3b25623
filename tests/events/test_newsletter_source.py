"""The events app fills the newsletter's block "Veranstaltungen aller Kontaktstellen"."""

import datetime

import pytest

from newsletter import sources
from tests.events.conftest import make_event, next_year

pytestmark = pytest.mark.django_db


def test_the_events_of_the_issue_month_come_from_every_office_with_their_own_urls(listings):
    year = next_year()
    make_event(listings["alpha"], title="Infoabend Alpha")
    make_event(listings["beta"], title="Selbsthilfetag Beta")
    from tests.events.conftest import at

    make_event(listings["beta"], title="Im April", start=at(year, 4, 2))
    items = sources.fetch("events_of_month", datetime.date(year, 3, 1), "de", 20)
    by_title = {item.title: item for item in items}
    assert set(by_title) == {"Infoabend Alpha", "Selbsthilfetag Beta"}
    assert by_title["Infoabend Alpha"].url.startswith("http://alpha.localhost/veranstaltungen/")
    assert by_title["Selbsthilfetag Beta"].url.startswith("http://beta.localhost/")
    assert by_title["Infoabend Alpha"].office == "KS Alpha"
    assert by_title["Infoabend Alpha"].date.hour == 18


def test_an_edition_in_a_language_without_translated_events_gets_the_german_ones(listings):
    make_event(listings["alpha"], title="Infoabend Alpha")
    items = sources.fetch("events_of_month", datetime.date(next_year(), 3, 1), "en", 20)
    assert [item.title for item in items] == ["Infoabend Alpha"]
