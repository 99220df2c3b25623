"""What search engines read: one canonical address per document on the host that owns it,
symmetric language alternates in the head and in the per-locale sitemaps, each group in
exactly one sitemap, descriptions, a favicon on every host, and a language switcher that
leads to the translation of the object on screen."""

import datetime
import io
import re

import pytest
from PIL import Image
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def head(client, url, host):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode().split("</head>")[0]


def canonical(html):
    found = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert len(found) <= 1
    return found[0] if found else None


def alternates(html):
    pattern = r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">'
    return dict(re.findall(pattern, html))


def translate(page, title, slug=None):
    """A real (not copied-German) English translation of ``page``, published."""
    english = Locale.objects.get(language_code="en")
    existing = page.get_translation_or_none(english)
    translated = existing.specific if existing else page.copy_for_translation(english)
    translated.title = title
    if slug:
        translated.slug = slug
    translated.save()
    translated.save_revision().publish()
    return type(translated).objects.get(pk=translated.pk)


@pytest.fixture
def event(offices):
    from events.models import EventIndexPage, EventPage, LocationKind

    index = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
    start = datetime.datetime(2031, 3, 4, 17, 0, tzinfo=datetime.UTC)
    page = EventPage(
        title="Infoabend",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location_kind=LocationKind.ADDRESS,
        address="Rathaus",
        description="<p>Wie <b>Selbsthilfe</b> wirkt &amp; hilft.</p>",
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def group(offices):
    from directory.models import SelfHelpGroup

    group = SelfHelpGroup(
        name="Angst gemeinsam überwinden",
        office=offices["alpha"],
        description="Wir treffen uns jede Woche in Mitte.",
        weekday=1,
        district="Mitte",
    )
    group.save()
    return group


def translate_group(group, name):
    english = Locale.objects.get(language_code="en")
    translated = group.copy_for_translation(english)
    translated.name = name
    translated.live = True
    translated.save()
    return translated


class TestCanonical:
    def test_every_page_type_names_its_own_address_on_its_own_host(self, client, offices, event):
        pages = [
            "/",
            "/impressum/",
            "/veranstaltungen/",
            "/veranstaltungen/kalender/",
            "/veranstaltungen/infoabend/",
            "/gruppen/",
        ]
        for url in pages:
            expected = f"http://alpha.localhost{url}"
            assert canonical(head(client, url, "alpha.localhost")) == expected

    def test_a_group_shown_on_another_office_s_host_points_to_its_own_office(
        self, client, offices, group
    ):
        path = f"/gruppen/{group.pk}-{group.slug}/"
        expected = f"http://alpha.localhost{path}"
        for host in ("alpha.localhost", "beta.localhost", "land.localhost"):
            html = head(client, path, host)
            assert canonical(html) == expected
            assert f'"url": "{expected}"' in client.get(path, HTTP_HOST=host).content.decode()

    def test_a_state_group_points_to_the_state_site(self, client, offices):
        from directory.models import SelfHelpGroup

        group = SelfHelpGroup(name="Landesweite Gruppe", office=offices["state"], weekday=2)
        group.save()
        html = head(client, f"/gruppen/{group.pk}-{group.slug}/", "beta.localhost")
        assert canonical(html) == f"http://land.localhost/gruppen/{group.pk}-{group.slug}/"

    def test_an_untranslated_copy_points_to_its_german_source(self, client, offices):
        # The provisioned English Impressum still holds the German text.
        html = head(client, "/en/impressum/", "alpha.localhost")
        assert canonical(html) == "http://alpha.localhost/impressum/"
        assert alternates(html) == {}

    def test_a_filtered_variant_is_not_indexed_and_names_no_canonical(self, client, offices):
        html = head(client, "/veranstaltungen/kalender/?monat=2031-03", "alpha.localhost")
        assert '<meta name="robots" content="noindex, follow">' in html
        assert canonical(html) is None
        plain = head(client, "/veranstaltungen/kalender/", "alpha.localhost")
        assert 'name="robots"' not in plain


class TestLanguageAlternates:
    def test_a_translated_page_and_its_source_name_each_other(self, client, offices):
        from home.models import StandardPage

        home = offices["alpha"].site.root_page
        german = home.add_child(instance=StandardPage(title="Angebot", slug="angebot"))
        german.save_revision().publish()
        translate(home.specific, "Welcome")
        english = translate(german, "What we offer", slug="offer")
        de = alternates(head(client, "/angebot/", "alpha.localhost"))
        assert english.url_path.endswith("/offer/")
        en = alternates(head(client, "/en/offer/", "alpha.localhost"))
        expected = {
            "de": "http://alpha.localhost/angebot/",
            "en": "http://alpha.localhost/en/offer/",
            "x-default": "http://alpha.localhost/angebot/",
        }
        assert de == en == expected

        sitemaps = {
            code: client.get(f"/sitemap-{code}.xml", HTTP_HOST="alpha.localhost").content.decode()
            for code in ("de", "en")
        }
        for code, xml in sitemaps.items():
            entry = re.search(
                rf"<url><loc>{re.escape(expected[code])}</loc>.*?</url>", xml, re.S
            ).group(0)
            links = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry))
            assert links == expected

    def test_a_translated_group_and_its_source_name_each_other(self, client, offices, group):
        translate(offices["alpha"].site.root_page.specific, "Welcome")
        from directory.models import DirectoryPage

        directory = DirectoryPage.objects.descendant_of(offices["alpha"].site.root_page).get(
            locale__language_code="de"
        )
        translate(directory, "Self-help groups")
        translate_group(group, "Overcoming anxiety together")
        path = f"{group.pk}-{group.slug}/"
        expected = {
            "de": f"http://alpha.localhost/gruppen/{path}",
            "en": f"http://alpha.localhost/en/gruppen/{path}",
            "x-default": f"http://alpha.localhost/gruppen/{path}",
        }
        for url in (f"/gruppen/{path}", f"/en/gruppen/{path}"):
            assert alternates(head(client, url, "beta.localhost")) == expected
        english = head(client, f"/en/gruppen/{path}", "beta.localhost")
        assert canonical(english) == expected["en"]


class TestSitemaps:
    def test_each_group_is_listed_in_exactly_one_sitemap_of_its_own_office(
        self, client, offices, group
    ):
        path = f"/gruppen/{group.pk}-{group.slug}/"
        found = []
        for host in ("alpha.localhost", "beta.localhost", "land.localhost"):
            for code in ("de", "en"):
                xml = client.get(f"/sitemap-{code}.xml", HTTP_HOST=host).content.decode()
                found += [(host, code)] * xml.count(f"<loc>http://{host}{path}</loc>")
                assert xml.count(path) == (1 if (host, code) == ("alpha.localhost", "de") else 0)
        assert found == [("alpha.localhost", "de")]


class TestDescriptionAndFavicon:
    def test_the_description_comes_from_the_content_trimmed_and_escaped(
        self, client, offices, event
    ):
        html = head(client, "/veranstaltungen/infoabend/", "alpha.localhost")
        assert '<meta name="description" content="Wie Selbsthilfe wirkt &amp; hilft.">' in html
        from home.models import StandardPage

        home = offices["alpha"].site.root_page
        page = home.add_child(
            instance=StandardPage(
                title="Lang", slug="lang", intro='Ein "Zitat" & mehr ' + "sehr langer Text " * 30
            )
        )
        page.save_revision().publish()
        html = head(client, "/lang/", "alpha.localhost")
        content = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
        assert content.startswith("Ein &quot;Zitat&quot; &amp; mehr sehr langer Text")
        assert content.endswith("…") and len(content) < 200

    def test_every_host_answers_favicon_ico_with_an_icon_that_can_be_cached(self, client, offices):
        icons = {}
        for host in ("alpha.localhost", "beta.localhost", "land.localhost"):
            response = client.get("/favicon.ico", HTTP_HOST=host)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/x-icon"
            assert "max-age=86400" in response["Cache-Control"]
            image = Image.open(io.BytesIO(response.content))
            assert image.format == "ICO"
            icons[host] = response.content
        # Each office its own: the initial of its short name.
        assert icons["alpha.localhost"] != icons["land.localhost"]

    def test_an_office_logo_becomes_its_favicon(self, client, offices):
        from wagtail.images.models import Image as WagtailImage
        from wagtail.images.tests.utils import get_test_image_file

        from sites import chrome

        before = client.get("/favicon.ico", HTTP_HOST="alpha.localhost").content
        office = offices["alpha"]
        office.logo = WagtailImage.objects.create(
            title="Logo", file=get_test_image_file(colour="red")
        )
        office.save()
        chrome.invalidate()
        after = client.get("/favicon.ico", HTTP_HOST="alpha.localhost").content
        assert after != before
        icon = Image.open(io.BytesIO(after)).convert("RGB")
        assert icon.getpixel((icon.width // 2, icon.height // 2)) == (255, 0, 0)


class TestLanguageSwitcher:
    def switcher(self, client, url, host="alpha.localhost"):
        html = client.get(url, HTTP_HOST=host).content.decode()
        nav = html.split('class="language-switcher"')[1].split("</nav>")[0]
        return dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav))

    def test_on_a_group_page_it_leads_to_the_group_in_the_other_language(
        self, client, offices, group
    ):
        links = self.switcher(client, f"/gruppen/{group.pk}-{group.slug}/")
        assert links[f"/en/gruppen/{group.pk}-{group.slug}/"] == "en"
        links = self.switcher(client, f"/en/gruppen/{group.pk}-{group.slug}/")
        assert links[f"/gruppen/{group.pk}-{group.slug}/"] == "de"

    def test_on_a_filtered_list_it_keeps_the_topic_and_on_the_calendar_the_month(
        self, client, offices
    ):
        links = self.switcher(client, "/gruppen/?topic=trauer")
        assert links["/en/gruppen/?topic=trauer"] == "en"
        links = self.switcher(client, "/veranstaltungen/kalender/?monat=2031-03")
        assert links["/en/veranstaltungen/kalender/?monat=2031-03"] == "en"

    def test_on_an_event_it_leads_to_the_event_s_translation(self, client, offices, event):
        translate(offices["alpha"].site.root_page.specific, "Welcome")
        translate(event, "Information evening", slug="information-evening")
        links = self.switcher(client, "/veranstaltungen/infoabend/")
        assert links["/en/veranstaltungen/information-evening/"] == "en"
        links = self.switcher(client, "/en/veranstaltungen/information-evening/")
        assert links["/veranstaltungen/infoabend/"] == "de"

    def test_on_an_untranslated_event_it_leads_to_the_events_page_in_that_language(
        self, client, offices, event
    ):
        links = self.switcher(client, "/veranstaltungen/infoabend/")
        assert links["/en/veranstaltungen/"] == "en"
