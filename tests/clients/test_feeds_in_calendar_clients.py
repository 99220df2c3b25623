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
