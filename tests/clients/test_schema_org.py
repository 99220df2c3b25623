"""The JSON-LD of group and event pages is valid schema.org (checked with Google's
``schema-dts`` types and the TypeScript compiler), and an event carries what a search
engine needs for an event result: a start date, a location, and its image when it has
one. A known-bad document goes along to prove that the check really reports."""

import datetime
import json
import re
import shutil

import pytest
from django.utils import timezone

from tests.clients import schema_org

pytestmark = pytest.mark.django_db

if not shutil.which("node"):
    # Like the Chromium tests: a machine without Node.js has no compiler to run.
    pytest.skip("the schema.org check needs Node.js", allow_module_level=True)


def json_ld(client, url, host="alpha.localhost"):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1, url
    return json.loads(found[0])


def test_group_and_event_json_ld_is_valid_schema_org(client, offices):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from directory.models import Format, SelfHelpGroup
    from events.models import EventIndexPage, EventPage, Frequency, LocationKind

    assert schema_org.available() == ""
    alpha = offices["alpha"]
    groups = {}
    for name, fields in {
        "vor-ort": {"street": "Teststraße 1", "postcode": "10115", "city": "Berlin"},
        "online": {"format": Format.ONLINE},
    }.items():
        group = SelfHelpGroup(
            name=f"Gruppe {name}",
            office=alpha,
            description="Wir treffen uns.",
            weekday=2,
            starts_at=datetime.time(19),
            public_contact_name="Frau A.",
            public_contact_consent_date=timezone.localdate(),
            website="https://gruppe.example.org/",
            **fields,
        )
        group.save()
        groups[name] = f"/gruppen/{group.pk}-{group.slug}/"

    index = EventIndexPage.objects.child_of(alpha.site.root_page).get()
    image = Image.objects.create(title="Raum", file=get_test_image_file())
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=7)
    events = {}
    for name, fields in {
        "adresse": {"location_kind": LocationKind.ADDRESS, "address": "Rathaus", "image": image},
        "online": {"location_kind": LocationKind.ONLINE, "online_url": "https://meet.example"},
        "reihe": {
            "location_kind": LocationKind.ADDRESS,
            "address": "Rathaus",
            "frequency": Frequency.WEEKLY,
            "repeat_count": 5,
            "registration_enabled": True,
            "capacity": 10,
        },
    }.items():
        event = EventPage(
            title=f"Termin {name}",
            slug=f"termin-{name}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            **fields,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        events[name] = f"/veranstaltungen/termin-{name}/"

    documents = {f"group-{k}": json_ld(client, url) for k, url in groups.items()}
    documents.update({f"event-{k}": json_ld(client, url) for k, url in events.items()})
    documents["known-bad"] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "startDate": "2026-01-01",
    }

    errors = schema_org.check(documents)

    assert [name for name, _message in errors] == ["known-bad"]
    for name, doc in documents.items():
        if name.startswith("event-"):
            assert doc["startDate"] and doc["location"], name
    assert "event" not in documents["group-online"]
    assert documents["group-vor-ort"]["location"]["address"]["postalCode"] == "10115"
    assert len(documents["event-adresse"]["image"]) == 3
    assert "image" not in documents["event-online"]
