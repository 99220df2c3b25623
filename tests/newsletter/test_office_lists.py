"""Offices run newsletter lists of their own: their staff create and edit them and see their
subscribers, and reach neither another office's lists nor the state-wide ones."""

import pytest
from django.urls import reverse

from newsletter.models import MailingList, Subscription
from tests.conftest import client_for

from .conftest import assert_denied, make_subscriber

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtailsnippets_newsletter_mailinglist:{name}", args=args)


def list_form(office, name="Selbsthilfe-Post Alpha", **extra):
    return {
        "office": office.pk,
        "name": name,
        "description": "Neuigkeiten aus unserer Kontaktstelle",
        "from_name": "",
        "is_active": "on",
        **extra,
    }


@pytest.fixture
def beta_list(offices):
    return MailingList.objects.create(office=offices["beta"], name="Beta-Brief")


@pytest.fixture
def editor_b(client):
    return client_for(client, "editor-beta", "beta.localhost")


def _snapshot():
    return sorted(
        MailingList.objects.values_list("pk", "office_id", "name", "description", "is_active")
    )


def test_an_office_editor_creates_a_list_for_their_own_office(editor_a, offices, state_list):
    form = editor_a.get(url("add"))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Kontaktstelle Alpha" in html
    assert "Landeskoordination Test" not in html and "Kontaktstelle Beta" not in html
    response = editor_a.post(url("add"), list_form(offices["alpha"]))
    assert response.status_code == 302
    created = MailingList.objects.get(name="Selbsthilfe-Post Alpha")
    assert created.office == offices["alpha"]
    assert created in MailingList.offered_on(offices["alpha"].site)


def test_an_office_editor_cannot_create_a_list_for_another_office(editor_a, offices):
    for office in (offices["beta"], offices["state"]):
        before = _snapshot()
        response = editor_a.post(url("add"), list_form(office, name=f"Fremd {office.pk}"))
        assert response.status_code == 200  # the form again, with an error on "office"
        assert "error" in response.content.decode()
        assert _snapshot() == before


def test_an_office_editor_lists_and_edits_only_their_own_lists(
    editor_a, offices, alpha_list, beta_list, state_list
):
    index = editor_a.get(url("list")).content.decode()
    assert alpha_list.name in index
    assert beta_list.name not in index and state_list.name not in index
    response = editor_a.post(
        url("edit", alpha_list.pk),
        list_form(offices["alpha"], name="Neues aus Alpha (monatlich)"),
    )
    assert response.status_code == 302
    alpha_list.refresh_from_db()
    assert alpha_list.name == "Neues aus Alpha (monatlich)"


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_offices_editor_cannot_reach_alphas_list(editor_b, offices, alpha_list, view):
    before = _snapshot()
    target = url(view, alpha_list.pk)
    assert_denied(editor_b.get(target))
    assert_denied(editor_b.post(target, list_form(offices["beta"], name="Gekapert")))
    assert _snapshot() == before


def test_an_office_editor_cannot_touch_the_state_wide_list(editor_a, offices, state_list):
    before = _snapshot()
    assert_denied(editor_a.get(url("edit", state_list.pk)))
    response = editor_a.post(
        url("edit", state_list.pk), list_form(offices["state"], name="Landesnewsletter neu")
    )
    assert_denied(response)
    assert_denied(editor_a.post(url("edit", state_list.pk), list_form(offices["alpha"])))
    assert _snapshot() == before


def test_the_coordination_still_manages_every_list(
    coordinator_client, offices, alpha_list, beta_list, state_list
):
    index = coordinator_client.get(url("list")).content.decode()
    assert alpha_list.name in index and beta_list.name in index and state_list.name in index
    response = coordinator_client.post(
        url("edit", beta_list.pk), list_form(offices["beta"], name="Beta-Brief neu")
    )
    assert response.status_code == 302
    assert MailingList.objects.get(pk=beta_list.pk).name == "Beta-Brief neu"


def test_an_office_sees_the_subscribers_of_its_own_lists_only(
    client, alpha_list, beta_list, state_list
):
    both = make_subscriber("both@example.org", alpha_list)
    make_subscriber("state-only@example.org", state_list)
    make_subscriber("beta-only@example.org", beta_list)
    consent = both.subscriptions.get().consent_text
    Subscription.objects.create(
        subscriber=both,
        mailing_list=state_list,
        status="confirmed",
        requested_at=both.created_at,
        consent_text=consent,
        consent_version=consent.version,
        consent_copy=consent.text,
    )
    editor_a = client_for(client, "editor-alpha", "alpha.localhost")
    index = editor_a.get("/admin/newsletter/abonnenten/").content.decode()
    assert "both@example.org" in index
    assert "state-only@example.org" not in index and "beta-only@example.org" not in index
    detail = editor_a.get(f"/admin/newsletter/abonnenten/{both.pk}/").content.decode()
    assert alpha_list.name in detail and state_list.name not in detail
    assert "Daten exportieren" not in detail and "Alle Daten löschen" not in detail
    assert_denied(editor_a.get(f"/admin/newsletter/abonnenten/{both.pk}/export/"))
    assert_denied(editor_a.post(f"/admin/newsletter/abonnenten/{both.pk}/loeschen/"))
    assert both.subscriptions.count() == 2
    client.logout()
    editor_b = client_for(client, "editor-beta", "beta.localhost")
    index = editor_b.get("/admin/newsletter/abonnenten/").content.decode()
    assert "both@example.org" not in index and "beta-only@example.org" in index
    assert_denied(editor_b.get(f"/admin/newsletter/abonnenten/{both.pk}/"))


def test_existing_offices_get_the_new_permissions_by_migration(offices):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="KS Alpha – Redaktion")
    codenames = ["add_mailinglist", "change_mailinglist", "view_mailinglist", "view_subscriber"]
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="newsletter", codename__in=codenames)
    )
    migration = import_module("newsletter.migrations.0003_offices_manage_their_lists")
    migration.grant(apps, None)
    granted = set(
        group.permissions.filter(content_type__app_label="newsletter").values_list(
            "codename", flat=True
        )
    )
    assert set(codenames) <= granted
    assert "delete_subscriber" not in granted


def test_the_list_chooser_offers_and_names_only_the_users_own_lists(
    editor_a, alpha_list, beta_list, state_list
):
    base = "/admin/snippets/choose/newsletter/mailinglist/"
    html = editor_a.get(base).content.decode()
    assert alpha_list.name in html
    assert beta_list.name not in html and state_list.name not in html
    assert editor_a.get(f"{base}chosen/{alpha_list.pk}/").status_code == 200
    assert editor_a.get(f"{base}chosen/{beta_list.pk}/").status_code == 404
    own = editor_a.get(f"{base}chosen-multiple/", {"id": [alpha_list.pk]})
    assert alpha_list.name in own.content.decode()
    # Asking for another office's list among one's own is refused as a whole (side doors).
    multiple = editor_a.get(f"{base}chosen-multiple/", {"id": [alpha_list.pk, beta_list.pk]})
    assert multiple.status_code == 404
    assert beta_list.name not in multiple.content.decode()
