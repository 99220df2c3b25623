"""A live server, demo content and a headless Chromium for the browser tests.

Why not pytest-django's ``live_server`` fixture: it forces ``transactional_db``, whose
teardown empties every table, so the network that ``tests/conftest.py`` provisions once
per session would be gone for every test that runs afterwards. We start the same server
class (``pytest_django.live_server_helper.LiveServer``) ourselves for this module and keep
the database: on SQLite the server thread shares the in-memory connection, on PostgreSQL
it reads the committed session data. The few extra pages, images and hours the tests need
are committed here and removed again at the end.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
#: The marks of a journey in which the live server writes (sessions, revisions, workflow
#: states, sends ...). The SQLite test database is one in-memory database in shared-cache
#: mode, whose table locks refuse those writes while the test thread holds its
#: transaction open; PostgreSQL (the second CI pass) runs these journeys.
WRITING_JOURNEY = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="the live server cannot write to in-memory SQLite"
    ),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # Every office hostname resolves to the live server on this machine.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]


def _all_blocks_body(image, document, contact_page):
    from home.blocks import BodyBlock

    body = BodyBlock()
    raw = [
        ("heading", "Was wir für Sie tun"),
        (
            "paragraph",
            "<p>Wir beraten Sie <b>kostenlos</b> und vertraulich. Eine Übersicht finden Sie "
            'in unserem <a href="/impressum/">Impressum</a>.</p>',
        ),
        (
            "image",
            {
                "image": image.pk,
                "alt": "Ein heller Gruppenraum mit Stuhlkreis",
                "caption": "Unser großer Gruppenraum",
            },
        ),
        (
            "downloads",
            {
                "heading": "Zum Herunterladen",
                "documents": [{"document": document.pk, "label": "Flyer (PDF)"}],
            },
        ),
        (
            "faq",
            {
                "heading": "Häufige Fragen",
                "items": [
                    {
                        "question": "Kostet die Teilnahme etwas?",
                        "answer": "<p>Nein, sie ist kostenlos.</p>",
                    },
                    {"question": "Muss ich meinen Namen nennen?", "answer": "<p>Nein.</p>"},
                ],
            },
        ),
        (
            "call_to_action",
            {
                "title": "Keine passende Gruppe gefunden?",
                "text": "Wir helfen Ihnen, eine neue Gruppe zu gründen.",
                "button_text": "Schreiben Sie uns",
                "page": contact_page.pk,
                "url": "",
            },
        ),
        (
            "quote",
            {
                "quote": "In der Gruppe habe ich gemerkt, dass ich nicht allein bin.",
                "attribution": "Teilnehmerin einer Angehörigengruppe",
            },
        ),
        ("contact_box", {"heading": "So erreichen Sie uns", "show_hours": True}),
    ]
    return [(kind, body.child_blocks[kind].to_python(value)) for kind, value in raw]


@pytest.fixture(scope="module")
def browser_site(django_db_setup, django_db_blocker):
    """Live server plus committed content for offices Alpha and Beta; yields the port and
    what the tests need to know about each office."""
    from django.core.files.base import ContentFile
    from pytest_django.live_server_helper import LiveServer
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Page

    from home.models import StandardPage
    from sites.models import ConsultationHours, Office, OpeningHours

    with django_db_blocker.unblock():
        created_pages, created_hours = [], []
        image = Image.objects.create(
            title="Gruppenraum", file=get_test_image_file(colour="steelblue", size=(800, 500))
        )
        document = Document(title="Flyer")
        document.file.save("flyer.pdf", ContentFile(b"%PDF-1.4 flyer"), save=False)
        document.save()
        offices = {}
        colours = {}
        for key, colour in (("alpha", None), ("beta", "#6a1b4d")):
            office = Office.objects.select_related("site__root_page").get(
                site__hostname=f"{key}.localhost"
            )
            colours[key] = office.brand_colour
            if colour:
                office.brand_colour = colour
                office.save()
            for weekday in range(5):
                created_hours.append(
                    OpeningHours.objects.create(
                        office=office,
                        weekday=weekday,
                        opens=datetime.time(10),
                        closes=datetime.time(16),
                        sort_order=weekday,
                    )
                )
            created_hours.append(
                ConsultationHours.objects.create(
                    office=office,
                    weekday=1,
                    opens=datetime.time(17),
                    closes=datetime.time(19),
                    note="Abendsprechstunde",
                )
            )
            home = office.site.root_page
            contact = Page.objects.child_of(home).get(slug="kontakt")
            page = StandardPage(
                title="Unsere Angebote",
                slug="angebote",
                show_in_menus=True,
                intro="Beratung, Räume und Begleitung für Selbsthilfegruppen.",
                body=_all_blocks_body(image, document, contact),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            created_pages.append(page)
            offices[key] = {"name": office.name, "hostname": f"{key}.localhost"}

        # A free port unless the machine assigns one (BROWSER_TEST_PORT, e.g. on a host
        # shared by several test runs that each own a port range).
        server = LiveServer(f"127.0.0.1:{os.environ.get('BROWSER_TEST_PORT', '0')}")
        try:
            yield {"port": server.thread.port, "offices": offices}
        finally:
            server.stop()
            for page in created_pages:
                Page.objects.get(pk=page.pk).delete()
            for hours in created_hours:
                hours.delete()
            for key, colour in colours.items():
                Office.objects.filter(site__hostname=f"{key}.localhost").update(brand_colour=colour)
            image.delete()
            document.delete()


@pytest.fixture(scope="module")
def chromium(browser_site):
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    # Playwright's sync API keeps an asyncio loop registered on the main thread, so Django
    # takes the test's own (synchronous) transaction handling for async code and refuses
    # it. Playwright's documentation for Django recommends this switch; it is set only
    # while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def log_in(chromium, site, username, host="alpha.localhost", password=None):
    """A fresh browser context logged in through the admin's login form as ``username``
    on ``host``; returns the context, its page and the base URL of that host."""
    from tests.conftest import PASSWORD

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = f"http://{host}:{site['port']}"
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return context, page, base


def visitor(chromium, site, host="alpha.localhost", width=1280):
    """A fresh browser context without a login; returns it, its page and the base URL."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    return context, context.new_page(), f"http://{host}:{site['port']}"


def more_actions(page):
    """Open the footer's "more actions" menu of Wagtail's editor."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
