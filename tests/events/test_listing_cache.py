"""The upcoming list keeps its page of dates between requests, yet never shows a stale one.

The list's count and page of dates (with their rendered list items) are kept until the next
save or until the first listed date ends (``EventListingMixin._cached_upcoming_page``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import CancelledDate, EventPage

from .conftest import at

pytestmark = pytest.mark.django_db


def soon(days, hour=18):
    from events.recurrence import localise

    day = timezone.localdate() + datetime.timedelta(days=days)
    return localise(datetime.datetime.combine(day, datetime.time(hour)))


def listing_html(client, path="/veranstaltungen/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_events_list_asks_the_database_nothing(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Infoabend Sucht", start=soon(3), end=soon(3, 20))
    assert "Infoabend Sucht" in listing_html(visitor)
    with CaptureQueriesContext(connection) as queries:
        html = listing_html(visitor)
    assert "Infoabend Sucht" in html and "1 Termin" in html
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_warm_network_calendar_list_asks_the_database_nothing(
    client, offices, listings, event_factory
):
    event_factory(listings["beta"], title="Beta-Vortrag", start=soon(6), end=soon(6, 20))
    client.defaults["HTTP_HOST"] = "land.localhost"
    assert "Beta-Vortrag" in listing_html(client, kontaktstelle=offices["beta"].pk)
    with CaptureQueriesContext(connection) as queries:
        html = listing_html(client, kontaktstelle=offices["beta"].pk)
    assert 'href="http://beta.localhost/veranstaltungen/beta-vortrag/"' in html
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_new_event_shows_in_a_warm_list_at_once(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Erstes Treffen", start=soon(3), end=soon(3, 20))
    assert "Zweites Treffen" not in listing_html(visitor)
    event_factory(listings["alpha"], title="Zweites Treffen", start=soon(2), end=soon(2, 20))
    html = listing_html(visitor)
    assert html.index("Zweites Treffen") < html.index("Erstes Treffen")
    assert "2 Termine" in html


def test_a_changed_title_shows_in_a_warm_list_at_once(visitor, listings, event_factory):
    event = event_factory(listings["alpha"], title="Alter Titel", start=soon(3), end=soon(3, 20))
    assert "Alter Titel" in listing_html(visitor)
    event.title = "Neuer Titel"
    event.save_revision().publish()
    html = listing_html(visitor)
    assert "Neuer Titel" in html and "Alter Titel" not in html


def test_a_cancelled_date_shows_as_cancelled_in_a_warm_list_at_once(
    visitor, listings, event_factory
):
    from events.models import Frequency

    event = event_factory(
        listings["alpha"],
        title="Wochentreffen",
        start=soon(1),
        end=soon(1, 20),
        frequency=Frequency.WEEKLY,
        repeat_count=3,
    )
    assert "fällt aus" not in listing_html(visitor)
    event = EventPage.objects.get(pk=event.pk)
    event.cancelled_dates = [CancelledDate(date=timezone.localdate(soon(8)))]
    event.save_revision().publish()
    html = listing_html(visitor)
    assert html.count("fällt aus") == 1 and "3 Termine" in html


def test_an_unpublished_event_leaves_a_warm_list_at_once(visitor, listings, event_factory):
    event = event_factory(listings["alpha"], title="Wird abgesagt", start=soon(4), end=soon(4, 20))
    assert "Wird abgesagt" in listing_html(visitor)
    event.unpublish()
    assert "Wird abgesagt" not in listing_html(visitor)


def test_a_date_that_ends_leaves_a_warm_list_at_once_without_any_save(
    visitor, listings, event_factory, monkeypatch
):
    event_factory(listings["alpha"], title="Heute Abend", start=soon(1), end=soon(1, 20))
    event_factory(listings["alpha"], title="Nächste Woche", start=soon(8), end=soon(8, 20))
    html = listing_html(visitor)
    assert "Heute Abend" in html and "2 Termine" in html
    # Later, with nobody saving anything: the first date is over.
    later = soon(1, 21)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = listing_html(visitor)
    assert "Heute Abend" not in html and "Nächste Woche" in html and "1 Termin" in html


def test_a_filtered_warm_list_is_kept_apart_from_the_unfiltered_one(
    visitor, listings, event_factory
):
    from events.models import EventCategory

    year = timezone.localdate().year + 1
    event_factory(
        listings["alpha"],
        title="Fortbildung Moderation",
        category=EventCategory.FORTBILDUNG,
        start=at(year, 5, 4),
        end=at(year, 5, 4, 20),
    )
    event_factory(
        listings["alpha"],
        title="Infoabend Sucht",
        category=EventCategory.INFOABEND,
        start=at(year, 6, 8),
        end=at(year, 6, 8, 20),
    )
    for _round in range(2):  # cold, then warm
        both = listing_html(visitor)
        assert "Fortbildung Moderation" in both and "Infoabend Sucht" in both
        june = listing_html(visitor, monat=f"{year}-06")
        assert "Infoabend Sucht" in june and "Fortbildung Moderation" not in june
        training = listing_html(visitor, kategorie="fortbildung")
        assert "Fortbildung Moderation" in training and "Infoabend Sucht" not in training


def test_a_page_beyond_the_last_still_says_so_when_warm(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Einziger Termin", start=soon(3), end=soon(3, 20))
    for _round in range(2):
        response = visitor.get("/veranstaltungen/", {"seite": 5})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Diese Seite gibt es nicht." in html and "Einziger Termin" in html


def test_the_english_list_is_kept_apart_from_the_german_one(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Infoabend Sucht", start=soon(3), end=soon(3, 20))
    marked = 'href="/veranstaltungen/infoabend-sucht/" lang="de">Infoabend Sucht</a>'
    for _round in range(2):
        assert marked not in listing_html(visitor)
        assert marked in listing_html(visitor, path="/en/veranstaltungen/")


def test_a_warm_month_calendar_asks_the_database_nothing_and_follows_a_save(
    visitor, listings, event_factory
):
    month = soon(3).strftime("%Y-%m")
    event = event_factory(listings["alpha"], title="Alter Titel", start=soon(3), end=soon(3, 20))
    assert "Alter Titel" in listing_html(visitor, "/veranstaltungen/kalender/", monat=month)
    with CaptureQueriesContext(connection) as queries:
        html = listing_html(visitor, "/veranstaltungen/kalender/", monat=month)
    assert "Alter Titel" in html
    assert len(queries) == 0, [q["sql"] for q in queries]
    event.title = "Neuer Titel"
    event.save_revision().publish()
    html = listing_html(visitor, "/veranstaltungen/kalender/", monat=month)
    assert "Neuer Titel" in html and "Alter Titel" not in html


def test_a_warm_month_calendar_marks_the_new_today_after_midnight(
    visitor, listings, event_factory, monkeypatch
):
    month = timezone.localdate().strftime("%Y-%m")
    html = listing_html(visitor, "/veranstaltungen/kalender/", monat=month)
    assert (
        f'<time datetime="{timezone.localdate().isoformat()}"'
        in html.split('aria-current="date"', 1)[1][:400]
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    html = listing_html(visitor, "/veranstaltungen/kalender/", monat=month)
    if tomorrow.strftime("%Y-%m") == month:
        current = html.split('aria-current="date"', 1)[1][:400]
        assert f'<time datetime="{tomorrow.isoformat()}"' in current
    else:
        assert 'aria-current="date"' not in html
