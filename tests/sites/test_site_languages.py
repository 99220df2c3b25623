"""Languages per site (issue #12): each office chooses which content languages its site
offers; only those are served, switched to, named to search engines and offered as
translation targets, and adding one gives the office its locale root at once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Locale, Page

from sites import languages, seo
from sites.provisioning import OfficeSpec, ensure_locale_roots, provision_office
from sites.tenancy import site_languages
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def root_languages(office):
    return set(
        office.site.root_page.get_translations(inclusive=True).values_list(
            "locale__language_code", flat=True
        )
    )


def offer(office, *codes):
    """Add ``codes`` to the office's languages and save the profile, as the admin does
    (wagtail-localize publishes the new translations when the transaction commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        office.languages = [*office.languages, *codes]
        office.save()
    office.refresh_from_db()
    return office


def test_the_platform_knows_seven_content_languages_and_the_admin_two():
    from django.conf import settings

    assert languages.codes() == ["de", "en", "tr", "ar", "uk", "ru", "de-x-ls"]
    assert [code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["de", "en"]


def test_an_office_offers_german_and_english_unless_it_chooses_and_has_roots_only_for_them(
    offices,
):
    alpha = offices["alpha"]
    assert site_languages(alpha) == ["de", "en"]
    assert site_languages(alpha.site) == ["de", "en"]
    assert root_languages(alpha) == {"de", "en"}


def test_site_languages_come_in_settings_order_and_always_include_german(offices):
    alpha = offices["alpha"]
    alpha.languages = ["de-x-ls", "ar", "tr"]
    assert site_languages(alpha) == ["de", "tr", "ar", "de-x-ls"]


def test_the_profile_field_adds_german_and_refuses_an_unknown_language():
    field = languages.LanguagesFormField()
    assert field.clean(["ar", "en"]) == ["de", "en", "ar"]
    assert [code for code, _label in field.choices] == ["en", "tr", "ar", "uk", "ru", "de-x-ls"]
    with pytest.raises(ValidationError):
        field.clean(["xx"])


def test_the_office_profile_in_the_admin_offers_the_languages_as_checkboxes(client, offices):
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    url = reverse("wagtailsettings:edit", args=["sites", "office", offices["alpha"].site_id])
    html = editor.get(url).content.decode()
    assert 'name="languages" value="ar"' in html
    assert 'name="languages" value="de-x-ls"' in html
    assert 'name="languages" value="de"' not in html


def test_adding_a_language_creates_its_locale_root_and_main_pages_with_the_editors_rights(
    offices, users
):
    alpha = offices["alpha"]
    german_children = set(
        alpha.site.root_page.get_children().values_list("translation_key", flat=True)
    )
    offer(alpha, "ar")
    arabic = Locale.objects.get(language_code="ar")
    root = alpha.site.root_page.get_translation(arabic)
    assert root.live
    children = set(root.get_children().values_list("translation_key", flat=True))
    assert children == german_children
    assert root.get_children().count() == Page.objects.get(pk=root.pk).numchild
    editor = users["editor-alpha"]
    assert root.permissions_for_user(editor).can_edit()
    assert not root.permissions_for_user(users["editor-beta"]).can_edit()


def test_adding_languages_again_creates_nothing_twice(offices):
    alpha = offer(offices["alpha"], "tr")
    count = Page.objects.count()
    assert ensure_locale_roots(alpha) == []
    alpha.save()
    assert Page.objects.count() == count


def test_a_url_in_a_language_the_site_does_not_offer_answers_404(client, offices):
    visitor = client_for(client, None, "alpha.localhost")
    assert visitor.get("/en/").status_code == 200
    assert visitor.get("/ar/").status_code == 404
    assert visitor.get("/ar/impressum/").status_code == 404
    assert visitor.get("/de-x-ls/").status_code == 404


def test_a_language_whose_home_page_is_not_live_answers_404_not_the_german_page(client, offices):
    alpha = offices["alpha"]
    alpha.languages = [*alpha.languages, "tr"]
    alpha.save()  # the Turkish pages exist
    turkish = Locale.objects.get(language_code="tr")
    home = alpha.site.root_page.get_translation(turkish)
    home.unpublish()
    response = client_for(client, None, "alpha.localhost").get("/tr/")
    assert response.status_code == 404


def test_a_removed_language_is_hidden_and_its_pages_are_kept(client, offices):
    alpha = offices["alpha"]
    english = Locale.objects.get(language_code="en")
    english_pages = Page.objects.filter(locale=english)
    before = english_pages.count()
    alpha.languages = ["de"]
    alpha.save()
    visitor = client_for(client, None, "alpha.localhost")
    assert visitor.get("/en/").status_code == 404
    assert visitor.get("/en/kontakt/").status_code == 404
    assert visitor.get("/").status_code == 200
    assert english_pages.count() == before
    assert alpha.site.root_page.get_translation_or_none(english) is not None
    html = visitor.get("/kontakt/").content.decode()
    assert 'hreflang="en"' not in html
    assert "/sitemap-en.xml" not in visitor.get("/sitemap.xml").content.decode()
    assert visitor.get("/sitemap-en.xml").status_code == 404
    # Beta still offers English.
    assert client_for(client, None, "beta.localhost").get("/en/").status_code == 200


def test_arabic_pages_are_right_to_left_and_german_ones_left_to_right(client, offices):
    offer(offices["alpha"], "ar")
    visitor = client_for(client, None, "alpha.localhost")
    arabic = visitor.get("/ar/")
    assert arabic.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    assert '<html lang="de" dir="ltr">' in visitor.get("/").content.decode()


def test_german_text_on_an_untranslated_arabic_page_keeps_left_to_right(client, offices):
    offer(offices["alpha"], "ar")
    visitor = client_for(client, None, "alpha.localhost")
    html = visitor.get("/ar/kontakt/").content.decode()
    assert '<h1 lang="de" dir="ltr">' in html
    # Phone numbers and e-mail addresses read left to right in Arabic pages.
    assert '<a dir="ltr" href="tel:' in html and '<a dir="ltr" href="mailto:' in html
    # A German page needs no direction of its own for its German text.
    assert "<h1>" in visitor.get("/kontakt/").content.decode()


def test_the_switcher_names_only_the_sites_languages_each_in_itself(client, offices):
    offer(offices["alpha"], "ar", "de-x-ls")
    html = client_for(client, None, "alpha.localhost").get("/kontakt/").content.decode()
    assert 'lang="ar" hreflang="ar" dir="rtl"' in html
    assert ">العربية<" in html
    assert ">Leichte Sprache<" in html
    assert 'hreflang="tr"' not in html
    beta = client_for(client, None, "beta.localhost").get("/kontakt/").content.decode()
    assert ">العربية<" not in beta
    assert ">Leichte Sprache<" not in beta


def test_leichte_sprache_is_served_under_its_code_as_german_text_direction(client, offices):
    offer(offices["alpha"], "de-x-ls")
    response = client_for(client, None, "alpha.localhost").get("/de-x-ls/kontakt/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de-x-ls" dir="ltr">' in html
    # Its page holds Leichte Sprache content, not the German page under another address.
    assert response.context["page"].locale.language_code == "de-x-ls"


def test_leichte_sprache_stays_outside_the_hreflang_cluster():
    urls = {"de": "https://a/", "en": "https://a/en/", "de-x-ls": "https://a/de-x-ls/"}
    pairs = seo.alternates(urls, "de")
    assert ("de-x-ls", "https://a/de-x-ls/") not in pairs
    assert ("en", "https://a/en/") in pairs and ("x-default", "https://a/") in pairs
    assert seo.alternates(urls, "de-x-ls") == []
    assert seo.alternates({"de": "https://a/", "de-x-ls": "https://a/de-x-ls/"}, "de") == []


def test_the_sitemap_index_lists_one_sitemap_per_language_of_the_site(client, offices):
    offer(offices["alpha"], "tr")
    alpha = client_for(client, None, "alpha.localhost").get("/sitemap.xml").content.decode()
    assert "http://alpha.localhost/sitemap-tr.xml" in alpha
    assert "sitemap-ar.xml" not in alpha
    beta = client_for(client, None, "beta.localhost")
    assert "sitemap-tr.xml" not in beta.get("/sitemap.xml").content.decode()
    assert beta.get("/sitemap-tr.xml").status_code == 404
    assert beta.get("/sitemap-xx.xml").status_code == 404


def test_editors_are_offered_only_their_sites_languages_as_translation_targets(offices):
    from wagtail_localize.views.submit_translations import SubmitTranslationForm

    from directory.models import Topic

    alpha = offer(offices["alpha"], "ru", "uk")
    page = Page.objects.child_of(alpha.site.root_page).filter(slug="kontakt").first()
    ensure_locale_roots(alpha)
    form = SubmitTranslationForm(page)
    codes = {locale.language_code for locale in form.fields["locales"].queryset}
    assert codes <= {"ru", "uk"}
    assert "ar" not in codes and "tr" not in codes
    topic = Topic.objects.filter(locale__language_code="de").first()
    if topic is None:
        topic = Topic.objects.create(name="Sucht", slug="sucht")
    topic_codes = {
        locale.language_code for locale in SubmitTranslationForm(topic).fields["locales"].queryset
    }
    assert {"tr", "ar", "uk", "ru", "de-x-ls"} <= topic_codes


def test_a_translation_into_a_language_the_site_does_not_offer_is_refused(client, offices):
    alpha = offices["alpha"]
    page = Page.objects.child_of(alpha.site.root_page).filter(slug="impressum").first()
    arabic = Locale.objects.get(language_code="ar")
    editor = client_for(client, "editor-alpha", "alpha.localhost")
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    response = editor.post(url, {"locales": [arabic.pk]})
    assert response.status_code == 200  # the form again, with its error
    assert page.get_translation_or_none(arabic) is None
    assert alpha.site.root_page.get_translation_or_none(arabic) is None


def test_provisioning_creates_locale_roots_only_for_the_chosen_languages(db):
    office = provision_office(
        OfficeSpec(hostname="gamma.localhost", name="Gamma", languages=["tr", "de-x-ls"])
    )
    assert office.languages == ["de", "tr", "de-x-ls"]
    assert root_languages(office) == {"de", "tr", "de-x-ls"}


def test_provisioning_refuses_an_unknown_language_and_creates_nothing(db):
    sites_before = Page.objects.count()
    with pytest.raises(ValidationError) as error:
        provision_office(OfficeSpec(hostname="delta.localhost", name="Delta", languages=["xx"]))
    assert "languages" in error.value.message_dict
    assert Page.objects.count() == sites_before


def test_the_migration_keeps_each_office_at_the_languages_it_has_roots_for(offices):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sites.migrations.0008_office_languages")
    alpha = offices["alpha"]
    alpha.languages = ["de"]
    alpha.save(update_fields=["languages"])
    migration.languages_from_locale_roots(apps, None)
    alpha.refresh_from_db()
    assert alpha.languages == ["de", "en"]


def test_the_demo_offers_the_districts_languages():
    from sites import demo

    specs = {spec.hostname.split(".")[0]: spec for spec, _welcome in demo.office_specs(8000)}
    assert specs["neukoelln"].languages == ["de", "en", "tr", "ar", "de-x-ls"]
    assert specs["marzahn-hellersdorf"].languages == ["de", "en", "ru", "uk", "de-x-ls"]
    assert specs["pankow"].languages == ["de", "en", "de-x-ls"]
    assert specs["sekis"].languages == ["de", "en", "de-x-ls"]
