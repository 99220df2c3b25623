"""The translation status report: every page, event, group and topic of a site × every
language it offers, with its state and the link that moves it forward."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from directory.models import SelfHelpGroup, Topic
from sites import translation_status as status
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/admin/reports/translation-status/"


def _translate_fully(page, language="en"):
    """Translate every segment of ``page``'s translation into ``language`` and publish."""
    source = TranslationSource.objects.get(
        object_id=page.translation_key, locale__language_code="de"
    )
    translation = Translation.objects.get(source=source, target_locale__language_code=language)
    locale = Locale.objects.get(language_code=language)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": segment.string.data},
        )
    translation.save_target(publish=True)
    return translation


def _row(rows, title, kind=None):
    return next(r for r in rows if r.title == title and (kind is None or r.kind == kind))


def _scope(user, office):
    return next(s for s in status.scopes_for(user) if s.office == office)


def test_a_provisioned_page_with_nothing_translated_is_in_progress_with_a_link_to_continue(
    users, offices
):
    user = users["editor-alpha"]
    rows, shown, languages = status.report(user, _scope(user, offices["alpha"]))
    assert languages == ["en"]
    cell = _row(rows, "Kontakt").cells["en"]
    assert cell.state == status.IN_PROGRESS
    assert cell.done == 0 and cell.total > 0
    english = Page.objects.get(
        translation_key=Page.objects.get(
            slug="kontakt",
            locale__language_code="de",
            path__startswith=offices["alpha"].site.root_page.path,
        ).translation_key,
        locale__language_code="en",
    )
    assert cell.url == reverse("wagtailadmin_pages:edit", args=[english.pk])


def test_a_fully_translated_page_is_complete_and_outdated_after_the_german_changes(users, offices):
    user = users["editor-alpha"]
    home = offices["alpha"].site.root_page
    contact = Page.objects.child_of(home).get(slug="barrierefreiheit").specific
    translation = _translate_fully(contact)
    rows, *_ = status.report(user, _scope(user, offices["alpha"]))
    assert _row(rows, "Barrierefreiheit").cells["en"].state == status.COMPLETE

    contact.intro = "Neue Fassung ab Januar."
    contact.save_revision().publish()
    rows, *_ = status.report(user, _scope(user, offices["alpha"]))
    cell = _row(rows, "Barrierefreiheit").cells["en"]
    assert cell.state == status.OUTDATED
    assert cell.url == reverse("wagtail_localize:update_translations", args=[translation.source_id])


def test_a_group_without_any_translation_is_missing_with_a_link_to_start(users, offices):
    from directory.models import Kind

    office = offices["alpha"]
    group = SelfHelpGroup.objects.create(
        office=office, name="Trauer Gruppe Alpha", kind=Kind.GROUP, locale=Locale.get_default()
    )
    user = users["editor-alpha"]
    rows, *_ = status.report(user, _scope(user, office))
    cell = _row(rows, "Trauer Gruppe Alpha").cells["en"]
    assert cell.state == status.MISSING
    assert cell.url == reverse(
        "wagtail_localize:submit_snippet_translation", args=["directory", "selfhelpgroup", group.pk]
    )


def test_an_office_editor_sees_only_their_office_and_no_shared_directory(users):
    scopes = status.scopes_for(users["editor-alpha"])
    assert [s.label for s in scopes] == ["Kontaktstelle Alpha"]


def test_the_coordinator_sees_the_state_site_and_the_shared_directory(users, offices):
    scopes = status.scopes_for(users["coordinator"])
    assert [s.key for s in scopes] == [str(offices["state"].pk), status.SHARED]
    Topic.objects.create(name="Trauerstatus", slug="trauer-status", locale=Locale.get_default())
    shared = scopes[-1]
    rows, shown, languages = status.report(users["coordinator"], shared, kind="directory.topic")
    # Topics serve every site: every language any site offers (the test offices: de, en).
    assert languages == ["en"]
    cell = _row(rows, "Trauerstatus").cells["en"]
    assert cell.state == status.MISSING and cell.url


def test_a_translated_topic_renamed_in_german_is_outdated(users, offices):
    from wagtail_localize.operations import translate_object

    topic = Topic.objects.create(
        name="Suchtstatus", slug="sucht-status", locale=Locale.get_default()
    )
    translate_object(topic, [Locale.objects.get(language_code="en")])
    coordinator = users["coordinator"]
    shared = status.scopes_for(coordinator)[-1]
    rows, *_ = status.report(coordinator, shared, kind="directory.topic")
    assert _row(rows, "Suchtstatus").cells["en"].state == status.IN_PROGRESS
    source = TranslationSource.objects.get(object_id=topic.translation_key)
    locale = Locale.objects.get(language_code="en")
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string, locale=locale, context=segment.context, data="Addiction"
        )
    rows, *_ = status.report(coordinator, shared, kind="directory.topic")
    assert _row(rows, "Suchtstatus").cells["en"].state == status.COMPLETE
    topic.name = "Sucht und Abhängigkeit"
    topic.save()
    rows, *_ = status.report(coordinator, shared, kind="directory.topic")
    assert _row(rows, "Sucht und Abhängigkeit").cells["en"].state == status.OUTDATED


def test_the_report_page_lists_the_office_pages_with_states_and_action_links(client, offices):
    response = client_for(client, "editor-alpha").get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table.translation-status")
    titles = [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
    assert "Kontakt" in titles and "Barrierefreiheit" in titles
    # German by nature: no translation task.
    assert "Leichte Sprache" not in titles and "Gebärdensprache" not in titles
    assert [th.get_text(strip=True) for th in table.select("thead th")][2:] == ["Englisch"]
    assert table.select("a[href^='/admin/pages/']")


def test_the_filters_narrow_the_rows(client, offices):
    editor = client_for(client, "editor-alpha")
    html = editor.get(URL, {"state": "complete"}).content.decode()
    assert "Keine Einträge für diese Filter." in html
    soup = BeautifulSoup(
        editor.get(URL, {"kind": "page", "state": "in_progress"}).content, "html.parser"
    )
    assert soup.select("table.translation-status tbody th[scope=row]")


def test_a_forged_filter_answers_400_with_a_message(client, offices):
    response = client_for(client, "editor-alpha").get(URL, {"language": "xx", "state": "kaputt"})
    assert response.status_code == 400
    assert "Dieser Filter passt nicht zu diesem Bereich" in response.content.decode()


def test_another_offices_report_is_not_found_and_shows_nothing_of_it(client, offices):
    editor = client_for(client, "editor-alpha")
    for key in (str(offices["beta"].pk), str(offices["state"].pk), status.SHARED, "abc"):
        response = editor.get(URL, {"office": key})
        assert response.status_code == 404
        assert "Kontaktstelle Beta" not in response.content.decode()


def test_the_coordinator_cannot_read_a_regional_offices_page_states(client, offices):
    response = client_for(client, "coordinator", "land.localhost").get(
        URL, {"office": str(offices["beta"].pk)}
    )
    assert response.status_code == 404


def test_the_report_is_in_the_reports_menu(client, offices):
    html = client_for(client, "editor-alpha").get("/admin/").content.decode()
    assert URL in html
