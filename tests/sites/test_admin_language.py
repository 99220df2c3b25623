"""The admin speaks German (or English) and tells the time in Berlin, everywhere.

A crawl follows every admin link an office editor and the coordinator can reach (menu,
listings, inspect, edit and history views, reports and their exports) and reads each page as
a person would; no page may show Python's ``None``/``True``/``False``, a time in UTC or
Wagtail's "Locale". Then one test per case that was wrong: the time of a contact request,
the exports, the boolean column, the filters, the help text's menu, and the dashboard, which
shows the user's own office and nothing of another.
"""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from sites.tenancy import pages_of_site
from tests.conftest import client_for
from tests.sites.admin_crawl import crawl, findings, parse

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


# --- Data the crawl should meet ---------------------------------------------------------


def _group(office, **fields):
    from directory.models import SelfHelpGroup

    values = {
        "name": f"Gesprächskreis {office.short_name}",
        "office": office,
        "district": "Mitte",
        "city": "Berlin",
        "step_free_access": True,
        "accessible_wc": False,
        "last_verified": timezone.localdate(),
    }
    values.update(fields)
    group = SelfHelpGroup(**values)
    group.save()
    return group


def _contact_request(office, group=None, *, forwarded=False, received=None, name="Anna"):
    from directory.models import ContactRequest

    request = ContactRequest.objects.create(
        group=group,
        group_name=group.name if group else "Gelöschte Gruppe",
        office=office,
        name=name,
        email="anna@example.org",
        message="Ich würde gern einmal vorbeikommen.",
        consent_at=timezone.now(),
        forwarded_to_group=forwarded,
    )
    if received is not None:
        ContactRequest.objects.filter(pk=request.pk).update(
            created_at=received, consent_at=received
        )
        request.refresh_from_db()
    return request


def _event(office, title="Infoabend"):
    from events.models import EventIndexPage, NetworkCalendarPage
    from tests.events.conftest import make_event

    model = NetworkCalendarPage if office.is_state else EventIndexPage
    listing = model.objects.child_of(office.site.root_page).get()
    return make_event(listing, title=f"{title} {office.short_name}")


def _registration(office, event, *, status="confirmed", start=None):
    from events.models import Registration

    return Registration.objects.create(
        office=office,
        event=event,
        event_key=event.translation_key,
        occurrence_start=start or event.start,
        name="Carla",
        email="carla@example.org",
        consent_at=timezone.now(),
        status=status,
    )


def _mailing_list(office):
    from newsletter.models import (
        ConsentText,
        MailingList,
        Subscriber,
        Subscription,
        SubscriptionStatus,
    )

    mailing_list = MailingList.objects.create(office=office, name=f"Rundbrief {office.short_name}")
    subscriber = Subscriber.objects.create(email=f"leser-{office.pk}@example.org")
    subscription = Subscription(
        subscriber=subscriber, mailing_list=mailing_list, status=SubscriptionStatus.CONFIRMED
    )
    subscription.record_consent(ConsentText.current(), office.site, "https://example.org/")
    subscription.confirmed_at = timezone.now()
    subscription.save()
    subscription.log("requested")
    subscription.log("confirmed")
    return mailing_list


@pytest.fixture
def admin_data(offices):
    """For Alpha and the state office: a group with empty optional fields, a contact request
    whose group was deleted (and was forwarded), an event with a registration, a list with
    a subscriber."""
    data = {}
    for key in ("alpha", "state"):
        office = offices[key]
        group = _group(office, nth_of_month=None, public_contact_consent_date=None)
        event = _event(office)
        data[key] = {
            "group": group,
            "request": _contact_request(office, None, forwarded=True),
            "request_with_group": _contact_request(office, group),
            "event": event,
            "registration": _registration(office, event),
            "list": _mailing_list(office),
        }
    return data


def _start_urls(objects):
    """Where the crawl starts besides the dashboard: the records made above, and the
    exports (Wagtail's reports link to them only from a dropdown filled in the browser)."""
    return [
        "/admin/",
        reverse("directory_groups:inspect", args=[objects["group"].pk]),
        reverse("directory_groups:history", args=[objects["group"].pk]),
        reverse("directory_requests:inspect", args=[objects["request"].pk]),
        reverse("directory_requests:inspect", args=[objects["request_with_group"].pk]),
        reverse("wagtailadmin_pages:edit", args=[objects["event"].pk]),
        reverse("wagtailadmin_pages:history", args=[objects["event"].pk]),
        reverse("wagtailsnippets_newsletter_mailinglist:history", args=[objects["list"].pk]),
        reverse("wagtailadmin_reports:site_history") + "?export=csv",
        reverse("wagtailadmin_reports:site_history") + "?export=xlsx",
        reverse("wagtailadmin_reports:aging_pages") + "?export=csv",
        reverse("events_registrations:export") + "?zeit=alle",
    ]


def _assert_crawl_is_german(client, objects):
    visited = crawl(client, start=_start_urls(objects), per_pattern=1)
    pages = [url for url, (status, _text) in visited.items() if status == 200]
    # The crawl really went round the admin: listings, inspect views, exports.
    assert len(pages) > 60, len(pages)
    for expected in ("/admin/directory/requests/inspect/", "export=csv", "export=xlsx"):
        assert any(expected in url for url in pages), expected
    assert findings(visited) == []


def test_no_admin_page_shows_none_true_false_or_utc_to_an_office_editor(editor_a, admin_data):
    _assert_crawl_is_german(editor_a, admin_data["alpha"])


def test_no_admin_page_shows_none_true_false_or_utc_to_the_coordinator(
    coordinator_client, admin_data
):
    _assert_crawl_is_german(coordinator_client, admin_data["state"])


def test_the_crawl_would_see_python_words_and_utc():
    """The checks of the crawl find what they are for (and ignore Wagtail's counter that
    the browser fills)."""
    html = (
        "<dl><dt>Einwilligung</dt><dd>True</dd><dt>Gruppe</dt><dd>None</dd>"
        "<dt>Eingegangen</dt><dd>2026-03-01 09:04:00+00:00</dd><dt>Zone</dt><dd>UTC</dd>"
        "<dt>Locale</dt></dl><div data-side-panel-toggle-counter hidden>None</div>"
        '<a href="/admin/x/">x</a>'
    )
    text, links = parse(html)
    found = [what for _url, what in findings({"/admin/": (200, text)})]
    words = [f.split(" in ")[0] for f in found]
    assert words == ["'True'", "'None'", "'+00:00'", "'UTC'", "'Locale'"]
    assert links == ["/admin/x/"]


# --- Each case that was wrong -------------------------------------------------------------


def _text(response):
    return parse(response.content.decode())[0]


@pytest.mark.parametrize(
    ("received_utc", "berlin"),
    [
        (datetime.datetime(2026, 3, 1, 9, 4, tzinfo=UTC), "10:04"),  # winter time, UTC+1
        (datetime.datetime(2026, 7, 1, 9, 4, tzinfo=UTC), "11:04"),  # summer time, UTC+2
    ],
)
def test_a_contact_request_shows_its_time_in_berlin_time(editor_a, offices, received_utc, berlin):
    request = _contact_request(offices["alpha"], None, received=received_utc)
    text = _text(editor_a.get(reverse("directory_requests:inspect", args=[request.pk])))
    assert re.search(rf"Eingegangen am\n[^\n]*{berlin}", text), text
    assert "09:04" not in text


def test_a_contact_request_reads_ja_and_a_dash_where_python_said_true_and_none(editor_a, offices):
    request = _contact_request(offices["alpha"], None, forwarded=True)
    text = _text(editor_a.get(reverse("directory_requests:inspect", args=[request.pk])))
    assert "An die Gruppe weitergeleitet\nJa" in text
    assert "\nGruppe\n–\n" in text


def test_the_site_history_export_gives_berlin_time(client, offices):
    """Read with the csv module and openpyxl, as a spreadsheet program would read it. The
    report spans every office, so only superusers have it (``sites.side_doors``)."""
    from tests.conftest import client_for

    editor_a = client_for(client, "root", "alpha.localhost")
    from openpyxl import load_workbook
    from wagtail.models import PageLogEntry

    page = offices["alpha"].site.root_page
    entry = PageLogEntry.objects.log_action(page, "wagtail.edit", user=None)
    moment = datetime.datetime(2026, 7, 1, 9, 4, 30, tzinfo=UTC)
    PageLogEntry.objects.filter(pk=entry.pk).update(timestamp=moment)
    url = reverse("wagtailadmin_reports:site_history")

    response = editor_a.get(url + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [cell for row in rows for cell in row if "01.07.2026" in cell] == ["01.07.2026 11:04"]
    assert not any("+00:00" in cell for row in rows for cell in row)

    response = editor_a.get(url + "?export=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert datetime.datetime(2026, 7, 1, 11, 4, 30) in values


def test_the_mailing_list_column_says_ja_not_true(editor_a, offices):
    _mailing_list(offices["alpha"])
    response = editor_a.get(reverse("wagtailsnippets_newsletter_mailinglist:list"))
    text = _text(response)
    assert "Anmeldung möglich" in text
    assert re.search(r"Rundbrief KS Alpha[\s\S]*\nJa\n", text)
    assert "True" not in text


@pytest.mark.parametrize(
    "url_name", ["directory_groups:list", "directory_topics:list", "wagtailadmin_explore_root"]
)
def test_the_language_filter_is_called_sprache(coordinator_client, url_name):
    text = _text(coordinator_client.get(reverse(url_name)))
    assert "Sprache" in text
    assert "Locale" not in text


def test_an_office_editor_can_keep_only_berlin_time(editor_a):
    """The account form offers no time zone (there is only one), and the admin is in it."""
    text = _text(editor_a.get(reverse("wagtailadmin_account")))
    assert "Europe/Amsterdam" not in text
    assert settings.WAGTAIL_USER_TIME_ZONES == ["Europe/Berlin"]


# --- Help texts name menus that exist -------------------------------------------------------


def _menu_paths(client):
    """Every menu item of the admin sidebar as "Label" and "Menu → Label"."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(props.group(1))
    paths = set()

    def walk(node, parents):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").endswith("MenuItem") and args:
                label = args[0]["label"]
                paths.add(" → ".join([*parents, label]))
                paths.add(label)
                if len(args) > 1 and isinstance(args[1], list):
                    walk(args[1], [*parents, label])
                return
            for value in node.values():
                walk(value, parents)
        elif isinstance(node, list):
            for value in node:
                walk(value, parents)

    walk(data, [])
    return paths


MENU_REFERENCE = re.compile(r"[Mm]enü[^„\"]{0,40}„([^“]+)“")
PATH_REFERENCE = re.compile(r"„([^“]*→[^“]*)“")


def test_help_texts_name_menu_items_that_exist(db):
    """Every „A → B“ or „menu item“ the code tells editors about is in the sidebar of an
    office editor or of the coordinator."""
    paths = _menu_paths(client_for(Client(), "editor-alpha", "alpha.localhost"))
    paths |= _menu_paths(client_for(Client(), "coordinator", "land.localhost"))
    root = Path(settings.BASE_DIR)
    references = {}
    for folder in ("directory", "events", "newsletter", "sites", "home", "templates"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            joined = re.sub(r'"\s*\n\s*"', "", source)  # implicit string concatenation
            for pattern in (MENU_REFERENCE, PATH_REFERENCE):
                for name in pattern.findall(joined):
                    references.setdefault(name, path.relative_to(root))
    assert references, "no menu reference found: the scan itself is broken"
    missing = {name: str(where) for name, where in references.items() if name not in paths}
    assert missing == {}


def test_the_event_form_points_to_the_registrations_menu(editor_a, offices):
    from events.models import EventIndexPage

    listing = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
    url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", listing.pk])
    text = _text(editor_a.get(url))
    assert "im Hauptmenü unter „Anmeldungen“" in text
    assert "Anmeldungen" in _menu_paths(editor_a)


# --- The dashboard --------------------------------------------------------------------------


def _figures(response):
    """``{section heading: {key: (count, url, label)}}`` of the office figures panel."""
    html = response.content.decode()
    sections = {}
    for heading, body in re.findall(
        r'<h2 id="office-figures-\d+"[^>]*>([^<]+)</h2>(.*?)</section>', html, re.S
    ):
        figures = {}
        for key, url, count, label in re.findall(
            r'<li data-figure="([^"]+)"[^>]*>.*?<a href="([^"]+)">'
            r'<span class="office-figures__count">(\d+)</span>\s*([^<]+)</a>',
            body,
            re.S,
        ):
            figures[key] = (int(count), url.replace("&amp;", "&"), label.strip())
        sections[heading.strip()] = figures
    return sections


@pytest.fixture
def dashboard_data(offices):
    """Alpha and Beta with contact requests (new and old), registrations (upcoming, past,
    cancelled) and groups (fresh and stale), so that every figure could mix them up."""
    now = timezone.now()
    today = timezone.localdate()
    stale = today - datetime.timedelta(days=400)
    for key, new_requests, upcoming, stale_groups in (("alpha", 2, 1, 1), ("beta", 3, 2, 2)):
        office = offices[key]
        for index in range(new_requests):
            _contact_request(office, None, name=f"Neu {index}")
        _contact_request(office, None, received=now - datetime.timedelta(days=20), name="Alt")
        event = _event(office)
        for _index in range(upcoming):
            _registration(office, event)
        _registration(office, event, status="cancelled")
        _registration(office, event, start=now - datetime.timedelta(days=3))
        _group(office, name=f"Aktuelle Gruppe {key}")
        for index in range(stale_groups):
            _group(office, name=f"Alte Gruppe {key} {index}", last_verified=stale)
    # A page of Alpha with a draft change.
    alpha_home = offices["alpha"].site.root_page.specific
    impressum = alpha_home.get_children().get(slug="impressum").specific
    impressum.title = "Impressum (Entwurf)"
    impressum.save_revision()


def test_the_dashboard_shows_the_office_s_own_figures(editor_a, offices, dashboard_data):
    response = editor_a.get("/admin/")
    sections = _figures(response)
    alpha = offices["alpha"]
    assert list(sections) == [alpha.name]
    figures = sections[alpha.name]
    assert figures["pages"][:1] == (pages_of_site(alpha.site).count(),)
    assert figures["pages"][2] == "Seiten"
    assert figures["drafts"][::2] == (1, "Seite mit unveröffentlichten Änderungen")
    assert figures["contact_requests"][::2] == (2, "neue Kontaktanfragen (14 Tage)")
    assert figures["registrations"][::2] == (1, "Anmeldung für kommende Termine")
    assert figures["stale_groups"][::2] == (1, "Gruppe mit fälliger Prüfung (12 Monate)")
    assert figures["reviews"][::2] == (0, "Freigaben, die auf Sie warten")


def test_the_dashboard_shows_nothing_of_another_office_nor_the_installation(
    editor_a, offices, dashboard_data
):
    html = editor_a.get("/admin/").content.decode()
    text = parse(html)[0]
    assert offices["beta"].name not in text
    assert offices["state"].name not in text
    # Wagtail's summary counted every page, image and document of the installation.
    all_pages = Page.objects.filter(depth__gt=1).count()
    assert f"{all_pages} Seiten" not in text
    assert "w-summary__list" not in html.split('id="office-figures-1"')[0]
    assert "Bilder\nerstellt in" not in text


def test_the_coordinator_sees_the_state_office_and_the_whole_directory(
    coordinator_client, offices, dashboard_data
):
    from directory.models import SelfHelpGroup

    sections = _figures(coordinator_client.get("/admin/"))
    state = offices["state"]
    assert list(sections) == [state.name, "Landesweit"]
    # Registrations and contact requests are the state office's own (none), never the
    # regional offices'.
    assert sections[state.name]["contact_requests"][0] == 0
    assert sections[state.name]["registrations"][0] == 0
    network = sections["Landesweit"]
    german = SelfHelpGroup.objects.filter(locale__language_code="de")
    assert network["groups"][0] == german.count()
    # Every office's stale groups, not only the ones this test made.
    assert network["stale_groups_network"][0] == german.stale().count() >= 3


def test_each_dashboard_figure_links_to_the_list_it_counts(editor_a, offices, dashboard_data):
    figures = _figures(editor_a.get("/admin/"))[offices["alpha"].name]
    for key, (_count, url, _label) in figures.items():
        assert editor_a.get(url).status_code == 200, (key, url)

    drafts = _text(editor_a.get(figures["drafts"][1]))
    assert "Impressum (Entwurf)" in drafts
    assert "\nKontakt\n" not in drafts and "\nDatenschutz\n" not in drafts
    stale = _text(editor_a.get(figures["stale_groups"][1]))
    assert "Alte Gruppe alpha 0" in stale and "Alte Gruppe beta" not in stale
    requests = _text(editor_a.get(figures["contact_requests"][1]))
    assert "Neu 0" in requests and "Neu 2" not in requests
    registrations = editor_a.get(figures["registrations"][1]).content.decode()
    assert registrations.count('href="mailto:carla@example.org"') == 1


def test_reviews_waiting_count_only_the_office_s_own_pages(editor_a, offices, users):
    """A reviewer group that spans offices (Wagtail's workflows know no office) still sees
    on its dashboard only the reviews of its own office's pages."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    reviewers = Group.objects.create(name="Prüfende beider Stellen")
    users["editor-alpha"].groups.add(reviewers)
    task = GroupApprovalTask.objects.create(name="Vier-Augen-Prinzip")
    task.groups.set([reviewers])
    workflow = Workflow.objects.create(name="Freigabe")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for key in ("alpha", "beta"):
        home = offices[key].site.root_page
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        page = home.get_children().get(slug="impressum").specific
        page.save_revision()
        # Submitted by someone outside the reviewer group (Wagtail approves a member's
        # own submission at once).
        workflow.start(page, users["editor-state"])

    figures = _figures(editor_a.get("/admin/"))[offices["alpha"].name]
    assert figures["reviews"][::2] == (1, "Freigabe, die auf Sie wartet")
