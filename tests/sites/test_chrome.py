"""The site chrome (header, menu, footer, office profile) is cached per site and language,
and every editor change shows on the next request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.models import FooterMenuItem, Navigation
from sites.models import OpeningHours
from tests.conftest import client_for
from tests.home.conftest import child

pytestmark = pytest.mark.django_db

CHROME_TABLES = ("home_navigation", "home_mainmenuitem", "home_footermenuitem", "sites_office")


def footer(html):
    return html.split("<footer")[1]


def menu(html):
    return html.split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]


def test_a_second_visit_reads_no_menu_footer_or_office_rows(visitor):
    visitor.get("/impressum/")
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get("/impressum/")
    assert response.status_code == 200
    touched = [q["sql"] for q in queries if any(t in q["sql"] for t in CHROME_TABLES)]
    assert touched == []
    # ... and the page still has its whole chrome.
    html = response.content.decode()
    assert "Kontaktstelle Alpha" in html
    assert 'href="/datenschutz/"' in footer(html)
    assert 'href="/kontakt/"' in menu(html)


def test_a_title_an_editor_publishes_in_the_admin_shows_in_the_footer_at_once(client, offices):
    visitor = client_for(client.__class__(), None, "alpha.localhost")
    assert ">Impressum<" in footer(visitor.get("/").content.decode())
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    impressum = child(offices["alpha"], "impressum")
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[impressum.pk]),
        {
            "title": "Impressum und Anbieter",
            "slug": "impressum",
            "intro": "",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    html = visitor.get("/").content.decode()
    assert ">Impressum und Anbieter<" in footer(html)


def test_an_unpublished_page_leaves_the_menu_at_once(visitor, offices):
    assert 'href="/gruppe-gruenden/"' in menu(visitor.get("/").content.decode())
    child(offices["alpha"], "gruppe-gruenden").unpublish()
    assert 'href="/gruppe-gruenden/"' not in menu(visitor.get("/").content.decode())


def test_a_new_footer_link_of_the_navigation_setting_shows_at_once(visitor, offices):
    office = offices["alpha"]
    visitor.get("/")
    FooterMenuItem.objects.create(
        setting=Navigation.for_site(office.site),
        page=child(office, "gruppe-gruenden"),
        label="Selbst eine Gruppe gründen",
    )
    assert "Selbst eine Gruppe gründen" in footer(visitor.get("/").content.decode())


def test_a_changed_phone_number_and_new_hours_show_at_once(visitor, offices):
    office = offices["alpha"]
    assert "030 123456" in visitor.get("/").content.decode()
    office.phone = "030 999888"
    office.save()
    OpeningHours.objects.create(
        office=office, weekday=3, opens=datetime.time(9), closes=datetime.time(12)
    )
    html = visitor.get("/").content.decode()
    assert "030 999888" in html and "030 123456" not in html
    assert "Donnerstag" in html


def test_each_site_and_language_keeps_its_own_chrome(client):
    alpha = client_for(client, None, "alpha.localhost").get("/").content.decode()
    beta = client_for(client, None, "beta.localhost").get("/").content.decode()
    assert "Kontaktstelle Alpha" in alpha and "Kontaktstelle Beta" not in alpha
    assert "Kontaktstelle Beta" in beta and "Kontaktstelle Alpha" not in beta
    assert "team@beta.localhost" in footer(beta)
    english = client_for(client, None, "beta.localhost").get("/en/").content.decode()
    assert 'href="/en/impressum/"' in footer(english)
    assert 'href="/impressum/"' not in footer(english)
    # German again after the English visit: not the English chrome from the cache.
    again = client_for(client, None, "beta.localhost").get("/").content.decode()
    assert 'href="/impressum/"' in footer(again)


def test_the_language_switcher_leads_to_the_translation_or_the_home(visitor, offices):
    html = visitor.get("/impressum/").content.decode()
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'href="/en/impressum/"' in switcher
    translation = child(offices["alpha"], "impressum", "en")
    translation.unpublish()
    html = visitor.get("/impressum/").content.decode()
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'href="/en/"' in switcher and "/en/impressum/" not in switcher


def test_a_renamed_hostname_is_served_at_once_although_sites_are_cached(client, offices):
    alpha = client_for(client, None, "alpha.localhost")
    assert "Kontaktstelle Alpha" in alpha.get("/").content.decode()  # site now cached
    site = offices["alpha"].site
    site.hostname = "alpha-neu.localhost"
    site.save()
    moved = client_for(client, None, "alpha-neu.localhost").get("/")
    assert moved.status_code == 200
    assert "Kontaktstelle Alpha" in moved.content.decode()
    # The old name is no office's any more: it is not answered with Alpha's site.
    old = client_for(client, None, "alpha.localhost").get("/").content.decode()
    assert "<strong>Kontaktstelle Alpha</strong>" not in old
