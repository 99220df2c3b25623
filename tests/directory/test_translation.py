"""Visitors on /en/ see English group descriptions and topic names where they exist."""

import pytest
from wagtail.models import Locale

from directory.models import SelfHelpGroup, Topic

from .conftest import group, public_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_alcohol_group():
    english = Locale.objects.get(language_code="en")
    topic = Topic.objects.get(slug="alkohol", locale__language_code="de")
    topic_en = topic.copy_for_translation(english)
    topic_en.name = "Alcohol"
    topic_en.save()
    source = group("Angehörigengruppe Alkohol Moabit")
    translation = source.copy_for_translation(english)
    translation.name = "Relatives' group alcohol Moabit"
    translation.description = "We are partners, parents and children of people who drink."
    translation.save()
    return source, translation


def test_english_visitors_see_the_translation_where_it_exists(visitor, english_alcohol_group):
    source, _translation = english_alcohol_group
    html = public_get(visitor, "/en/gruppen/").content.decode()
    assert "Relatives&#x27; group alcohol Moabit" in html
    assert "We are partners, parents and children" in html
    assert "Alcohol" in html
    assert "Trockene Alkoholiker Wedding" in html  # no translation: German
    detail = public_get(visitor, f"/en/gruppen/{source.pk}-{source.slug}/").content.decode()
    assert "We are partners" in detail


def test_text_still_in_german_on_a_translated_page_is_marked_as_german(
    visitor, english_alcohol_group
):
    from html.parser import HTMLParser

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.found = [], {}

        def handle_starttag(self, tag, attrs):
            self.stack.append(dict(attrs))

        def handle_endtag(self, tag):
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if data.strip() and self.stack:
                self.found.setdefault(data.strip(), self.stack[-1])

    source, _translation = english_alcohol_group
    page = Elements()
    page.feed(public_get(visitor, "/en/gruppen/").content.decode())
    untranslated = page.found["Trockene Alkoholiker Wedding"]
    assert (untranslated.get("lang"), untranslated.get("dir")) == ("de", "ltr")
    translated = page.found["Relatives' group alcohol Moabit"]
    assert "lang" not in translated
    wedding = group("Trockene Alkoholiker Wedding")
    detail = Elements()
    detail.feed(public_get(visitor, f"/en/gruppen/{wedding.pk}-{wedding.slug}/").content.decode())
    assert detail.found["Trockene Alkoholiker Wedding"].get("lang") == "de"


def test_german_visitors_keep_the_german_text(visitor, english_alcohol_group):
    html = public_get(visitor, "/gruppen/").content.decode()
    assert "Angehörigengruppe Alkohol Moabit" in html
    assert "Relatives" not in html


def test_translations_are_not_listed_twice_and_english_words_find_topics(
    visitor, english_alcohol_group
):
    html = public_get(visitor, "/en/gruppen/", data={"q": "alcohol"}).content.decode()
    assert html.count("/en/gruppen/") >= 1
    assert "Relatives&#x27; group alcohol Moabit" in html
    assert SelfHelpGroup.objects.public().filter(name__startswith="Relatives").count() == 0
