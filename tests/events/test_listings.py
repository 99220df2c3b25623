"""Public listings: upcoming list with filters, month calendar, archive, network calendar."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventCategory, Frequency, Occurrence
from events.queries import upcoming_for_site
from events.recurrence import localise

from .conftest import at, next_year

pytestmark = pytest.mark.django_db


def soon(days, hour=18):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return localise(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_upcoming_list_shows_future_dates_in_order_and_not_past_ones(
    visitor, listings, event_factory
):
    event_factory(listings["alpha"], title="Später", start=soon(20), end=soon(20, 20))
    event_factory(listings["alpha"], title="Bald", start=soon(3), end=soon(3, 20))
    event_factory(listings["alpha"], title="Vorbei", start=soon(-3), end=soon(-3, 20))
    html = visitor.get("/veranstaltungen/").content.decode()
    assert html.index("Bald") < html.index("Später")
    assert "Vorbei" not in html
    archive = visitor.get("/veranstaltungen/archiv/").content.decode()
    assert "Vorbei" in archive and "Bald" not in archive


def test_the_category_and_month_filters_narrow_the_list(visitor, listings, event_factory):
    year = next_year()
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
    html = visitor.get("/veranstaltungen/", {"kategorie": "fortbildung"}).content.decode()
    assert "Fortbildung Moderation" in html and "Infoabend Sucht" not in html
    html = visitor.get("/veranstaltungen/", {"monat": f"{year}-06"}).content.decode()
    assert "Infoabend Sucht" in html and "Fortbildung Moderation" not in html
    # The filters stay in the query string of the pagination and month links.
    assert 'value="infoabend"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"monat": "2026-13"}, "Diesen Monat gibt es nicht."),
        ({"monat": "mai"}, "im Format JJJJ-MM"),
        ({"kategorie": "<script>"}, "Diese Kategorie gibt es nicht."),
        ({"seite": "abc"}, "Die Seitenzahl ist ungültig."),
        ({"seite": "999"}, "Diese Seite gibt es nicht."),
    ],
)
def test_bad_filter_values_get_a_clear_message_not_a_server_error(
    visitor, listings, event_factory, query, message
):
    event_factory(listings["alpha"], title="Infoabend", start=soon(5), end=soon(5, 20))
    paths = ["/veranstaltungen/", "/veranstaltungen/archiv/"]
    if query.get("seite") != "999":  # the calendar has no pages to run out of
        paths.append("/veranstaltungen/kalender/")
    for path in paths:
        response = visitor.get(path, query)
        assert response.status_code == 400, path
        html = response.content.decode()
        assert message in html
        assert "<script>" not in html.split("<body", 1)[1] or "&lt;script&gt;" in html


def test_the_month_calendar_is_a_table_with_caption_and_column_headers(
    visitor, listings, event_factory
):
    year = next_year()
    event_factory(
        listings["alpha"],
        title="Wochentreffen",
        start=at(year, 3, 2),
        end=at(year, 3, 2, 20),
        frequency=Frequency.WEEKLY,
        repeat_count=6,
        cancelled=[datetime.date(year, 3, 16)],
    )
    response = visitor.get("/veranstaltungen/kalender/", {"monat": f"{year}-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<caption id="calendar-caption">Veranstaltungen im März' in html
    assert html.count('<th scope="col">') == 7
    assert html.count(">Wochentreffen</a>") == 5  # 2, 9, 16 (cancelled), 23, 30 March
    assert "fällt aus" in html
    assert f"monat={year}-04" in html and f"monat={year}-02" in html


def test_pagination_splits_long_lists(visitor, listings, event_factory):
    event_factory(
        listings["alpha"],
        title="Wöchentlich",
        start=soon(1),
        end=soon(1, 20),
        frequency=Frequency.WEEKLY,
        repeat_count=25,
    )
    first = visitor.get("/veranstaltungen/").content.decode()
    assert "Seite 1 von 2" in first and "?seite=2" in first
    second = visitor.get("/veranstaltungen/", {"seite": 2})
    assert second.status_code == 200 and "Seite 2 von 2" in second.content.decode()


def test_the_coordination_calendar_lists_both_offices_and_filters_by_office(
    client, offices, listings, event_factory
):
    event_factory(listings["alpha"], title="Alpha-Infoabend", start=soon(4), end=soon(4, 20))
    event_factory(listings["beta"], title="Beta-Vortrag", start=soon(6), end=soon(6, 20))
    client.defaults["HTTP_HOST"] = "land.localhost"
    html = client.get("/veranstaltungen/").content.decode()
    assert "Alpha-Infoabend" in html and "Beta-Vortrag" in html
    # Each item links to the event on its own office's site.
    assert 'href="http://alpha.localhost/veranstaltungen/alpha-infoabend/"' in html
    assert 'href="http://beta.localhost/veranstaltungen/beta-vortrag/"' in html
    filtered = client.get("/veranstaltungen/", {"kontaktstelle": offices["beta"].pk})
    text = filtered.content.decode()
    assert "Beta-Vortrag" in text and "Alpha-Infoabend" not in text
    calendar = client.get(
        "/veranstaltungen/kalender/",
        {"kontaktstelle": offices["alpha"].pk, "monat": soon(4).strftime("%Y-%m")},
    ).content.decode()
    assert "Alpha-Infoabend" in calendar and "Beta-Vortrag" not in calendar
    # Calendar cells also link to the event on its office's site, naming the office.
    assert 'href="http://alpha.localhost/veranstaltungen/alpha-infoabend/"' in calendar
    assert "(KS Alpha)" in calendar
    bad = client.get("/veranstaltungen/", {"kontaktstelle": "999999"})
    assert bad.status_code == 400
    assert "Diese Kontaktstelle gibt es nicht." in bad.content.decode()


def test_an_office_index_lists_only_its_own_events(visitor, listings, event_factory):
    event_factory(listings["alpha"], title="Alpha-Infoabend", start=soon(4), end=soon(4, 20))
    event_factory(listings["beta"], title="Beta-Vortrag", start=soon(6), end=soon(6, 20))
    html = visitor.get("/veranstaltungen/").content.decode()
    assert "Alpha-Infoabend" in html and "Beta-Vortrag" not in html


def test_unpublishing_removes_the_dates(visitor, listings, event_factory):
    event = event_factory(listings["alpha"], title="Wird abgesagt", start=soon(4), end=soon(4, 20))
    assert Occurrence.objects.filter(event=event).count() == 1
    event.unpublish()
    assert not Occurrence.objects.filter(event=event).exists()
    assert "Wird abgesagt" not in visitor.get("/veranstaltungen/").content.decode()


def test_occurrences_are_stored_only_within_the_horizon(listings, event_factory):
    event = event_factory(
        listings["alpha"],
        title="Endlos",
        start=soon(1),
        end=soon(1, 20),
        frequency=Frequency.WEEKLY,
    )
    dates = Occurrence.objects.filter(event=event)
    assert 75 <= dates.count() <= 80  # about 18 months of weeks, not "forever"


def test_upcoming_for_site_gives_the_next_dates_of_the_site_in_one_query(
    offices, listings, event_factory, django_assert_num_queries
):
    event_factory(listings["alpha"], title="A1", start=soon(2), end=soon(2, 20))
    event_factory(listings["alpha"], title="A2", start=soon(3), end=soon(3, 20))
    event_factory(listings["beta"], title="B1", start=soon(1), end=soon(1, 20))
    upcoming_for_site(offices["alpha"].site, 5)  # fills the cached locale map
    # The home page knows its events page's URL from the site chrome: one query.
    known = {listings["alpha"].path: "/veranstaltungen/"}
    with django_assert_num_queries(1):
        alpha = upcoming_for_site(offices["alpha"].site, 5, known=known)
        titles = [o.title for o in alpha]
    assert titles == ["A1", "A2"]
    assert alpha[0].url == "/veranstaltungen/a1/"
    # Without it, the events pages' URLs (here: of every office) come from the listing
    # pages kept until the next save, filled by the first call above: still one query.
    with django_assert_num_queries(1):
        network = upcoming_for_site(offices["state"].site, 5)
    assert [o.title for o in network] == ["B1", "A1", "A2"]
    assert network[0].url == "http://beta.localhost/veranstaltungen/b1/"


def test_the_event_page_shows_details_and_schema_org_json_ld(visitor, listings, event_factory):
    import json
    import re

    event = event_factory(
        listings["alpha"],
        title="Vortrag Achtsamkeit",
        start=soon(9),
        end=soon(9, 20),
        audience="Betroffene",
        cost="5 Euro",
        accessibility="Stufenloser Zugang",
    )
    html = visitor.get(f"/veranstaltungen/{event.slug}/").content.decode()
    assert "Betroffene" in html and "5 Euro" in html and "Stufenloser Zugang" in html
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(payload.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Vortrag Achtsamkeit"
    assert data["startDate"] == timezone.localtime(soon(9)).isoformat()
    assert data["location"]["@type"] == "Place"
    assert "image" not in data


def test_an_event_with_an_image_shows_it_and_names_it_in_json_ld(visitor, listings, event_factory):
    import json
    import re

    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(
        title="Stuhlkreis", description="Ein Stuhlkreis", file=get_test_image_file()
    )
    event = event_factory(listings["alpha"], title="Mit Bild", start=soon(9), end=soon(9, 20))
    event.image = image
    event.save_revision().publish()
    html = visitor.get(f"/veranstaltungen/{event.slug}/").content.decode()
    assert re.search(r'<figure class="event-image"><img alt="Ein Stuhlkreis"', html)
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(payload.group(1))
    assert len(data["image"]) == 3
    for url in data["image"]:
        assert url.startswith("http://alpha.localhost/") and "1200" in url


def test_a_translated_event_keeps_its_times_and_lists_in_its_own_language(listings, event_factory):
    from wagtail.models import Locale
    from wagtail_localize.fields import TranslatableField, get_translatable_fields
    from wagtail_localize.operations import translate_object

    from events.models import EventPage

    event = event_factory(listings["alpha"], title="Infoabend", start=soon(8), end=soon(8, 20))
    english_locale = Locale.objects.get(language_code="en")
    translate_object(event, [english_locale])
    english = event.get_translation(english_locale).specific
    english.save_revision().publish()  # the editor publishes the translation
    assert english.start == event.start and english.category == event.category
    assert Occurrence.objects.filter(event=english, locale=english_locale).count() == 1
    translatable = {
        f.field_name for f in get_translatable_fields(EventPage) if isinstance(f, TranslatableField)
    }
    assert {"title", "description", "audience", "cost", "accessibility"} <= translatable
    assert not {"start", "category", "address", "online_url", "frequency"} & translatable


def test_a_busy_calendar_day_links_to_the_list_of_that_day(visitor, listings, event_factory):
    from events.listing import PER_DAY

    day = soon(12)
    for n in range(PER_DAY + 2):
        event_factory(
            listings["alpha"],
            title=f"Termin {n}",
            start=day + datetime.timedelta(minutes=n),
            end=day + datetime.timedelta(hours=1),
        )
    html = visitor.get(
        "/veranstaltungen/kalender/", {"monat": day.strftime("%Y-%m")}
    ).content.decode()
    assert "und 2 weitere Termine" in html
    link = f'href="/veranstaltungen/?tag={day.strftime("%Y-%m-%d")}"'
    assert link in html
    listing = visitor.get("/veranstaltungen/", {"tag": day.strftime("%Y-%m-%d")})
    assert listing.content.decode().count('class="event-item') == PER_DAY + 2
    bad = visitor.get("/veranstaltungen/", {"tag": "morgen"})
    assert bad.status_code == 400 and "JJJJ-MM-TT" in bad.content.decode()


def test_an_english_visitor_sees_untranslated_events_in_german_marked_as_german(
    visitor, listings, event_factory
):
    event_factory(listings["alpha"], title="Infoabend Sucht", start=soon(2), end=soon(2, 20))
    html = visitor.get("/en/veranstaltungen/").content.decode()
    assert 'href="/veranstaltungen/infoabend-sucht/" lang="de">Infoabend Sucht</a>' in html
    # ... and on the English home page's teaser, and in the English feed.
    assert "Infoabend Sucht" in visitor.get("/en/").content.decode()
    assert b"Infoabend Sucht" in visitor.get("/en/veranstaltungen/ical/").content


def test_a_translated_event_is_listed_once_in_english_and_without_the_german_mark(
    visitor, listings, event_factory
):
    from wagtail.models import Locale

    event = event_factory(
        listings["alpha"], title="Infoabend Sucht", start=soon(2), end=soon(2, 20)
    )
    english = event.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Information evening on addiction"
    english.save_revision().publish()
    html = visitor.get("/en/veranstaltungen/").content.decode()
    assert "Information evening on addiction</a>" in html
    assert "Infoabend Sucht" not in html
    assert '" lang="de">' not in html.split('class="event-list"')[1]
    # The German listing keeps the German event.
    assert "Infoabend Sucht" in visitor.get("/veranstaltungen/").content.decode()


def test_the_state_home_shows_a_recurring_event_once_and_names_each_events_office(
    offices, listings, event_factory, client
):
    event_factory(
        listings["alpha"],
        title="Wöchentliches Treffen",
        start=soon(1),
        end=soon(1, 20),
        frequency=Frequency.WEEKLY,
    )
    event_factory(listings["beta"], title="Infoabend Beta", start=soon(9), end=soon(9, 20))
    network = upcoming_for_site(offices["state"].site, 3)
    assert [o.title for o in network] == ["Wöchentliches Treffen", "Infoabend Beta"]
    assert network[0].start == soon(1)
    html = client.get("/", HTTP_HOST="land.localhost").content.decode()
    teaser = html[html.index('id="events-teaser-heading"') :]
    assert teaser.count("Wöchentliches Treffen") == 1
    assert "<span>KS Alpha</span>" in teaser and "<span>KS Beta</span>" in teaser
    # An office's own home page needs no office name on its events.
    own = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert "<span>KS Alpha</span>" not in own[own.index('id="events-teaser-heading"') :]


def test_the_listings_query_counts_do_not_grow_with_the_number_of_events(
    client, offices, listings, event_factory
):
    """Events list, month calendar and the network calendar's month cost the same
    number of queries with one event per office as with four recurring ones each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.models import Frequency

    month = soon(1).strftime("%Y-%m")
    pages = [
        ("alpha.localhost", "/veranstaltungen/"),
        ("alpha.localhost", "/veranstaltungen/kalender/"),
        ("land.localhost", f"/veranstaltungen/kalender/?monat={month}"),
        ("land.localhost", "/veranstaltungen/"),
    ]

    def counts():
        result = []
        for host, path in pages:
            assert client.get(path, HTTP_HOST=host).status_code == 200  # warm
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path, HTTP_HOST=host).status_code == 200
            result.append(len(queries))
        return result

    event_factory(listings["alpha"], title="Erster", start=soon(1), end=soon(1, 20))
    small = counts()
    for name in ("alpha", "beta"):
        for n in range(4):
            event_factory(
                listings[name],
                title=f"Treffen {name} {n}",
                start=soon(n + 1),
                end=soon(n + 1, 20),
                frequency=Frequency.WEEKLY,
            )
    assert counts() == small
    assert max(small) <= 3
