"""New offices go live without half-finished legal pages: Impressum, Datenschutz and
Barrierefreiheit are written from the office profile, stay drafts while it lacks what
they need, and are published with the real data once it is complete."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, Site

from sites.legal import LEGAL_PAGE_SLUGS
from sites.models import Office
from sites.provisioning import office_groups
from tests.conftest import PASSWORD, client_for
from tests.home.test_branding import profile_data
from tests.sites.test_provisioning import snapshot

pytestmark = pytest.mark.django_db

HOST = "neustadt.localhost"
PLACEHOLDER = re.compile(r"\[[^\]]*erg(ä|&auml;)nzen|ergänzen\]")


@pytest.fixture
def new_office(django_capture_on_commit_callbacks):
    """An office as ``create_office`` leaves it: name and hostname, nothing else, with an
    editor of its own."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_office", "--hostname", HOST, "--name", "KISS Neustadt", stdout=io.StringIO()
        )
    office = Office.objects.get(site__hostname=HOST)
    user = get_user_model().objects.create_user("editor-neu", "neu@example.org", PASSWORD)
    user.groups.add(*office_groups(office))
    return office


def legal_pages_in_every_locale(office):
    pages = []
    for home in office.site.root_page.get_translations(inclusive=True):
        pages.extend(Page.objects.child_of(home).filter(slug__in=LEGAL_PAGE_SLUGS).specific())
    return pages


def text_of(page):
    return f"{page.title} {page.intro} {page.body.raw_data}"


def complete_profile(office):
    return profile_data(
        office,
        organisation="Selbsthilfe Neustadt e. V.",
        street="Marktplatz 3",
        postcode="12345",
        city="Neustadt",
        phone="030 987654",
        email="kontakt@neustadt.example.de",
        representative="Vorstand: Hanna Vogel (Vorsitzende)",
        content_responsible="Deniz Arslan",
        register_entry="Vereinsregister Amtsgericht Neustadt, VR 4711",
    )


def test_a_new_offices_legal_pages_never_show_a_placeholder_to_the_public(new_office, client):
    pages = legal_pages_in_every_locale(new_office)
    assert {page.slug for page in pages} == set(LEGAL_PAGE_SLUGS)
    assert len(pages) == 2 * len(LEGAL_PAGE_SLUGS)  # German and English
    # Nothing unfinished is live, and no stored text carries a placeholder either.
    assert [page for page in pages if page.live] == []
    for page in pages:
        assert not PLACEHOLDER.search(text_of(page)), page
    visitor = client_for(client, None, HOST)
    for slug in LEGAL_PAGE_SLUGS:
        assert visitor.get(f"/{slug}/").status_code == 404
    home = visitor.get("/").content.decode()
    assert "ergänzen" not in home
    assert 'href="/impressum/"' not in home


def test_the_admin_lists_what_the_profile_still_lacks(new_office, client):
    editor = client_for(client, "editor-neu", HOST)
    url = reverse("wagtailsettings:edit", args=["sites", "office", new_office.site.pk])
    profile = editor.get(url).content.decode()
    assert "data-legal-status" in profile
    for label in ("Träger", "Vertretungsberechtigt", "Verantwortlich für den Inhalt"):
        assert label in profile
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert f'data-incomplete-office="{new_office.pk}"' in dashboard
    assert "Verantwortlich für den Inhalt" in dashboard
    # Another office's editor is not told about this office.
    other = client_for(client, "editor-alpha", "alpha.localhost")
    assert (
        f'data-incomplete-office="{new_office.pk}"'
        not in other.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_a_completed_profile_publishes_the_legal_pages_with_the_real_data(
    new_office, client, django_capture_on_commit_callbacks
):
    editor = client_for(client, "editor-neu", HOST)
    url = reverse("wagtailsettings:edit", args=["sites", "office", new_office.site.pk])
    # wagtail-localize publishes translations when the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, complete_profile(new_office))
    assert response.status_code == 302, response.content.decode()[-2000:]

    pages = legal_pages_in_every_locale(new_office)
    assert len(pages) == 2 * len(LEGAL_PAGE_SLUGS)
    assert all(page.live for page in pages), [(p, p.locale) for p in pages if not p.live]
    english = [page for page in pages if page.locale.language_code == "en"]
    assert all("Deniz Arslan" in text_of(page) for page in english if page.slug == "impressum")
    visitor = client_for(client, None, HOST)
    impressum = visitor.get("/impressum/")
    assert impressum.status_code == 200
    html = impressum.content.decode()
    for fact in (
        "Selbsthilfe Neustadt e. V.",
        "Marktplatz 3, 12345 Neustadt",
        "Vorstand: Hanna Vogel (Vorsitzende)",
        "Deniz Arslan",
        "Vereinsregister Amtsgericht Neustadt, VR 4711",
        "kontakt@neustadt.example.de",
    ):
        assert fact in html
    assert not PLACEHOLDER.search(html)
    # The provider and the office are each named once in the Anbieter section.
    provider = html.split("Anbieter", 1)[1].split("Kontakt", 1)[0]
    assert provider.count("Selbsthilfe Neustadt e. V.") == 1
    assert provider.count("KISS Neustadt") == 1
    datenschutz = visitor.get("/datenschutz/").content.decode()
    assert "Selbsthilfe Neustadt e. V." in datenschutz
    assert "Impressum" in visitor.get("/").content.decode()
    # The dashboard no longer asks for anything.
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert f'data-incomplete-office="{new_office.pk}"' not in dashboard


def test_when_the_office_is_its_own_provider_its_name_appears_once(new_office, client):
    editor = client_for(client, "editor-neu", HOST)
    url = reverse("wagtailsettings:edit", args=["sites", "office", new_office.site.pk])
    data = complete_profile(new_office)
    data["organisation"] = "KISS Neustadt"
    assert editor.post(url, data).status_code == 302
    html = client_for(client, None, HOST).get("/impressum/").content.decode()
    provider = html.split("Anbieter", 1)[1].split("Kontakt", 1)[0]
    assert provider.count("KISS Neustadt") == 1


def test_a_page_that_lacks_only_part_of_the_profile_stays_a_draft(new_office):
    new_office.email = "kontakt@neustadt.example.de"
    new_office.save()
    german = Page.objects.child_of(new_office.site.root_page)
    # The accessibility statement needs only a feedback address; the Impressum much more.
    assert german.get(slug="barrierefreiheit").live
    assert not german.get(slug="impressum").live
    assert not german.get(slug="datenschutz").live


def test_a_hostname_in_use_on_another_port_is_refused_and_nothing_is_created(
    django_capture_on_commit_callbacks,
):
    assert Site.objects.filter(hostname="alpha.localhost", port=80).exists()
    before = snapshot()
    with pytest.raises(CommandError, match="schon vergeben"):
        call_command(
            "create_office",
            "--hostname",
            "alpha.localhost",
            "--port",
            "8080",
            "--name",
            "Doppelgänger",
            stdout=io.StringIO(),
        )
    assert snapshot() == before
    assert not Site.objects.filter(hostname="alpha.localhost", port=8080).exists()
