"""Fixtures of the events tests: listing pages of the test network and an event factory."""

import datetime

import pytest
from django.core.cache import cache

from events.models import EventIndexPage, EventPage, LocationKind, NetworkCalendarPage
from events.recurrence import localise


@pytest.fixture(autouse=True)
def _clear_cache():
    """The sign-up rate limit lives in the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listings(offices):
    """The German events pages: Alpha's and Beta's index, the state's network calendar."""
    return {
        "alpha": EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get(),
        "beta": EventIndexPage.objects.child_of(offices["beta"].site.root_page).get(),
        "state": NetworkCalendarPage.objects.child_of(offices["state"].site.root_page).get(),
    }


def at(year, month, day, hour=18, minute=0):
    return localise(datetime.datetime(year, month, day, hour, minute))


def next_year():
    from django.utils import timezone

    return timezone.localdate().year + 1


def make_event(listing, *, title="Infoabend", publish=True, cancelled=(), extra=(), **fields):
    """Create an event below ``listing`` (published unless told otherwise)."""
    from events.models import CancelledDate, ExtraDate

    year = next_year()
    fields.setdefault("start", at(year, 3, 2))
    fields.setdefault("end", fields["start"] + datetime.timedelta(hours=2))
    fields.setdefault("location_kind", LocationKind.ADDRESS)
    fields.setdefault("address", "Rathaus\nMarktplatz 1")
    event = EventPage(title=title, live=publish, **fields)
    event.cancelled_dates = [CancelledDate(date=d) for d in cancelled]
    event.extra_dates = [ExtraDate(date=d, time=t) for d, t in extra]
    listing.add_child(instance=event)
    if publish:
        event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


@pytest.fixture
def event_factory():
    return make_event
