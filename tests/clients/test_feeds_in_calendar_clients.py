"""Real calendar clients read our feeds to the same dates and times as the site lists.

Every feed of the test network (each office's ``/events.ics``, the network calendar and
each event's own file) with events that use every recurrence feature across both
daylight-saving changes is read by ical.js (Thunderbird), libical (Evolution) and
recurring-ical-events; their occurrences over 12 months must equal the site's own
``Occurrence`` listing, and libical's validator must find nothing. A client that is not
installed here is skipped with the reason (``python3 dev.py test`` installs them).
"""

import pytest

from tests.clients import clients
from tests.clients.feeds import add_feature_events, collect, judge, window

pytestmark = pytest.mark.django_db

MISSING = clients.missing()


@pytest.fixture
def network_feeds(offices, tmp_path):
    from events.models import EventIndexPage, NetworkCalendarPage

    add_feature_events(EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get())
    add_feature_events(NetworkCalendarPage.objects.child_of(offices["state"].site.root_page).get())
    lo, hi = window()
    return collect(tmp_path, lo, hi), lo, hi


@pytest.mark.parametrize("tool", clients.TOOLS)
def test_a_calendar_client_reads_every_feed_to_the_dates_the_site_lists(tool, network_feeds):
    if tool in MISSING:
        pytest.skip(MISSING[tool])
    files, lo, hi = network_feeds
    (verdict,) = judge(files, lo, hi, tools=[tool])
    assert verdict.files == len(files) > 10
    assert verdict.compared > 200
    assert verdict.errors == []
    assert verdict.mismatches == []


@pytest.mark.skipif(clients.ICALJS in MISSING, reason=MISSING.get(clients.ICALJS, ""))
def test_the_check_notices_the_transition_list_vtimezone_that_icaljs_misreads(network_feeds):
    """The harness can fail: the same feeds with the VTIMEZONE that ``icalendar``'s
    ``add_missing_timezones()`` writes (all transitions in one RDATE) are read an hour
    off by ical.js after the spring change, as Thunderbird showed them."""
    from icalendar import Calendar

    files, lo, hi = network_feeds
    for file in files:
        cal = Calendar.from_ical(file.path.read_bytes())
        if not cal.walk("VTIMEZONE"):
            continue
        cal.subcomponents = [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
        cal.add_missing_timezones()
        file.path.write_bytes(cal.to_ical())
    (verdict,) = judge(files, lo, hi, tools=[clients.ICALJS])
    assert verdict.compared > 200
    assert len(verdict.mismatches) > 50


OLD_STYLE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Test//DE
{method}BEGIN:VTIMEZONE
TZID:Europe/Berlin
{comment}BEGIN:STANDARD
DTSTART:19961027T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19960331T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:event-1@alpha.localhost
DTSTAMP:20261129T100000Z
SUMMARY:Infoabend
DTSTART;TZID=Europe/Berlin:20270316T180000
DTEND;TZID=Europe/Berlin:20270316T200000
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.skipif(clients.LIBICAL in MISSING, reason=MISSING.get(clients.LIBICAL, ""))
@pytest.mark.parametrize(
    ("method", "comment", "complaint"),
    [
        ("", "", None),
        ("METHOD:PUBLISH\n", "", "ORGANIZER"),
        ("", "COMMENT:This timezone only works from 1970 to 2038.\n", "COMMENT"),
    ],
)
def test_libicals_validator_rejects_what_the_old_feeds_had(tmp_path, method, comment, complaint):
    """The validator half of the libical client can fail: METHOD:PUBLISH without an
    ORGANIZER (RFC 5546) and a COMMENT directly inside VTIMEZONE are errors."""
    import datetime

    path = tmp_path / "old.ics"
    path.write_text(OLD_STYLE.format(method=method, comment=comment).replace("\n", "\r\n"))
    lo = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    (read,) = clients.read(clients.LIBICAL, [path], lo, lo + datetime.timedelta(days=365))["files"]
    assert read["occurrences"] == [
        ["event-1@alpha.localhost", "2027-03-16T17:00:00Z", "2027-03-16T19:00:00Z"]
    ]
    if complaint is None:
        assert read["errors"] == []
    else:
        assert len(read["errors"]) == 1 and complaint in read["errors"][0]
