"""Adding languages must not slow a page (issue #12): the office home page, a directory
search and the events list in Arabic make the same queries as in German, with the caches
warm as in production. The times are printed by ``benchmarks/languages.py``.

The Arabic side holds every path that once cost extra queries: a home page that is still
an untranslated copy (the "not translated yet" notice, hreflang without it), a group with
an Arabic translation and a translated topic, an event translated into Arabic and one
shown in German below the German events page."""

import datetime

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from directory.models import SelfHelpGroup, Topic
from tests.conftest import client_for
from tests.events.conftest import make_event

from .conftest import group

pytestmark = pytest.mark.django_db

PAGES = {
    "office home": "",
    "directory search": "gruppen/?q=Alkohol",
    "events list": "veranstaltungen/",
}


@pytest.fixture
def arabic_alpha(offices):
    """Office Alpha offering Arabic, with Arabic content beside German content."""
    from events.models import EventIndexPage

    alpha = offices["alpha"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        alpha.languages = [*alpha.languages, "ar"]
        alpha.save()
    arabic = Locale.objects.get(language_code="ar")
    topic = Topic.objects.get(slug="alkohol", locale__language_code="de")
    topic_ar = topic.copy_for_translation(arabic)
    topic_ar.name = "الكحول"
    topic_ar.save()
    source = group("Angehörigengruppe Alkohol Moabit")
    translation = source.copy_for_translation(arabic)
    translation.name = "مجموعة الأقارب الكحول موابيت"
    translation.description = "نحن شركاء وآباء وأبناء أشخاص يشربون كثيرا."
    translation.save()
    listing = EventIndexPage.objects.child_of(alpha.site.root_page).get()
    soon = timezone.localtime() + datetime.timedelta(days=3)
    translated = make_event(
        listing, title="Infoabend Sucht", start=soon, end=soon + datetime.timedelta(hours=2)
    )
    event_ar = translated.copy_for_translation(arabic)
    event_ar.title = "أمسية معلومات عن الإدمان"
    event_ar.save_revision().publish()
    later = soon + datetime.timedelta(days=2)
    german_only = make_event(
        listing, title="Gesprächskreis", start=later, end=later + datetime.timedelta(hours=2)
    )
    return alpha, german_only


def warm_query_count(client, path):
    """The queries of ``path`` once the caches are warm (two requests first)."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_arabic_makes_no_query_more_than_in_german(client, arabic_alpha, page):
    visitor = client_for(client, None, "alpha.localhost")
    german, _ = warm_query_count(visitor, "/" + PAGES[page])
    arabic, html = warm_query_count(visitor, "/ar/" + PAGES[page])
    assert 'dir="rtl"' in html
    assert arabic == german, f"{page}: {arabic} queries in Arabic, {german} in German"


def test_the_arabic_pages_show_the_arabic_content_they_count_queries_for(client, arabic_alpha):
    """The counts above are of pages that really show the translations."""
    visitor = client_for(client, None, "alpha.localhost")
    home = visitor.get("/ar/").content.decode()
    assert "مجموعة الأقارب الكحول موابيت" in home  # newest groups, translated
    assert "أمسية معلومات عن الإدمان" in home  # next events, translated
    search = visitor.get("/ar/gruppen/?q=Alkohol").content.decode()
    assert "مجموعة الأقارب الكحول موابيت" in search
    assert "نحن شركاء وآباء" in search
    assert "الكحول" in search  # the topic's Arabic name
    assert "Trockene Alkoholiker Wedding" in search  # no translation: German
    events = visitor.get("/ar/veranstaltungen/").content.decode()
    assert "أمسية معلومات عن الإدمان" in events
    assert "Gesprächskreis" in events  # not translated: shown in German, linked there
    _alpha, german_only = arabic_alpha
    assert f'href="/veranstaltungen/{german_only.slug}/"' in events
    assert SelfHelpGroup.objects.public().filter(name__startswith="مجموعة").count() == 0
