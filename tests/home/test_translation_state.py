"""English pages whose text is still German say so and are marked ``lang="de"``
(WCAG 2.1, 3.1.2), until a translator has translated them."""

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from tests.home.conftest import child

pytestmark = pytest.mark.django_db


def translate(page, english, share=1.0):
    """Translate ``share`` of the segments of the German ``page`` and publish the result."""
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code="en"
    )
    segments = list(StringSegment.objects.filter(source=translation.source).order_by("order"))
    for segment in segments[: max(1, round(len(segments) * share))]:
        # The slug is a segment too; keep it, so that the page keeps its address.
        is_slug = segment.context.path == "slug"
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={"data": segment.string.data if is_slug else f"{english} {segment.order}"},
        )
    translation.save_target(publish=True)
    return len(segments)


def content_of(html):
    return html.split('class="page-content"')[1][:40]


def test_an_untranslated_english_page_says_so_in_english_and_marks_its_text_german(visitor):
    html = visitor.get("/en/impressum/").content.decode()
    assert "This page has not been translated yet. You are reading the German text." in html
    assert content_of(html).startswith(' lang="de">')
    assert '<html lang="en">' in html


def test_a_german_page_has_no_translation_notice(visitor):
    html = visitor.get("/impressum/").content.decode()
    assert "notice-translation" not in html
    assert content_of(html).startswith(">")


def test_a_partly_translated_page_says_so_without_marking_all_of_it_german(visitor, offices):
    total = translate(child(offices["alpha"], "impressum"), "Legal notice", share=0.5)
    assert total > 1
    html = visitor.get("/en/impressum/").content.decode()
    assert "only partly translated" in html
    assert content_of(html).startswith(">")


def test_a_fully_translated_page_shows_no_notice_once_published(visitor, offices):
    visitor.get("/en/impressum/")  # the state is cached until the next save
    translate(child(offices["alpha"], "impressum"), "Legal notice")
    html = visitor.get("/en/impressum/").content.decode()
    assert "notice-translation" not in html
    assert "Legal notice" in html
    assert content_of(html).startswith(">")
