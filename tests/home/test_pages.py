"""Page types, blocks, navigation and breadcrumbs of the office sites."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.blocks import StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file

from home.blocks import BodyBlock, CallToActionBlock, ImageBlock
from home.models import MainMenuItem, Navigation, StandardPage
from sites.models import OpeningHours
from tests.conftest import client_for
from tests.home.conftest import child, management

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def alpha_hours(offices):
    office = offices["alpha"]
    OpeningHours.objects.create(
        office=office, weekday=0, opens=datetime.time(10), closes=datetime.time(16)
    )
    OpeningHours.objects.create(
        office=office, weekday=2, opens=datetime.time(14), closes=datetime.time(18)
    )
    return office


class TestOpenNow:
    def test_open_now_is_judged_in_berlin_time_even_for_a_utc_moment(self, alpha_hours):
        # Monday 09:30 UTC is 10:30 in Berlin in winter: open.
        assert alpha_hours.is_open_at(datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC))
        # Monday 15:30 UTC is 16:30 in Berlin: closed, though 15:30 would be inside the slot.
        assert not alpha_hours.is_open_at(
            datetime.datetime(2026, 11, 23, 15, 30, tzinfo=datetime.UTC)
        )

    def test_open_now_follows_summer_time(self, alpha_hours):
        # Monday 08:30 UTC in July is 10:30 CEST: open; in January it would be 09:30.
        assert alpha_hours.is_open_at(datetime.datetime(2026, 7, 6, 8, 30, tzinfo=datetime.UTC))
        assert not alpha_hours.is_open_at(datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC))

    def test_the_next_opening_is_the_next_slot_start_in_berlin(self, alpha_hours):
        monday_evening = datetime.datetime(2026, 11, 23, 19, 0, tzinfo=BERLIN)
        assert alpha_hours.next_opening(monday_evening) == datetime.datetime(
            2026, 11, 25, 14, 0, tzinfo=BERLIN
        )
        wednesday_night = datetime.datetime(2026, 11, 25, 23, 0, tzinfo=BERLIN)
        assert alpha_hours.next_opening(wednesday_night) == datetime.datetime(
            2026, 11, 30, 10, 0, tzinfo=BERLIN
        )

    def test_the_home_page_says_open_while_the_office_is_open(self, visitor, alpha_hours):
        during = datetime.datetime(2026, 11, 23, 11, 0, tzinfo=BERLIN)
        with mock.patch("django.utils.timezone.now", return_value=during):
            html = visitor.get("/").content.decode()
        assert "Jetzt geöffnet" in html

    def test_the_home_page_says_closed_and_when_it_opens_again(self, visitor, alpha_hours):
        evening = datetime.datetime(2026, 11, 23, 20, 0, tzinfo=BERLIN)
        with mock.patch("django.utils.timezone.now", return_value=evening):
            html = visitor.get("/").content.decode()
        assert "Zurzeit geschlossen" in html
        assert "wieder geöffnet am Mittwoch ab 14:00 Uhr" in html


class TestHomePage:
    def test_the_home_page_shows_the_hours_and_contact_box_from_the_profile(
        self, visitor, alpha_hours
    ):
        html = visitor.get("/").content.decode()
        assert "Öffnungs- und Sprechzeiten" in html
        assert "10:00–16:00" in html
        assert "So erreichen Sie uns" in html
        assert "team@alpha.localhost" in html

    def test_the_home_page_shows_the_next_events_of_its_own_office(self, visitor, offices):
        from events.models import EventIndexPage
        from tests.events.conftest import make_event

        alpha = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
        beta = EventIndexPage.objects.child_of(offices["beta"].site.root_page).get()
        make_event(alpha, title="Infoabend Sucht")
        make_event(beta, title="Trauercafé Beta")
        html = visitor.get("/").content.decode()
        assert "Nächste Veranstaltungen" in html
        assert "Infoabend Sucht" in html
        assert "Trauercafé Beta" not in html
        assert 'href="/veranstaltungen/"' in html

    def test_without_events_the_home_page_says_none_are_planned(self, visitor):
        html = visitor.get("/").content.decode()
        assert "Zurzeit sind keine Veranstaltungen geplant." in html

    def test_the_home_page_shows_the_newest_groups_of_its_own_office(self, visitor, offices):
        from directory.models import Rhythm, SelfHelpGroup, Status

        common = {"rhythm": Rhythm.IRREGULAR, "status": Status.ACTIVE}
        SelfHelpGroup.objects.create(name="Trauercafé Alpha", office=offices["alpha"], **common)
        SelfHelpGroup.objects.create(name="Gruppe von Beta", office=offices["beta"], **common)
        SelfHelpGroup.objects.create(
            name="Beendete Gruppe",
            office=offices["alpha"],
            **{**common, "status": Status.ENDED},
        )
        html = visitor.get("/").content.decode()
        assert "Neue Selbsthilfegruppen" in html
        assert "Trauercafé Alpha" in html
        assert 'href="/gruppen/' in html
        assert "Gruppe von Beta" not in html
        assert "Beendete Gruppe" not in html


@pytest.fixture
def image(db):
    from wagtail.images.models import Image

    return Image.objects.create(title="Gruppenraum", file=get_test_image_file())


@pytest.fixture
def document(db):
    doc = Document(title="Flyer Gruppengründung")
    doc.file.save("flyer.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    doc.save()
    return doc


class TestStandardPageBlocks:
    def test_every_block_renders_on_a_standard_page(self, visitor, offices, image, document):
        home = offices["alpha"].site.root_page
        body = [
            ("heading", "Unsere Angebote"),
            ("paragraph", "<p>Wir beraten vertraulich.</p>"),
            ("image", {"image": image.pk, "alt": "Stuhlkreis im Gruppenraum", "caption": "Raum 1"}),
            (
                "downloads",
                {
                    "heading": "Zum Herunterladen",
                    "documents": [{"document": document.pk, "label": ""}],
                },
            ),
            (
                "faq",
                {
                    "heading": "Fragen",
                    "items": [{"question": "Kostet das etwas?", "answer": "<p>Nein.</p>"}],
                },
            ),
            (
                "call_to_action",
                {
                    "title": "Keine Gruppe gefunden?",
                    "text": "Gründen Sie eine.",
                    "button_text": "Gruppe gründen",
                    "page": None,
                    "url": "https://example.org/",
                },
            ),
            ("contact_box", {"heading": "Kontakt", "show_hours": False}),
            ("quote", {"quote": "Ich bin nicht allein.", "attribution": "Eine Teilnehmerin"}),
        ]
        page = StandardPage(title="Angebote", slug="angebote")
        page.body = StreamValue(BodyBlock(), [], is_lazy=True, raw_text=None)
        page.body = [
            (kind, BodyBlock().child_blocks[kind].to_python(value)) for kind, value in body
        ]
        home.add_child(instance=page)
        page.save_revision().publish()

        response = visitor.get("/angebote/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h2>Unsere Angebote</h2>" in html
        assert 'alt="Stuhlkreis im Gruppenraum"' in html
        assert "<figcaption>Raum 1</figcaption>" in html
        assert "Flyer Gruppengründung" in html and "(PDF" in html
        assert "<summary>Kostet das etwas?</summary>" in html
        assert 'class="button" href="https://example.org/"' in html
        assert "team@alpha.localhost" in html
        assert "<blockquote><p>Ich bin nicht allein.</p></blockquote>" in html
        # Breadcrumbs lead back to the home page.
        assert 'aria-label="Sie sind hier"' in html
        assert '<span aria-current="page">Angebote</span>' in html

    def test_an_image_without_alt_text_is_refused(self, image):
        block = ImageBlock()
        with pytest.raises(StructBlockValidationError) as caught:
            block.clean(block.to_python({"image": image.pk, "alt": "", "caption": ""}))
        assert "alt" in caught.value.block_errors

    def test_an_image_with_alt_text_is_accepted(self, image):
        block = ImageBlock()
        value = block.clean(block.to_python({"image": image.pk, "alt": "Ein Stuhlkreis"}))
        assert value["alt"] == "Ein Stuhlkreis"

    def test_a_call_to_action_needs_exactly_one_target(self):
        block = CallToActionBlock()
        base = {"title": "T", "text": "", "button_text": "Los", "page": None}
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({**base, "url": ""}))
        assert block.clean(block.to_python({**base, "url": "https://example.org/"}))

    def test_every_block_has_an_icon_a_template_and_a_preview(self):
        for name, child_block in BodyBlock().child_blocks.items():
            assert child_block.meta.icon, name
            # templates/<app>/blocks/: the newsletter sign-up block lives in its own app
            assert "/blocks/" in child_block.meta.template, name
            assert child_block.meta.preview_value, name

    def test_an_editor_adds_an_image_without_alt_text_and_gets_an_error(
        self, editor_a, offices, image
    ):
        page = child(offices["alpha"], "impressum")
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "body": "",
            "body-count": "1",
            "body-0-type": "image",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
            "body-0-value-image": str(image.pk),
            "body-0-value-alt": "",
            "body-0-value-caption": "",
            # Wagtail checks required fields when publishing (drafts may be incomplete).
            "action-publish": "action-publish",
        }
        response = editor_a.post(url, data)
        assert response.status_code == 200
        page.refresh_from_db()
        assert "image" not in [b.block_type for b in page.body]
        stream_error = response.context["form"].errors.as_data()["body"][0]
        assert "alt" in stream_error.block_errors[0].block_errors


class TestNavigation:
    def test_without_a_menu_the_pages_marked_for_menus_are_shown(self, visitor):
        html = visitor.get("/").content.decode()
        assert 'aria-label="Hauptnavigation"' in html
        assert '<a href="/kontakt/">Kontakt</a>' in html
        assert '<a href="/gruppe-gruenden/">Gruppe gründen</a>' in html

    def test_the_office_menu_replaces_the_default_in_its_order_and_wording(self, visitor, offices):
        office = offices["alpha"]
        navigation = Navigation.for_site(office.site)
        MainMenuItem.objects.create(
            setting=navigation,
            page=child(office, "gruppe-gruenden"),
            label="Neue Gruppe",
            sort_order=0,
        )
        MainMenuItem.objects.create(setting=navigation, page=child(office, "kontakt"), sort_order=1)
        html = visitor.get("/impressum/").content.decode()
        menu = html.split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]
        assert menu.index("Neue Gruppe") < menu.index("Kontakt")
        # The English site shows the translated pages' titles.
        english = visitor.get("/en/").content.decode()
        assert 'href="/en/gruppe-gruenden/"' in english

    def test_a_menu_item_cannot_point_to_another_offices_page(self, offices):
        from django.core.exceptions import ValidationError

        navigation = Navigation.for_site(offices["alpha"].site)
        item = MainMenuItem(setting=navigation, page=child(offices["beta"], "kontakt"))
        with pytest.raises(ValidationError):
            item.full_clean()

    def test_an_office_editor_edits_the_own_navigation_but_not_another_offices(
        self, client, offices
    ):
        editor = client_for(client, "editor-alpha", "alpha.localhost")
        own = reverse("wagtailsettings:edit", args=["home", "navigation", offices["alpha"].site.pk])
        other = reverse(
            "wagtailsettings:edit", args=["home", "navigation", offices["beta"].site.pk]
        )
        assert editor.get(own).status_code == 200
        theirs = Navigation.for_site(offices["beta"].site)
        MainMenuItem.objects.create(setting=theirs, page=child(offices["beta"], "kontakt"))
        theirs_before = (theirs.main_items.count(), theirs.footer_items.count())
        assert editor.get(other).status_code in (302, 403, 404)
        data = {**management("main_items"), **management("footer_items")}
        assert editor.post(other, data).status_code in (302, 403, 404)
        theirs = Navigation.objects.get(pk=theirs.pk)
        assert (theirs.main_items.count(), theirs.footer_items.count()) == theirs_before
        assert editor.post(own, data).status_code == 302


class TestEachOfficeEditsOnlyItsOwnPages:
    @pytest.mark.parametrize("slug", ["impressum", "datenschutz", "barrierefreiheit", "kontakt"])
    def test_an_editor_cannot_open_another_offices_default_page(self, editor_a, offices, slug):
        theirs = child(offices["beta"], slug)
        ours = child(offices["alpha"], slug)
        assert editor_a.get(reverse("wagtailadmin_pages:edit", args=[ours.pk])).status_code == 200
        response = editor_a.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk]))
        assert response.status_code in (302, 403, 404)

    def test_an_editor_cannot_change_another_offices_impressum_by_post(self, editor_a, offices):
        theirs = child(offices["beta"], "impressum")
        response = editor_a.post(
            reverse("wagtailadmin_pages:edit", args=[theirs.pk]),
            {"title": "Gehackt", "slug": "impressum", "intro": "", "body-count": "0"},
        )
        assert response.status_code in (302, 403, 404)
        theirs.refresh_from_db()
        assert theirs.title == "Impressum"


class TestDefaultPages:
    def test_the_accessibility_statement_names_a_feedback_channel_and_plain_language(self, visitor):
        html = visitor.get("/barrierefreiheit/").content.decode()
        assert "Barrieren melden" in html
        assert "team@alpha.localhost" in html
        assert 'href="../kontakt/"' in html
        assert "Leichte Sprache" in html
        assert "Schlichtungsverfahren" in html

    def test_the_footer_links_the_legal_pages_on_every_page(self, visitor):
        for path in ("/", "/kontakt/", "/gruppe-gruenden/", "/impressum/"):
            html = visitor.get(path).content.decode()
            footer = html.split("<footer")[1]
            for slug in ("impressum", "datenschutz", "barrierefreiheit"):
                assert f'href="/{slug}/"' in footer, (path, slug)


def test_the_home_page_says_when_the_office_opens_later_today(visitor, alpha_hours):
    early = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)
    with mock.patch("django.utils.timezone.now", return_value=early):
        html = visitor.get("/").content.decode()
    assert "wieder geöffnet heute ab 10:00 Uhr" in html
    tuesday = datetime.datetime(2026, 11, 24, 20, 0, tzinfo=BERLIN)
    with mock.patch("django.utils.timezone.now", return_value=tuesday):
        html = visitor.get("/").content.decode()
    assert "wieder geöffnet morgen ab 14:00 Uhr" in html
