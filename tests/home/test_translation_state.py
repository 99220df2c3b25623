"""English pages whose text is still German say so and are marked ``lang="de"``
(WCAG 2.1, 3.1.2), until a translator has translated them."""

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from tests.conftest import client_for
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


def test_an_untranslated_english_page_says_so_in_english_and_marks_its_text_german(visitor):
    html = visitor.get("/en/impressum/").content.decode()
    assert "This page has not been translated yet. You are reading the German text." in html
    assert '<html lang="en" dir="ltr">' in html
    assert '<h1 lang="de">Impressum</h1>' in html
    assert '<div class="stream" lang="de">' in html


def test_on_an_untranslated_home_page_only_the_office_text_is_marked_german(visitor):
    html = visitor.get("/en/").content.decode()
    assert '<div class="intro" lang="de">' in html
    # The interface around it is English and stays unmarked.
    assert '<h2 id="events-teaser-heading">Upcoming events</h2>' in html


def test_a_german_page_has_no_translation_notice(visitor):
    html = visitor.get("/impressum/").content.decode()
    assert "notice-translation" not in html
    assert 'lang="de"' not in html.split("<main")[1]


def test_a_partly_translated_page_says_so_without_marking_all_of_it_german(visitor, offices):
    total = translate(child(offices["alpha"], "impressum"), "Legal notice", share=0.5)
    assert total > 1
    html = visitor.get("/en/impressum/").content.decode()
    assert "only partly translated" in html
    assert 'lang="de"' not in html.split("<main")[1]


def test_a_fully_translated_page_shows_no_notice_once_published(visitor, offices):
    visitor.get("/en/impressum/")  # the state is cached until the next save
    translate(child(offices["alpha"], "impressum"), "Legal notice")
    html = visitor.get("/en/impressum/").content.decode()
    assert "notice-translation" not in html
    assert "Legal notice" in html
    assert 'lang="de"' not in html.split("<main")[1]


def test_a_translator_translates_the_contact_forms_questions_and_answers_keep_their_keys(
    visitor, offices
):
    from wagtail.contrib.forms.models import FormSubmission

    kontakt = child(offices["alpha"], "kontakt")
    english = child(offices["alpha"], "kontakt", "en")
    # Each English field is the translation of a German one, not a loose copy.
    assert {f.translation_key for f in english.form_fields.all()} == {
        f.translation_key for f in kontakt.form_fields.all()
    }
    translation = Translation.objects.get(
        source__object_id=kontakt.translation_key, target_locale__language_code="en"
    )
    english_labels = {
        "Ihr Name": "Your name",
        "Ihre E-Mail-Adresse": "Your e-mail address",
        "Ihre Nachricht": "Your message",
    }
    for segment in StringSegment.objects.filter(source=translation.source):
        if segment.string.data in english_labels:
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=translation.target_locale,
                context=segment.context,
                data=english_labels[segment.string.data],
            )
    translation.save_target(publish=True)

    html = visitor.get("/en/kontakt/").content.decode()
    assert "Your e-mail address" in html and "Ihre E-Mail-Adresse" not in html
    assert "Ihre E-Mail-Adresse" in visitor.get("/kontakt/").content.decode()
    response = visitor.post(
        "/en/kontakt/",
        {
            "ihr_name": "Erika",
            "ihre_e_mail_adresse": "erika@example.org",
            "ihre_nachricht": "Is there a group for relatives?",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 200
    submission = FormSubmission.objects.get(page__locale__language_code="en")
    assert submission.form_data["ihre_nachricht"] == "Is there a group for relatives?"


def test_an_editor_adds_a_question_to_the_german_contact_form_in_the_admin(client, offices):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    editor = client_for(client, "editor-alpha", "alpha.localhost")
    kontakt = child(offices["alpha"], "kontakt")
    existing = [
        {
            "id": f.pk,
            "label": f.label,
            "field_type": f.field_type,
            "required": "on" if f.required else "",
            "choices": f.choices,
            "default_value": f.default_value,
            "help_text": f.help_text,
        }
        for f in kontakt.form_fields.all()
    ]
    new = {"label": "Ihre Telefonnummer", "field_type": "singleline", "required": ""}
    data = nested_form_data(
        {
            "title": kontakt.title,
            "slug": kontakt.slug,
            "intro": rich_text(""),
            "thank_you_text": rich_text(""),
            "to_address": kontakt.to_address,
            "from_address": kontakt.from_address,
            "subject": kontakt.subject,
            "form_fields": inline_formset(existing + [new]),
            "action-publish": "action-publish",
        }
    )
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[kontakt.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    added = kontakt.form_fields.model.objects.get(page=kontakt, label="Ihre Telefonnummer")
    assert added.locale_id == kontakt.locale_id
    assert (
        "Ihre Telefonnummer"
        in client_for(client, None, "alpha.localhost").get("/kontakt/").content.decode()
    )
