"""How the single process serves many sites: hostnames, unknown hosts, languages, sitemaps."""

import pytest
from django.test import override_settings
from wagtail.models import Locale, Site

from sites.middleware import known_hostnames

pytestmark = pytest.mark.django_db


class TestUnknownHostnames:
    @override_settings(UNKNOWN_HOST_POLICY="reject", ALLOWED_HOSTS=[".localhost"])
    def test_production_answers_an_unknown_hostname_with_its_own_404(self, client, offices):
        response = client.get("/", HTTP_HOST="nobody.localhost")
        assert response.status_code == 404
        html = response.content.decode()
        assert "gehört zu keiner Kontaktstelle" in html
        for office in offices.values():
            assert office.name not in html
        assert response["Cache-Control"] == "no-store"

    @override_settings(UNKNOWN_HOST_POLICY="reject", ALLOWED_HOSTS=[".localhost"])
    def test_production_refuses_the_admin_and_pages_on_an_unknown_hostname(self, client, offices):
        assert client.get("/impressum/", HTTP_HOST="nobody.localhost").status_code == 404
        assert client.get("/admin/login/", HTTP_HOST="nobody.localhost").status_code == 404

    @override_settings(UNKNOWN_HOST_POLICY="reject", ALLOWED_HOSTS=[".localhost"])
    def test_production_serves_known_hostnames_with_or_without_port(self, client, offices):
        assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 200
        assert client.get("/", HTTP_HOST="alpha.localhost:8443").status_code == 200

    @override_settings(UNKNOWN_HOST_POLICY="reject", ALLOWED_HOSTS=[".localhost"])
    def test_the_health_check_answers_on_any_hostname(self, client, offices):
        response = client.get("/healthz", HTTP_HOST="nobody.localhost")
        assert response.status_code == 200
        assert response.content == b"ok"

    @override_settings(UNKNOWN_HOST_POLICY="reject", ALLOWED_HOSTS=[".localhost"])
    def test_a_new_office_is_served_at_once(self, client, offices):
        assert client.get("/", HTTP_HOST="neu.localhost").status_code == 404
        site = offices["alpha"].site
        Site.objects.create(hostname="neu.localhost", root_page=site.root_page, port=80)
        assert "neu.localhost" in known_hostnames()
        assert client.get("/", HTTP_HOST="neu.localhost").status_code == 200

    def test_a_hostname_outside_allowed_hosts_is_a_bad_request(self, client, offices):
        with override_settings(ALLOWED_HOSTS=[".localhost"]):
            response = client.get("/", HTTP_HOST="evil.example.com")
        assert response.status_code == 400

    def test_development_falls_back_to_the_default_site(self, client, offices):
        response = client.get("/", HTTP_HOST="nobody.localhost")
        assert response.status_code == 200
        assert "Landeskoordination Test" in response.content.decode()


class TestLanguages:
    def test_german_is_unprefixed_and_english_is_under_en(self, client, offices):
        de = client.get("/impressum/", HTTP_HOST="alpha.localhost")
        en = client.get("/en/impressum/", HTTP_HOST="alpha.localhost")
        assert de.status_code == 200 and en.status_code == 200
        assert '<html lang="de" dir="ltr">' in de.content.decode()
        assert '<html lang="en" dir="ltr">' in en.content.decode()
        assert client.get("/de/impressum/", HTTP_HOST="alpha.localhost").status_code == 404

    def test_the_language_switcher_leads_to_the_translation_of_the_current_page(
        self, client, offices
    ):
        html = client.get("/impressum/", HTTP_HOST="alpha.localhost").content.decode()
        assert 'href="/en/impressum/" lang="en" hreflang="en"' in html
        html = client.get("/en/impressum/", HTTP_HOST="alpha.localhost").content.decode()
        assert 'href="/impressum/" lang="de" hreflang="de"' in html

    def test_the_switcher_falls_back_to_the_home_page_of_the_same_site(self, client, offices):
        from home.models import StandardPage

        home = offices["alpha"].site.root_page
        page = home.add_child(
            instance=StandardPage(title="Nur deutsch", slug="nur-deutsch", locale=home.locale)
        )
        page.save_revision().publish()
        html = client.get("/nur-deutsch/", HTTP_HOST="alpha.localhost").content.decode()
        assert 'href="/en/" lang="en"' in html

    def test_a_new_translation_of_an_office_home_gets_the_office_permissions(self, offices):
        from django.contrib.auth.models import Group
        from wagtail.models import GroupPagePermission

        turkish = Locale.objects.get(language_code="tr")
        home = offices["alpha"].site.root_page
        translated = home.copy_for_translation(turkish)
        groups = set(
            GroupPagePermission.objects.filter(page=translated).values_list("group", flat=True)
        )
        expected = set(
            Group.objects.filter(name__startswith="KS Alpha – ").values_list("pk", flat=True)
        )
        assert groups == expected
        assert groups


class TestSitemapAndRobots:
    def test_the_sitemap_lists_every_locale_of_the_site_and_nothing_of_others(
        self, client, offices
    ):
        index = client.get("/sitemap.xml", HTTP_HOST="alpha.localhost").content.decode()
        assert "<loc>http://alpha.localhost/sitemap-de.xml</loc>" in index
        assert "<loc>http://alpha.localhost/sitemap-en.xml</loc>" in index
        german = client.get("/sitemap-de.xml", HTTP_HOST="alpha.localhost").content.decode()
        english = client.get("/sitemap-en.xml", HTTP_HOST="alpha.localhost").content.decode()
        assert "<loc>http://alpha.localhost/impressum/</loc>" in german
        # The English Impressum is still the German text: not a language version of its
        # own (its canonical address is the German page).
        assert "/en/impressum/" not in english
        assert "beta.localhost" not in german + english

    def test_robots_txt_points_to_the_sitemap_of_the_requested_site(self, client, offices):
        text = client.get("/robots.txt", HTTP_HOST="beta.localhost").content.decode()
        assert "Sitemap: http://beta.localhost/sitemap.xml" in text
        assert "Disallow: /admin/" in text


class TestOfficeProfileOnTheSite:
    def test_the_footer_names_the_office_and_links_impressum_and_datenschutz(self, client, offices):
        html = client.get("/kontakt/", HTTP_HOST="beta.localhost").content.decode()
        assert "Kontaktstelle Beta" in html
        assert 'href="/impressum/"' in html
        assert 'href="/datenschutz/"' in html

    def test_the_open_now_state_follows_the_opening_hours(self, offices):
        import datetime
        from zoneinfo import ZoneInfo

        from sites.models import OpeningHours

        office = offices["alpha"]
        OpeningHours.objects.create(
            office=office, weekday=0, opens=datetime.time(10), closes=datetime.time(16)
        )
        berlin = ZoneInfo("Europe/Berlin")
        monday_noon = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=berlin)
        monday_evening = datetime.datetime(2026, 11, 23, 16, 0, tzinfo=berlin)
        tuesday_noon = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=berlin)
        assert office.is_open_at(monday_noon)
        assert not office.is_open_at(monday_evening)
        assert not office.is_open_at(tuesday_noon)
        # 11:30 UTC is 12:30 in Berlin in winter: still open.
        assert office.is_open_at(datetime.datetime(2026, 11, 23, 11, 30, tzinfo=datetime.UTC))
