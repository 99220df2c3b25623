"""A refused admin URL answers in the admin's layout, not with the public site's
"Seite nicht gefunden": the same page Wagtail shows for an admin object that does not
exist, so it does not tell whether another office's object exists. Public URLs and
visitors keep the public error pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from home.models import StandardPage
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _main(response):
    """The visible text of an error page, without the tokens that change per request."""
    html = response.content.decode()
    return re.sub(r'value="[^"]*"', "", html)


def test_another_office_s_page_edit_url_answers_the_admin_404_and_changes_nothing(
    editor_a, offices
):
    page = StandardPage(title="Beta intern Planung", slug="beta-intern", intro="Nur Beta.")
    offices["beta"].site.root_page.add_child(instance=page)
    revisions = page.revisions.count()

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = editor_a.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fehler 404" in html and "page404__bg" in html  # Wagtail's admin layout
    assert 'href="/admin/"' in html  # back to the dashboard
    assert "Seite nicht gefunden</h1>" not in html  # not the public page
    assert "Beta intern" not in html
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )

    # A page that does not exist at all answers the very same page.
    missing = editor_a.get(reverse("wagtailadmin_pages:edit", args=[999999]))
    assert missing.status_code == 404
    assert _main(missing) == _main(response)

    # A forged save is refused the same way, and the page is as it was.
    response = editor_a.post(url, {"title": "Übernommen", "slug": "uebernommen"})
    assert response.status_code == 404 and "Fehler 404" in response.content.decode()
    page = Page.objects.get(pk=page.pk)
    assert page.title == "Beta intern Planung" and page.revisions.count() == revisions


def test_a_report_kept_for_superusers_answers_the_admin_403(editor_a):
    response = editor_a.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Fehler 403" in html and "page404__bg" in html
    assert "Sie haben keinen Zugriff auf diesen Bereich." in html
    assert 'href="/admin/"' in html


def test_public_urls_and_visitors_keep_the_public_error_pages(editor_a):
    visitor = client_for(Client(), None, "alpha.localhost")
    for client in (visitor, editor_a):
        response = client.get("/gibt-es-nicht/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "Seite nicht gefunden" in html and "page404__bg" not in html
    # A visitor is sent to the admin's login, as before, and learns nothing else.
    response = visitor.get(reverse("wagtailadmin_pages:edit", args=[1]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
