"""wagtail-localize never writes into a language the owning site does not offer (issue #12).

Attacks by POST against "Übersetzungen aktualisieren" (update/sync translated pages) and
"Übersetzen" with crafted ``locales`` ids, as an office editor and as the coordinator,
after the office dropped Arabic; then the programmatic paths (``translate_object``, the
tree synchronisation). Each is judged by the database afterwards, never by status code.
"""

import pytest
from django.test import TestCase
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization, Translation, TranslationSource
from wagtail_localize.operations import translate_object

from directory.models import SelfHelpGroup, Topic
from home.models import StandardPage
from sites.translation_targets import LocaleNotOffered
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def set_languages(office, codes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.languages = codes
        office.save()


def new_group(office, name):
    group = SelfHelpGroup(
        name=name, office=office, rhythm="weekly", weekday=1, city="Berlin", description="Text"
    )
    group.save()
    return group


@pytest.fixture
def dropped_arabic(offices):
    """Alpha offered Arabic (its main pages and a group were translated), then dropped it."""
    alpha = offices["alpha"]
    set_languages(alpha, ["de", "en", "ar"])
    group = new_group(alpha, "Gesprächsgruppe Alpha")
    arabic = Locale.objects.get(language_code="ar")
    translate_object(group, [arabic])
    set_languages(alpha, ["de", "en"])
    kontakt = Page.objects.child_of(alpha.site.root_page).filter(slug="impressum").specific().get()
    return {"office": alpha, "arabic": arabic, "page": kontakt, "group": group}


def arabic_state(arabic):
    """What exists in Arabic: pages with their titles and revisions, groups, translations."""
    return (
        sorted(Page.objects.filter(locale=arabic).values_list("pk", "title", "latest_revision")),
        sorted(SelfHelpGroup.objects.filter(locale=arabic).values_list("pk", "name")),
        Translation.objects.filter(target_locale=arabic).count(),
    )


def source_of(instance):
    return TranslationSource.objects.get(
        object_id=instance.translation_key, locale_id=instance.locale_id
    )


def test_an_editors_sync_of_translated_pages_leaves_a_dropped_language_untouched(
    client, dropped_arabic
):
    page, arabic = dropped_arabic["page"], dropped_arabic["arabic"]
    english = Locale.objects.get(language_code="en")
    page.title = "Impressum (neu)"
    page.save_revision().publish()
    before = arabic_state(arabic)
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    editor.post(
        f"/admin/localize/update/{source_of(page).pk}/",
        {"publish_translations": "on", "locales": [arabic.pk, english.pk]},
    )
    assert arabic_state(arabic) == before
    assert page.get_translation(arabic).title != "Impressum (neu)"
    # The offered language is updated as before (the view still works).
    assert page.get_translation(english).title == "Impressum (neu)"


def test_a_crafted_submit_cannot_translate_a_page_into_a_language_the_site_dropped(
    client, dropped_arabic
):
    alpha, arabic = dropped_arabic["office"], dropped_arabic["arabic"]
    page = StandardPage(title="Neue Seite", slug="neue-seite")
    alpha.site.root_page.add_child(instance=page)
    page.save_revision().publish()
    before = arabic_state(arabic)
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    editor.post(
        f"/admin/localize/submit/page/{page.pk}/", {"locales": [arabic.pk], "include_subtree": "on"}
    )
    assert arabic_state(arabic) == before
    assert page.get_translation_or_none(arabic) is None


def test_the_coordinators_sync_and_submit_of_groups_stay_out_of_a_dropped_language(
    client, dropped_arabic
):
    alpha, arabic, group = (dropped_arabic[k] for k in ("office", "arabic", "group"))
    group.name = "Gesprächsgruppe Alpha (neu)"
    group.save()
    other = new_group(alpha, "Noch nicht übersetzt")
    before = arabic_state(arabic)
    coordinator = client_for(client, "coordinator", "land.localhost")
    coordinator.post(
        f"/admin/localize/update/{source_of(group).pk}/",
        {"publish_translations": "on", "locales": [arabic.pk]},
    )
    coordinator.post(
        f"/admin/localize/submit/snippet/directory/selfhelpgroup/{other.pk}/",
        {"locales": [arabic.pk]},
    )
    assert arabic_state(arabic) == before
    assert group.get_translation(arabic).name == "Gesprächsgruppe Alpha"
    assert other.get_translation_or_none(arabic) is None


def test_programmatic_translation_into_a_language_not_offered_is_refused(dropped_arabic):
    alpha, arabic = dropped_arabic["office"], dropped_arabic["arabic"]
    other = new_group(alpha, "Programmatisch")
    before = arabic_state(arabic)
    with pytest.raises(LocaleNotOffered):
        translate_object(other, [arabic])
    with pytest.raises(LocaleNotOffered):
        source_of(dropped_arabic["page"]).create_or_update_translation(arabic, fallback=True)
    assert arabic_state(arabic) == before
    # Topics are shared by the whole network: every language is a target.
    topic = Topic.objects.create(name="Testthema", slug="testthema")
    translate_object(topic, [arabic])
    assert topic.get_translation(arabic).name == "Testthema"


def test_tree_synchronisation_creates_aliases_only_in_the_sites_languages(dropped_arabic):
    from wagtail_localize import synctree

    alpha, arabic = dropped_arabic["office"], dropped_arabic["arabic"]
    english = Locale.objects.get(language_code="en")
    german = alpha.site.root_page.locale
    # bulk_create: without the save signal, which would synchronise every tree at once.
    LocaleSynchronization.objects.bulk_create(
        [
            LocaleSynchronization(locale=arabic, sync_from=german),
            LocaleSynchronization(locale=english, sync_from=german),
        ]
    )
    page = StandardPage(title="Synchron", slug="synchron")
    alpha.site.root_page.add_child(instance=page)
    synctree.after_create_page(None, page)
    assert page.get_translation_or_none(arabic) is None
    assert page.get_translation_or_none(english) is not None  # offered: aliased as before
    with pytest.raises(LocaleNotOffered):
        page.copy_for_translation(arabic, alias=True)
