"""iCalendar feeds parsed back with ``icalendar`` as a calendar app would read them."""

import datetime

import pytest
from icalendar import Calendar

from events.models import Frequency
from events.recurrence import BERLIN

from .conftest import at, next_year

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_of(cal):
    return list(cal.walk("VEVENT"))


@pytest.fixture
def weekly_series(listings, event_factory):
    year = next_year()
    return event_factory(
        listings["alpha"],
        title="Offenes Treffen",
        start=at(year, 3, 16, 18),
        end=at(year, 3, 16, 19, 30),
        frequency=Frequency.WEEKLY,
        repeat_until=datetime.date(year, 4, 13),
        cancelled=[datetime.date(year, 3, 30)],
        extra=[(datetime.date(year, 4, 15), datetime.time(18))],
    )


def test_the_site_feed_is_served_on_get_with_tzid_vtimezone_rrule_and_exdate(
    visitor, weekly_series
):
    cal = parse(visitor.get("/events.ics"))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = events_of(cal)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt == at(next_year(), 3, 16, 18)
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    rrule = event["RRULE"]
    assert rrule["FREQ"] == ["WEEKLY"]
    assert rrule["UNTIL"][0] == datetime.datetime(
        next_year(), 4, 13, 23, 59, 59, tzinfo=BERLIN
    ).astimezone(datetime.UTC)
    assert "UNTIL" not in event  # inside the RRULE, not beside it
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert exdates == [at(next_year(), 3, 30, 18)]
    assert [d.dt for d in event["RDATE"].dts] == [at(next_year(), 4, 15, 18)]
    assert event["UID"] == f"event-{weekly_series.translation_key}@alpha.localhost"
    assert event["URL"].startswith("http://alpha.localhost/veranstaltungen/offenes-treffen/")


def test_a_calendar_app_expanding_the_feed_keeps_1800_across_the_dst_change(visitor, weekly_series):
    from dateutil.rrule import rrulestr

    (event,) = events_of(parse(visitor.get("/events.ics")))
    start = event["DTSTART"].dt
    text = event["RRULE"].to_ical().decode()
    rule = rrulestr(text, dtstart=start)  # aware, as a calendar app reads TZID
    exdates = {d.dt for d in event["EXDATE"].dts}
    as_aware = [d for d in rule if d not in exdates]
    assert {d.astimezone(BERLIN).time() for d in as_aware} == {datetime.time(18)}
    assert {d.utcoffset() for d in as_aware} == {
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    }
    local = as_aware
    assert len(local) == 4  # 16, 23 March, 6, 13 April; the 30th is cancelled


def test_count_is_written_inside_the_rrule(visitor, listings, event_factory):
    year = next_year()
    event_factory(
        listings["alpha"],
        title="Reihe",
        start=at(year, 1, 12, 18),
        end=at(year, 1, 12, 20),
        frequency=Frequency.MONTHLY_WEEKDAY,
        ordinal=2,
        repeat_count=6,
    )
    (event,) = events_of(parse(visitor.get("/veranstaltungen/ical/")))
    assert event["RRULE"]["COUNT"] == [6]
    assert event["RRULE"]["BYDAY"] == ["2TU"]


def test_all_day_events_are_date_values(visitor, listings, event_factory):
    year = next_year()
    event_factory(
        listings["alpha"],
        title="Selbsthilfetag",
        start=at(year, 6, 5, 0),
        end=at(year, 6, 6, 23, 59),
        all_day=True,
    )
    (event,) = events_of(parse(visitor.get("/events.ics")))
    assert event["DTSTART"].dt == datetime.date(year, 6, 5)
    assert event["DTEND"].dt == datetime.date(year, 6, 7)  # exclusive end
    assert event["DTSTART"].params.get("VALUE") == "DATE"


def test_uids_are_unique_and_stable_across_edits(visitor, listings, event_factory):
    first = event_factory(listings["alpha"], title="Eins")
    event_factory(listings["alpha"], title="Zwei")
    before = [e["UID"] for e in events_of(parse(visitor.get("/events.ics")))]
    assert len(set(before)) == 2
    first.title = "Eins (geändert)"
    first.save_revision().publish()
    after = [e["UID"] for e in events_of(parse(visitor.get("/events.ics")))]
    assert sorted(after) == sorted(before)


def test_the_feed_of_one_office_does_not_contain_another_offices_events(
    client, listings, event_factory
):
    event_factory(listings["alpha"], title="Alpha-Abend")
    event_factory(listings["beta"], title="Beta-Abend")
    client.defaults["HTTP_HOST"] = "beta.localhost"
    titles = [str(e["SUMMARY"]) for e in events_of(parse(client.get("/events.ics")))]
    assert titles == ["Beta-Abend"]


def test_the_state_feed_contains_every_offices_events_with_their_own_hostnames(
    client, listings, event_factory
):
    alpha = event_factory(listings["alpha"], title="Alpha-Abend")
    beta = event_factory(listings["beta"], title="Beta-Abend")
    client.defaults["HTTP_HOST"] = "land.localhost"
    uids = {str(e["UID"]) for e in events_of(parse(client.get("/events.ics")))}
    assert uids == {
        f"event-{alpha.translation_key}@alpha.localhost",
        f"event-{beta.translation_key}@beta.localhost",
    }


def test_each_event_page_offers_its_own_file_and_advertises_the_feeds(
    visitor, listings, event_factory
):
    event = event_factory(listings["alpha"], title="Vortrag")
    path = f"/veranstaltungen/{event.slug}/"
    html = visitor.get(path).content.decode()
    assert 'rel="alternate" type="text/calendar"' in html
    assert f'href="{path}ical/"' in html
    assert 'href="/veranstaltungen/ical/"' in html
    (vevent,) = events_of(parse(visitor.get(f"{path}ical/")))
    assert str(vevent["SUMMARY"]) == "Vortrag"


def test_unpublished_events_are_not_in_the_feed(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Entwurf", publish=False)
    assert events_of(parse(visitor.get("/events.ics"))) == []


def test_the_cached_feed_shows_an_edited_title_and_a_new_cancelled_date_at_once(
    visitor, weekly_series
):
    (before,) = events_of(parse(visitor.get("/events.ics")))
    assert str(before["SUMMARY"]) == "Offenes Treffen"
    weekly_series.title = "Offenes Treffen (neu)"
    weekly_series.cancelled_dates.create(date=datetime.date(next_year(), 4, 6))
    weekly_series.save_revision().publish()
    (after,) = events_of(parse(visitor.get("/events.ics")))
    assert str(after["SUMMARY"]) == "Offenes Treffen (neu)"
    exdates = after["EXDATE"] if isinstance(after["EXDATE"], list) else [after["EXDATE"]]
    assert at(next_year(), 4, 6, 18) in [d.dt for line in exdates for d in line.dts]


def test_an_unpublished_event_leaves_the_cached_feed_at_once(visitor, weekly_series):
    assert len(events_of(parse(visitor.get("/events.ics")))) == 1
    weekly_series.unpublish()
    assert events_of(parse(visitor.get("/events.ics"))) == []


def test_the_vtimezone_rule_gives_every_change_of_tzdata_from_1996_to_2037():
    from dateutil.rrule import rrulestr

    from events.ics import berlin_vtimezone

    vtimezone = berlin_vtimezone()
    stated = set()
    for part in vtimezone.subcomponents:
        offset = part["TZOFFSETTO"].td
        before = part["TZOFFSETFROM"].td
        local = part["DTSTART"].dt
        rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=local)
        for moment in rule.between(datetime.datetime(1996, 1, 1), datetime.datetime(2038, 1, 1)):
            stated.add(((moment - before).replace(tzinfo=datetime.UTC), offset))
    actual = set()
    hour = datetime.datetime(1996, 1, 1, tzinfo=datetime.UTC)
    previous = hour.astimezone(BERLIN).utcoffset()
    while hour.year < 2038:
        hour += datetime.timedelta(hours=1)
        offset = hour.astimezone(BERLIN).utcoffset()
        if offset != previous:
            actual.add((hour, offset))
            previous = offset
    assert len(actual) == 84
    assert stated == actual


def test_feeds_carry_no_method_and_no_comment_in_the_vtimezone(visitor, weekly_series):
    body = visitor.get("/events.ics").content.decode()
    assert "METHOD" not in body
    cal = Calendar.from_ical(body)
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert "COMMENT" not in vtimezone
    assert "RDATE" not in vtimezone
    assert sorted(part.name for part in vtimezone.subcomponents) == ["DAYLIGHT", "STANDARD"]
    assert body.index("BEGIN:VTIMEZONE") < body.index("BEGIN:VEVENT")


def test_a_feed_of_all_day_events_only_has_no_time_zone(visitor, listings, event_factory):
    year = next_year()
    event_factory(
        listings["alpha"],
        title="Selbsthilfetag",
        start=at(year, 6, 5, 0),
        end=at(year, 6, 5, 23, 59),
        all_day=True,
    )
    cal = parse(visitor.get("/events.ics"))
    assert cal.walk("VTIMEZONE") == []
    assert len(events_of(cal)) == 1


def test_an_event_in_a_room_has_the_offices_full_address_as_its_location(
    visitor, offices, listings, event_factory
):
    from events.models import LocationKind
    from sites.models import Room

    room = Room.objects.create(office=offices["alpha"], name="Gruppenraum 2", capacity=10)
    event = event_factory(
        listings["alpha"], title="Gesprächskreis", location_kind=LocationKind.ROOM, room=room
    )
    (item,) = events_of(parse(visitor.get(f"/veranstaltungen/{event.slug}/ical/")))
    assert str(item["LOCATION"]) == "Gruppenraum 2, Teststraße 1, 10115 Berlin"
    (item,) = events_of(parse(visitor.get("/events.ics")))
    assert str(item["LOCATION"]) == "Gruppenraum 2, Teststraße 1, 10115 Berlin"
    page = visitor.get(f"/veranstaltungen/{event.slug}/").content.decode()
    when = page[page.index("<dt>Wann</dt>") : page.index("<dt>Wo</dt>")]
    assert f'/veranstaltungen/{event.slug}/ical/"' in when
    listing = visitor.get("/veranstaltungen/").content.decode()
    assert "Gruppenraum 2, Teststraße 1, 10115 Berlin" in listing
