"""How long a shared cache may keep a page: edits purge, but what changes by the clock
("open now", the next events, "today") must end the entry's life in time."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from sites.http_cache import expires_at, shared_seconds
from sites.models import OFFICE_TIME_ZONE
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def berlin(hour, minute, second=0):
    return datetime.datetime(2030, 3, 6, hour, minute, second, tzinfo=OFFICE_TIME_ZONE)


def test_a_shared_page_is_kept_no_longer_than_until_midnight_in_berlin(settings):
    settings.HTTP_CACHE_SECONDS = 3600
    request = RequestFactory().get("/")
    assert shared_seconds(request, now=berlin(23, 59, 30)) == 30
    assert shared_seconds(request, now=berlin(12, 0)) == 3600


def test_a_hint_from_the_page_shortens_the_lifetime_and_the_earliest_hint_wins(settings):
    settings.HTTP_CACHE_SECONDS = 3600
    request = RequestFactory().get("/")
    expires_at(request, berlin(12, 10))
    expires_at(request, berlin(12, 5))
    expires_at(request, berlin(12, 30))
    assert shared_seconds(request, now=berlin(12, 0)) == 300
    assert shared_seconds(request, now=berlin(12, 6)) == 0


def test_the_open_now_state_ends_the_lifetime_at_the_next_opening_or_closing(offices):
    from sites.models import OpeningHours
    from sites.templatetags.office_tags import _open_state_expires

    office = offices["alpha"]
    now = berlin(9, 50)
    OpeningHours.objects.create(
        office=office, weekday=now.weekday(), opens=datetime.time(10), closes=datetime.time(14)
    )
    request = RequestFactory().get("/")
    _open_state_expires(request, office, now)
    assert request._http_cache_expires == berlin(10, 0)
    later = RequestFactory().get("/")
    _open_state_expires(later, office, berlin(11, 0))
    assert later._http_cache_expires == berlin(14, 0)
    evening = RequestFactory().get("/")
    _open_state_expires(evening, office, berlin(15, 0))
    assert not hasattr(evening, "_http_cache_expires")  # midnight bounds it


def test_a_home_page_whose_next_event_ends_soon_is_kept_only_until_it_ends(
    client, offices, settings
):
    from events.models import EventIndexPage
    from tests.events.conftest import make_event

    settings.HTTP_CACHE_SECONDS = 3600
    listing = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
    now = timezone.now()
    make_event(
        listing,
        title="Gesprächskreis läuft gerade",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(minutes=10),
    )
    response = client_for(client).get("/")
    assert "Gesprächskreis läuft gerade" in response.content.decode()
    directives = dict(
        part.strip().split("=") for part in response["Cache-Control"].split(",") if "=" in part
    )
    assert 0 < int(directives["s-maxage"]) <= 600
