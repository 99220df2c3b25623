"""A new office's legal pages, seen in Chromium: straight after ``create_office`` the
Impressum, the privacy notice and the accessibility statement show no placeholder to
anybody (they are drafts, the public gets a 404 and the footer does not link them); the
office's editor is told on the dashboard and in the profile what is missing, fills the
profile in the browser, and each page goes live as soon as its data is there, written
from the profile.

Screenshots land in ``screenshots/legal-*.png``.
"""

import io
import re

import pytest

from tests.browser.conftest import SCREENSHOTS, WRITING_JOURNEY, log_in, visitor

pytestmark = WRITING_JOURNEY

HOST = "kiss-neuland.localhost"
NAME = "KISS Neuland"
EDITOR = "redaktion-neuland"
SLUGS = ("impressum", "datenschutz", "barrierefreiheit")
# "[Anschrift ergänzen]", "[bitte ergänzen]", "ergänzen]" and the like, in any language.
PLACEHOLDER = re.compile(r"\[[^\]]*\]|erg(ä|ae)nzen|to be completed|TODO", re.IGNORECASE)
PROFILE = {
    "street": "Am Anger 7",
    "postcode": "12555",
    "city": "Berlin",
    "phone": "030 5550123",
    "organisation": "Nachbarschaftshilfe Neuland e. V.",
    "representative": "Vorstand: Jana Kowalski",
    "content_responsible": "Tarek Haddad",
}
EMAIL = "kontakt@kiss-neuland.example.de"


def _counts():
    """Row counts of everything provisioning creates, to check the clean-up."""
    from django.contrib.auth.models import Group
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        GroupSitePermission,
        Page,
        Site,
        Task,
        Workflow,
    )

    from sites.models import Office

    return {
        model.__name__: model.objects.count()
        for model in (
            Site,
            Page,
            Office,
            Collection,
            Group,
            GroupPagePermission,
            GroupCollectionPermission,
            GroupSitePermission,
            Workflow,
            Task,
        )
    }


@pytest.fixture(scope="module")
def new_office(browser_site, django_db_blocker):
    """An office as ``create_office`` leaves it (hostname and name, nothing else) with an
    editor in its groups; removed completely afterwards."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from wagtail.models import Collection, Page, Site, Workflow

    from sites.provisioning import office_groups
    from sites.review import office_workflow_name
    from tests.conftest import PASSWORD

    with django_db_blocker.unblock():
        before = _counts()
        call_command("create_office", "--hostname", HOST, "--name", NAME, stdout=io.StringIO())
        site = Site.objects.get(hostname=HOST)
        office = site.office
        user = get_user_model().objects.create_user(EDITOR, "neuland@example.org", PASSWORD)
        user.groups.add(*office_groups(office))
    try:
        yield office
    finally:
        with django_db_blocker.unblock():
            from django.contrib.sessions.models import Session

            Session.objects.all().delete()
            office.refresh_from_db()
            user.delete()
            groups = office_groups(office)
            workflow = Workflow.objects.get(name=office_workflow_name(office))
            tasks = [wt.task for wt in workflow.workflow_tasks.all()]
            homes = list(Page.objects.filter(translation_key=site.root_page.translation_key))
            collection = Collection.objects.get(pk=office.collection_id)
            site.delete()  # and the office profile with it
            for home in sorted(homes, key=lambda p: -p.pk):
                Page.objects.get(pk=home.pk).delete()
            workflow.delete()
            for task in tasks:
                task.specific.delete()
            for group in groups:
                group.delete()
            collection.delete()
            Site.clear_site_root_paths_cache()
            assert _counts() == before


def _legal_pages_as_the_public_sees_them(chromium, browser_site, screenshot):
    """``{path: (status, text)}`` of the legal pages in German and English."""
    context, page, base = visitor(chromium, browser_site, HOST)
    seen = {}
    for prefix in ("", "/en"):
        for slug in SLUGS:
            response = page.goto(f"{base}{prefix}/{slug}/")
            seen[f"{prefix}/{slug}/"] = (response.status, page.inner_text("body"))
    page.goto(f"{base}/{SLUGS[0]}/")
    page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=True)
    page.goto(f"{base}/")
    home = page.inner_text("body")
    footer_links = page.locator("footer a").evaluate_all("links => links.map(a => a.pathname)")
    # No link of the new site leads nowhere either.
    hrefs = page.locator("a[href]").evaluate_all(
        "links => links.filter(a => a.origin === location.origin).map(a => a.href)"
    )
    broken = {
        href: page.evaluate("href => fetch(href).then(response => response.status)", href)
        for href in set(hrefs)
    }
    context.close()
    assert not {href: status for href, status in broken.items() if status != 200}
    return seen, home, footer_links


def _save_profile(page):
    with page.expect_navigation():
        page.locator("footer button[type=submit]").first.click()
    assert page.locator(".messages .error, .w-field--error, .error-message").count() == 0, (
        page.inner_text("main")[:2000]
    )


def test_a_new_office_never_shows_a_placeholder_and_its_legal_pages_go_live_with_the_profile(
    chromium, browser_site, new_office, django_db_blocker
):
    from wagtail.models import Page

    # Straight after provisioning: nothing unfinished is public.
    seen, home, footer_links = _legal_pages_as_the_public_sees_them(
        chromium, browser_site, "legal-new-office-impressum.png"
    )
    for path, (status, text) in seen.items():
        assert status == 404, path
        assert not PLACEHOLDER.search(text), (path, PLACEHOLDER.search(text))
    assert not PLACEHOLDER.search(home)
    assert not {f"/{slug}/" for slug in SLUGS} & set(footer_links), footer_links

    # The editor is told what is missing, on the dashboard and in the profile.
    context, page, base = log_in(chromium, browser_site, EDITOR, HOST)
    panel = page.locator(f"[data-incomplete-office='{new_office.pk}']")
    page.screenshot(path=str(SCREENSHOTS / "legal-dashboard.png"), full_page=True)
    told = panel.inner_text()
    for label in ("Träger", "Straße und Hausnummer", "E-Mail", "Verantwortlich für den Inhalt"):
        assert label in told, told
    with page.expect_navigation():
        panel.get_by_role("link", name="Profil vervollständigen").click()
    page.get_by_role("tab", name="Impressum").click()
    status = page.locator("[data-legal-status]")
    assert "Es fehlen noch" in status.inner_text()
    assert "Vertretungsberechtigt" in status.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "legal-profile-missing.png"), full_page=True)

    # Only the e-mail address first: the accessibility statement needs nothing more.
    page.get_by_role("tab", name="Profil").click()
    page.fill("input[name=email]", EMAIL)
    _save_profile(page)
    with django_db_blocker.unblock():
        german = Page.objects.child_of(new_office.site.root_page)
        assert german.get(slug="barrierefreiheit").live
        assert not german.get(slug="impressum").live
        assert not german.get(slug="datenschutz").live
    seen, _home, _links = _legal_pages_as_the_public_sees_them(
        chromium, browser_site, "legal-partial-impressum.png"
    )
    assert seen["/barrierefreiheit/"][0] == 200
    assert seen["/impressum/"][0] == 404 and seen["/datenschutz/"][0] == 404
    for path, (_status, text) in seen.items():
        assert not PLACEHOLDER.search(text), (path, PLACEHOLDER.search(text))

    # Then the rest of the profile, on its two tabs.
    page.get_by_role("tab", name="Profil").click()
    for field in ("street", "postcode", "city", "phone"):
        page.fill(f"input[name={field}]", PROFILE[field])
    page.get_by_role("tab", name="Impressum").click()
    for field in ("organisation", "representative", "content_responsible"):
        page.fill(f"[name={field}]", PROFILE[field])
    _save_profile(page)
    page.get_by_role("tab", name="Impressum").click()
    assert "Alle Angaben für Impressum" in page.locator("[data-legal-status]").inner_text()
    page.goto(f"{base}/admin/")
    assert page.locator(f"[data-incomplete-office='{new_office.pk}']").count() == 0
    context.close()

    with django_db_blocker.unblock():
        for home in new_office.site.root_page.get_translations(inclusive=True):
            pages = Page.objects.child_of(home).filter(slug__in=SLUGS)
            assert sorted(pages.filter(live=True).values_list("slug", flat=True)) == sorted(
                SLUGS
            ), home.locale

    seen, home, footer_links = _legal_pages_as_the_public_sees_them(
        chromium, browser_site, "legal-complete-impressum.png"
    )
    for path, (status, text) in seen.items():
        assert status == 200, path
        assert not PLACEHOLDER.search(text), (path, PLACEHOLDER.search(text))
    impressum = seen["/impressum/"][1]
    for fact in (
        PROFILE["organisation"],
        "Am Anger 7",
        "12555 Berlin",
        PROFILE["representative"],
        PROFILE["content_responsible"],
        EMAIL,
        PROFILE["phone"],
    ):
        assert fact in impressum, fact
    assert PROFILE["organisation"] in seen["/datenschutz/"][1]
    assert {f"/{slug}/" for slug in SLUGS} <= set(footer_links), footer_links
