"""A script tag typed into any text field of anything an office publishes is shown as
text on every public page and never becomes markup that runs.

Every CharField/TextField of the office-visible models (office profile, hours, rooms,
navigation labels, pages of each type with titles, SEO fields, intros and every
StreamField block, form fields, events, groups, topics) gets a marker that tries to open a
script, to close the JSON-LD element and to break out of an attribute. Rich text gets the
marker as typed text (the editor stores it escaped; raw HTML cannot be entered there).
Then every public output is fetched (HTML pages, JSON-LD, ICS, JSON API, HSDS, sitemap)
and checked with a parser of its own format.
"""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.db import models
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

pytestmark = pytest.mark.django_db

MARKER = "<script>alert(1)</script></script><script>x()</script>\"'><img src=x onerror=y()><!--"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
#: Fields whose values are identifiers, codes or addresses, not text people read.
NOT_TEXT = {
    "slug",
    "url_path",
    "path",
    "draft_title",
    "translation_key",
    "languages",
    "brand_colour",
    "hostname",
    "clean_name",
    "field_type",
    "key",
    "search_document",
    "to_address",
    "from_address",
}


def poison(instance, skip=()):
    """Put the marker into every free-text field of ``instance`` (cut to max_length)."""
    for field in instance._meta.concrete_fields:
        if field.name in NOT_TEXT or field.name in skip or field.choices or field.primary_key:
            continue
        if isinstance(field, (models.SlugField, models.URLField, models.EmailField)):
            continue
        if isinstance(field, RichTextField):
            setattr(instance, field.attname, f"<p>{escape(MARKER)}</p>")
        elif isinstance(field, (models.CharField, models.TextField)):
            setattr(instance, field.attname, MARKER[: field.max_length or None])
    return instance


def block_value(block, choosers):
    """A value for ``block`` with the marker in every text (child) block."""
    if isinstance(block, blocks.StreamBlock):
        return [
            (name, block_value(child, choosers))
            for name, child in block.child_blocks.items()
            if name in choosers["stream_children"]
        ]
    if isinstance(block, blocks.StructBlock):
        return {name: block_value(child, choosers) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, choosers)]
    if isinstance(block, blocks.RichTextBlock):
        return f"<p>{escape(MARKER)}</p>"
    if isinstance(block, blocks.URLBlock):
        return ""
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return MARKER[: block.field.max_length or None]
    if isinstance(block, blocks.BooleanBlock):
        return True
    if isinstance(block, ImageChooserBlock):
        return choosers["image"].pk
    if isinstance(block, DocumentChooserBlock):
        return choosers["document"].pk
    if isinstance(block, blocks.PageChooserBlock):
        return choosers["page"].pk
    if isinstance(block, blocks.ChoiceBlock):
        return block.field.choices[-1][0]
    return block.get_default()


def poisoned_stream(field, choosers):
    raw = block_value(field.stream_block, choosers)
    return [(name, field.stream_block.child_blocks[name].to_python(v)) for name, v in raw]


@pytest.fixture
def poisoned(offices):
    """Office Alpha with the marker everywhere; returns the URLs to fetch."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from directory.models import SelfHelpGroup, Topic
    from events.models import EventIndexPage, EventPage
    from home.models import MainMenuItem, Navigation, StandardPage
    from sites.models import ConsultationHours, OpeningHours, Room
    from tests.events.conftest import make_event

    alpha = offices["alpha"]
    site = alpha.site
    poison(alpha).save()
    for model in (OpeningHours, ConsultationHours):
        model.objects.create(office=alpha, weekday=1, opens=datetime.time(10), note=MARKER)
    poison(Room(office=alpha, capacity=8)).save()

    image = Image.objects.create(title=MARKER[:255], file=get_test_image_file())
    document = Document(title=MARKER[:255])
    document.file.save("flyer.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    home = site.root_page.specific
    contact = Page.objects.child_of(home).get(slug="kontakt")
    choosers = {"image": image, "document": document, "page": contact}

    extra = StandardPage(title="Angebote", slug="angebote", show_in_menus=True)
    home.add_child(instance=extra)
    listing = EventIndexPage.objects.child_of(home).get()
    start = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    event = make_event(
        listing,
        title="Infoabend",
        start=start,
        end=start + datetime.timedelta(hours=2),
        registration_enabled=True,
        capacity=5,
        location_kind="address",
    )
    for page in [home, *Page.objects.descendant_of(home).specific()]:
        page = type(page).objects.get(pk=page.pk)
        poison(page, skip={"seo_title"} if isinstance(page, EventPage) else ())
        page.seo_title = ""  # the <title> then shows the poisoned title
        for field in page._meta.concrete_fields:
            if isinstance(field, StreamField):
                children = set(field.stream_block.child_blocks) - {"newsletter_signup"}
                value = poisoned_stream(field, {**choosers, "stream_children": children})
                setattr(page, field.attname, value)
        for relation in ("form_fields",):
            for form_field in getattr(page, relation).all() if hasattr(page, relation) else []:
                poison(form_field).save()
        page.save_revision().publish()

    navigation = Navigation.for_site(site)
    MainMenuItem.objects.create(setting=navigation, page=extra, label=MARKER[:60])

    topic = poison(Topic(slug="marker-thema"))
    topic.save()
    group = poison(SelfHelpGroup(office=alpha, public_contact_consent_date=timezone.localdate()))
    group.save()
    group.topics.set([topic])
    group.save()

    event.refresh_from_db()
    paths = [p.relative_url(site) for p in Page.objects.descendant_of(home, inclusive=True)]
    directory = Page.objects.child_of(home).get(slug="gruppen").relative_url(site)
    paths += [
        "/en/",
        directory + f"{group.pk}-{group.slug}/",
        directory + "?q=script",
        directory + "?scope=land",
        event.relative_url(site) + f"anmeldung/{timezone.localtime(start):%Y%m%dT%H%M}/",
        "/veranstaltungen/kalender/",
        "/newsletter/anmelden/",
    ]
    feeds = [event.relative_url(site) + "ical/", "/veranstaltungen/ical/", "/events.ics"]
    return {"paths": paths, "feeds": feeds, "group": group}


def strings(data):
    """Every string value in decoded JSON."""
    if isinstance(data, str):
        return {data}
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return set().union(*(strings(value) for value in values)) if values else set()


def assert_no_executable_marker(html, where):
    assert "<script>alert(1)" not in html, where
    assert "<script>x()" not in html, where
    assert "<img src=x" not in html, where
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("src"):
            assert not script.string, where
            continue
        assert script.get("type") == "application/ld+json", f"{where}: {script}"
        text = script.string or ""
        assert "<" not in text, f"{where}: JSON-LD with an unescaped <"
        json.loads(text)
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], f"{where}: {element.name} with {handlers}"
    # The marker is there, as text: the test filled what the page shows.
    return "<script>alert(1)</script>" in soup.get_text()


def test_the_marker_is_shown_as_text_on_every_public_page(client, poisoned):
    shown = []
    for host in ("alpha.localhost", "land.localhost"):
        for path in poisoned["paths"]:
            response = client.get(path, HTTP_HOST=host)
            if response.status_code == 404 and host == "land.localhost":
                continue  # an Alpha page asked for on the state host
            assert response.status_code == 200, f"{host}{path}: {response.status_code}"
            html = response.content.decode()
            if assert_no_executable_marker(html, f"{host}{path}"):
                shown.append(f"{host}{path}")
    # Every Alpha page shows the marker (title, menu or footer at least).
    assert {f"alpha.localhost{p}" for p in poisoned["paths"]} <= set(shown)
    # The state site lists Alpha's group (and its marker) in the state-wide directory.
    assert any(s.startswith("land.localhost") for s in shown)


def test_the_json_ld_of_the_group_and_the_event_keeps_the_marker_as_data(client, poisoned):
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    group = poisoned["group"]
    found = []
    for path in poisoned["paths"]:
        html = client.get(path).content.decode()
        for payload in JSON_LD.findall(html):
            assert "<" not in payload
            found.append(json.loads(payload))
    names = {item.get("name") for item in found}
    assert group.name in names  # the group page's schema.org record, marker and all
    assert any(item.get("@type") == "Event" and item["name"] == MARKER for item in found)


def test_the_feeds_api_exports_and_sitemap_carry_the_marker_only_as_data(client, poisoned):
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    for path in poisoned["feeds"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
        assert MARKER in summaries, path
    for path in (
        "/api/directory/groups/",
        "/api/directory/export.json",
        "/api/directory/hsds.json",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert MARKER in strings(json.loads(response.content)), path
    sitemap = client.get("/sitemap.xml")
    assert sitemap["Content-Type"].startswith("application/xml")
    tree = ElementTree.fromstring(sitemap.content)  # well-formed: the marker is escaped
    assert not [e for e in tree.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img")]
