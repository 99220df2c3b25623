"""Every public page type passes the Nu HTML Checker (vnu.jar) with no error.

The pages are rendered by the Django test client on the test network, with a content
page of every block type, an event with registration, and a group; the forms are also
rendered after a bad submission (with their error messages). All documents go to one run
of vnu.jar. One known-bad document goes along to prove that the checker really reports.
"""

import datetime
import shutil

import pytest
from django.utils import timezone

from tests.clients import nu

pytestmark = pytest.mark.django_db

if not nu.java() or not (nu.VNU_JAR.exists() or shutil.which("npm")):
    # Like the Chromium tests: a machine without Java or Node has no client to run.
    pytest.skip(
        "the Nu HTML Checker needs Java and vnu.jar (npm ci in tests/clients/web)",
        allow_module_level=True,
    )

#: A document with exactly one error the checker must find (an empty form action).
KNOWN_BAD = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>x</title></head>'
    '<body><form action=""><button>Senden</button></form></body></html>'
)


def _content_page(office):
    from home.models import StandardPage

    home = office.site.root_page
    body = [
        ("heading", "Was wir für Sie tun"),
        ("paragraph", "<p>Wir beraten Sie <b>kostenlos</b> und vertraulich.</p>"),
        (
            "faq",
            {
                "heading": "Häufige Fragen",
                "items": [{"question": "Kostet es etwas?", "answer": "<p>Nein.</p>"}],
            },
        ),
        ("quote", {"quote": "Hier hört mir jemand zu.", "attribution": "Eine Teilnehmerin"}),
        (
            "call_to_action",
            {"title": "Neue Gruppe?", "text": "Wir helfen.", "button_text": "Schreiben Sie uns"},
        ),
        ("contact_box", {"heading": "So erreichen Sie uns", "show_hours": True}),
    ]
    page = home.add_child(
        instance=StandardPage(
            title="Unser Angebot", slug="angebot", intro="Was wir tun.", body=body
        )
    )
    page.save_revision().publish()
    return page


def _event(office):
    from events.models import EventIndexPage, EventPage, LocationKind

    index = EventIndexPage.objects.child_of(office.site.root_page).get()
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=10)
    event = EventPage(
        title="Infoabend Selbsthilfe",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location_kind=LocationKind.ADDRESS,
        address="Rathaus\nMarktplatz 1\n10115 Berlin",
        description="<p>Wie arbeiten Selbsthilfegruppen?</p>",
        registration_enabled=True,
        capacity=10,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def _group(office):
    from directory.models import SelfHelpGroup, Topic

    topic = Topic.objects.create(name="Angst", slug="angst-nu")
    group = SelfHelpGroup(
        name="Angst gemeinsam überwinden",
        office=office,
        description="Wir treffen uns jede Woche.\n\nNeue sind willkommen.",
        weekday=1,
        starts_at=datetime.time(19, 0),
        ends_at=datetime.time(21, 0),
        district="Mitte",
        street="Teststraße 1",
        postcode="10115",
        city="Berlin",
        languages="de en",
    )
    group.save()
    group.topics.set([topic])
    group.save()
    return group


def _newsletter_page(office):
    from newsletter.models import NewsletterPage

    page = NewsletterPage(title="Newsletter", slug="newsletter")
    office.site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def _widget(office, topic):
    from directory.models import PartnerWidget

    widget = PartnerWidget.objects.create(office=office, name="Praxis Nu")
    widget.topics.set([topic])
    return widget


def test_every_public_page_type_has_no_html_error(client, offices, tmp_path):
    from events.models import Occurrence

    alpha, state = offices["alpha"], offices["state"]
    content = _content_page(alpha)
    newsletter = _newsletter_page(alpha)
    event = _event(alpha)
    group = _group(alpha)
    occurrence = Occurrence.objects.filter(event=event).order_by("start").first()
    register = f"{event.url}anmeldung/{occurrence.token}/"
    group_url = f"/gruppen/{group.pk}-{group.slug}/"
    from directory.confirmation import make_token, request_confirmation

    group.internal_email = "gruppe@example.org"
    confirm_url = f"/gruppe/eintrag-pruefen/{make_token(request_confirmation(group))}/"
    widget = _widget(alpha, group.topics.get())

    requests = [
        ("home", "get", "/", 200),
        ("home-en", "get", "/en/", 200),
        ("content", "get", content.url, 200),
        ("impressum", "get", "/impressum/", 200),
        ("events", "get", "/veranstaltungen/", 200),
        ("calendar", "get", "/veranstaltungen/kalender/", 200),
        ("archive", "get", "/veranstaltungen/archiv/", 200),
        ("events-filtered", "get", "/veranstaltungen/?kategorie=infoabend", 200),
        ("calendar-bad-month", "get", "/veranstaltungen/kalender/?monat=2026-13", 400),
        ("event", "get", event.url, 200),
        ("registration", "get", register, 200),
        ("registration-errors", "post", register, 400),
        ("directory", "get", "/gruppen/", 200),
        ("directory-search", "get", "/gruppen/?q=Angst&format=in_person&evening=on", 200),
        ("directory-bad-filters", "get", "/gruppen/?weekday=9&topic=%3Cx%3E", 200),
        ("group", "get", group_url, 200),
        ("group-contact-errors", "post", group_url, 400),
        ("group-confirmation", "get", confirm_url, 200),
        ("group-confirmation-form", "get", confirm_url + "?aendern=1", 200),
        ("group-confirmation-no-choice", "post", confirm_url, 400),
        ("group-confirmation-bad-link", "get", "/gruppe/eintrag-pruefen/x/", 404),
        ("contact", "get", "/kontakt/", 200),
        ("contact-errors", "post", "/kontakt/", 200),
        ("founding", "get", "/gruppe-gruenden/", 200),
        ("newsletter", "get", newsletter.url, 200),
        ("not-found", "get", "/gibt-es-nicht/", 404),
        ("network-calendar", "get", "/veranstaltungen/kalender/", 200, state),
        ("partner-widget", "get", f"/widget/{widget.key}/", 200),
        ("partner-widget-en", "get", f"/widget/{widget.key}/?sprache=en", 200),
    ]
    files = {}
    for kind, method, url, status, *office in requests:
        host = (office[0] if office else alpha).site.hostname
        response = getattr(client, method)(url, HTTP_HOST=host)
        assert response.status_code == status, (kind, url, response.status_code)
        path = tmp_path / f"{kind}.html"
        path.write_bytes(response.content)
        files[kind] = str(path.resolve())
    bad = tmp_path / "known-bad.html"
    bad.write_text(KNOWN_BAD)

    found = nu.errors([*files.values(), bad])

    on_bad = [m for m in found if m["file"] == str(bad.resolve())]
    assert len(on_bad) == 1 and "action" in on_bad[0]["message"]
    on_pages = [nu.describe(m) for m in found if m["file"] != str(bad.resolve())]
    assert on_pages == []
