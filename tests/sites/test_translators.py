"""Translation for the people who translate: an office editor translates the office's own
pages and groups, the coordinator the topic list; nobody translates another office's."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation

from directory.models import SelfHelpGroup, Topic
from home.models import StandardPage
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


def _page(office, slug, title):
    home = office.site.root_page
    page = StandardPage(title=title, slug=slug, intro="Für Angehörige.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _group(office, name, topics=()):
    group = SelfHelpGroup(
        name=name, office=office, description="Wir treffen uns.", rhythm="by_arrangement"
    )
    group.save()
    group.topics.set(topics)
    group.save()
    group.save_revision().publish()
    return group


def _translate_field(client, instance, locale, field, text):
    """Type ``text`` for ``field`` in wagtail-localize's editor (its string API)."""
    translation = Translation.objects.get(
        source__object_id=instance.translation_key, target_locale=locale
    )
    segment = StringSegment.objects.get(source=translation.source, context__path=field)
    response = client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        f"value={text}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 300, response.content
    return translation


def test_an_office_editor_translates_a_page_and_publishes_it(
    client, offices, english, django_capture_on_commit_callbacks
):
    page = _page(offices["alpha"], "angehoerige", "Angehörigengruppen")
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    response = editor.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    target = page.get_translation(english)
    _translate_field(editor, page, english, "title", "Groups for relatives")
    # wagtail-localize publishes when the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailadmin_pages:edit", args=[target.pk]), {"action": "publish"}
        )
    assert response.status_code == 302
    target = Page.objects.get(pk=target.pk)
    assert target.live and target.title == "Groups for relatives"
    visitor = client_for(client.__class__(), None, "alpha.localhost")
    assert "Groups for relatives" in visitor.get("/en/angehoerige/").content.decode()


def test_an_office_editor_translates_a_group_and_publishes_it(
    client, offices, english, django_capture_on_commit_callbacks
):
    group = _group(offices["alpha"], "Angehörige von Suchtkranken Alpha")
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    response = editor.post(
        reverse(
            "wagtail_localize:submit_snippet_translation",
            args=["directory", "selfhelpgroup", group.pk],
        ),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    translated = group.get_translation(english)
    _translate_field(editor, group, english, "name", "Relatives of addicts Alpha")
    edit = reverse("directory_groups:edit", args=[translated.pk])
    assert editor.get(edit).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(edit, {"action": "publish"})
    assert response.status_code == 302
    translated = SelfHelpGroup.objects.get(pk=translated.pk)
    assert translated.live and translated.name == "Relatives of addicts Alpha"
    assert translated.office_id == group.office_id


def test_the_coordinator_translates_a_topic_and_the_english_directory_shows_it(
    client, offices, english
):
    topic = Topic.objects.create(name="Pflegende Angehörige", slug="pflegende-angehoerige")
    _group(offices["alpha"], "Pflegende Angehörige treffen sich", [topic])
    coordinator = client_for(client, "coordinator", "land.localhost")
    response = coordinator.post(
        reverse(
            "wagtail_localize:submit_snippet_translation", args=["directory", "topic", topic.pk]
        ),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    translation = _translate_field(coordinator, topic, english, "name", "Family carers")
    translation.save_target(publish=True)
    assert topic.get_translation(english).name == "Family carers"
    visitor = client_for(client.__class__(), None, "alpha.localhost")
    html = visitor.get("/en/gruppen/").content.decode()
    assert "Family carers" in html
    assert "Pflegende Angehörige</" not in html


def test_nobody_translates_another_office_s_page_or_group_and_offices_not_the_topics(
    client, offices, english
):
    beta_page = _page(offices["beta"], "beta-seite", "Beta intern")
    beta_group = _group(offices["beta"], "Gruppe Beta intern")
    topic = Topic.objects.create(name="Einsamkeit", slug="einsamkeit")
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    for url in (
        reverse("wagtail_localize:submit_page_translation", args=[beta_page.pk]),
        reverse(
            "wagtail_localize:submit_snippet_translation",
            args=["directory", "selfhelpgroup", beta_group.pk],
        ),
        reverse(
            "wagtail_localize:submit_snippet_translation", args=["directory", "topic", topic.pk]
        ),
    ):
        assert editor.get(url).status_code != 200, url
        editor.post(url, {"locales": [english.pk]})
    assert not beta_page.get_translations().filter(locale=english).exists()
    assert not SelfHelpGroup.objects.filter(
        translation_key=beta_group.translation_key, locale=english
    ).exists()
    assert not Topic.objects.filter(translation_key=topic.translation_key, locale=english).exists()
