"""BITV 2.0 § 4: every site has a page in Leichte Sprache and one in Gebärdensprache, both
linked from the header of every page."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Page

from home.bitv import ensure_bitv_pages
from home.models import EasyLanguagePage, SignLanguagePage
from sites.models import OpeningHours
from sites.tenancy import pages_of_site
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _header(html):
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_provisioning_gives_every_office_both_pages_live_below_its_german_home(offices):
    for office in offices.values():
        home = office.site.root_page
        easy = EasyLanguagePage.objects.child_of(home).get()
        sign = SignLanguagePage.objects.child_of(home).get()
        assert easy.live and sign.live
        assert (easy.slug, sign.slug) == ("leichte-sprache", "gebaerdensprache")


def test_the_easy_language_page_names_the_office_and_explains_in_short_sentences(offices):
    office = offices["alpha"]
    page = EasyLanguagePage.objects.child_of(office.site.root_page).get()
    text = " ".join(str(block.value) for block in page.body)
    assert office.name in text
    assert "Selbst-Hilfe-Gruppe" in text
    sentences = [s for s in re.split(r"[.?!:]\s", re.sub(r"<[^>]+>", " ", text)) if s.strip()]
    # Netzwerk Leichte Sprache: short sentences, one statement each.
    assert max(len(s.split()) for s in sentences) <= 15


def test_a_visitor_reads_what_the_site_offers_and_how_to_reach_the_office_from_the_profile(
    client, offices
):
    office = offices["alpha"]
    OpeningHours.objects.create(office=office, weekday=0, opens="10:00", closes="16:00")
    office.step_free_access = True
    office.save()
    response = client_for(client, None, "alpha.localhost").get("/leichte-sprache/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="de"' in html
    assert "Das finden Sie auf unserer Internet-Seite" in html
    # The contact page exists and is described; no part the site lacks is mentioned.
    assert 'href="/kontakt/"' in html and "Hier können Sie uns eine Nachricht schreiben" in html
    assert "030 123456" in html and "team@alpha.localhost" in html
    assert "Montag: von 10:00 Uhr bis 16:00 Uhr" in html
    assert "Es gibt keine Stufen" in html


def test_a_part_the_site_does_not_have_is_not_offered(client, offices):
    office = offices["alpha"]
    Page.objects.child_of(office.site.root_page).filter(slug="kontakt").update(live=False)
    html = client_for(client, None, "alpha.localhost").get("/leichte-sprache/").content.decode()
    assert "Hier können Sie uns eine Nachricht schreiben" not in html


def test_every_page_links_both_pages_from_its_header_with_a_text_name(client, offices):
    visitor = client_for(client, None, "alpha.localhost")
    for path in ("/", "/kontakt/", "/impressum/", "/leichte-sprache/"):
        header = _header(visitor.get(path).content.decode())
        assert re.search(r'<a href="/leichte-sprache/"[^>]*>.*?Leichte Sprache</a>', header, re.S)
        assert re.search(r'<a href="/gebaerdensprache/"[^>]*>.*?Gebärdensprache</a>', header, re.S)
        # The icons are decoration: the text is the accessible name.
        assert header.count('aria-hidden="true" focusable="false"') >= 2


def test_the_english_site_links_the_german_pages_marked_as_german(client, offices):
    html = client_for(client, None, "alpha.localhost").get("/en/").content.decode()
    header = _header(html)
    assert re.search(r'<a href="/leichte-sprache/" lang="de" hreflang="de"', header)
    assert re.search(r'<a href="/gebaerdensprache/" lang="de" hreflang="de"', header)


def test_the_sign_language_page_without_a_video_says_so_and_shows_the_transcript(client, offices):
    html = client_for(client, None, "alpha.localhost").get("/gebaerdensprache/").content.decode()
    assert "<video" not in html and "<iframe" not in html
    assert "Text zum Video" in html and "Kontaktstelle Alpha" in html


def test_the_sign_language_video_plays_from_this_site_and_can_be_downloaded(client, offices):
    office = offices["alpha"]
    video = Document.objects.create(
        title="Wir über uns in DGS",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="dgs.mp4"),
        collection=office.collection,
    )
    page = SignLanguagePage.objects.child_of(office.site.root_page).get()
    page.video = video
    page.save_revision().publish()
    html = client_for(client, None, "alpha.localhost").get("/gebaerdensprache/").content.decode()
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert f'<a href="{video.url}" download>' in html
    assert "youtube" not in html.lower() and "vimeo" not in html.lower()
    served = client.get(video.url)
    assert served.status_code == 200


def test_a_document_that_is_no_video_is_refused_with_a_message(offices):
    from django.core.exceptions import ValidationError

    office = offices["alpha"]
    pdf = Document.objects.create(
        title="Flyer", file=ContentFile(b"%PDF-1.4", name="flyer.pdf"), collection=office.collection
    )
    page = SignLanguagePage.objects.child_of(office.site.root_page).get()
    page.video = pdf
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "video" in refused.value.message_dict


def test_an_installation_from_before_gets_the_pages_once_and_only_once(offices):
    for model in (EasyLanguagePage, SignLanguagePage):
        model.objects.all().delete()
    done = ensure_bitv_pages()
    assert set(done) == {office.name for office in offices.values()}
    for office in offices.values():
        assert pages_of_site(office.site).type(EasyLanguagePage).count() == 1
        assert pages_of_site(office.site).type(SignLanguagePage).count() == 1
    assert ensure_bitv_pages() == {}


def test_a_page_the_office_moved_elsewhere_in_its_tree_is_not_created_again(offices):
    office = offices["alpha"]
    home = office.site.root_page
    easy = EasyLanguagePage.objects.child_of(home).get()
    imprint = Page.objects.child_of(home).get(slug="impressum")
    Page.objects.get(pk=easy.pk).move(imprint, pos="last-child")
    assert ensure_bitv_pages() == {}


def test_the_command_reports_what_it_did(offices, capsys):
    SignLanguagePage.objects.filter(
        pk__in=pages_of_site(offices["beta"].site).type(SignLanguagePage).values("pk")
    ).delete()
    call_command("ensure_bitv_pages")
    out = capsys.readouterr().out
    assert "Kontaktstelle Beta: Gebärdensprache angelegt" in out
    call_command("ensure_bitv_pages")
    assert "Alle Kontaktstellen haben beide Seiten." in capsys.readouterr().out


def test_migrate_gives_an_older_installation_the_pages(offices):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    for model in (EasyLanguagePage, SignLanguagePage):
        model.objects.all().delete()
    config = apps.get_app_config("home")
    post_migrate.send(
        sender=config,
        app_config=config,
        using="default",
        verbosity=0,
        interactive=False,
        plan=[],
        apps=apps,
    )
    for office in offices.values():
        assert pages_of_site(office.site).type(EasyLanguagePage).count() == 1
        assert pages_of_site(office.site).type(SignLanguagePage).count() == 1
