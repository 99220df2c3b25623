"""An office's staff reach their own office's groups and requests through the admin, and
nothing of another office, whatever URL they try."""

import datetime

import pytest
from django.urls import get_resolver, reverse

from directory.models import ContactRequest, SelfHelpGroup, Topic
from sites.models import Office

from .conftest import group

pytestmark = pytest.mark.django_db

EXTRA_KWARGS = {
    "revision_id": None,  # filled in with a real revision of the object
    "revision_id_a": "earliest",
    "revision_id_b": "latest",
    "action_name": "approve",
    "task_state_id": 1,
    "workflow_state_id": 1,
    "task_id": 1,
}


def object_urls(namespace, obj, revision_id):
    """Every URL of ``namespace`` that names an object, filled in for ``obj``."""
    resolver = get_resolver()
    urls = []
    namespace_resolver = resolver.namespace_dict[namespace][1]
    for name, entries in namespace_resolver.reverse_dict.lists():
        if not isinstance(name, str):
            continue
        for possibilities, _pattern, _defaults, _converters in entries:
            params = set(possibilities[0][1])
            if "pk" not in params:
                continue
            kwargs = {"pk": obj.pk}
            for param in params - {"pk"}:
                kwargs[param] = revision_id if param == "revision_id" else EXTRA_KWARGS[param]
            urls.append((name, reverse(f"{namespace}:{name}", kwargs=kwargs)))
    return sorted(set(urls))


@pytest.fixture
def beta_group_with_revision():
    beta_group = group("Trauercafé Beta")
    revision = beta_group.save_revision()
    return beta_group, revision


def test_every_admin_url_of_another_office_s_group_is_forbidden(editor_a, beta_group_with_revision):
    beta_group, revision = beta_group_with_revision
    urls = object_urls("directory_groups", beta_group, revision.pk)
    names = {name for name, _url in urls}
    assert {
        "edit",
        "delete",
        "copy",
        "history",
        "usage",
        "inspect",
        "revisions_view",
        "revisions_revert",
        "revisions_compare",
        "unpublish",
        "preview_on_edit",
        "lock",
        "unlock",
        "workflow_history",
        "workflow_action",
    } <= names
    for name, url in urls:
        for method in (editor_a.get, editor_a.post):
            assert method(url).status_code == 404, (name, url)
    beta_group.refresh_from_db()
    assert beta_group.live and beta_group.locked is False


def test_an_editor_reaches_every_admin_view_of_an_own_group(editor_a):
    own = group("Trockene Alkoholiker Wedding")
    revision = own.save_revision()
    for name in ("edit", "history", "inspect", "usage", "copy", "delete"):
        url = reverse(f"directory_groups:{name}", args=[own.pk])
        assert editor_a.get(url).status_code == 200, name
    view = reverse("directory_groups:revisions_view", args=[own.pk, revision.pk])
    assert editor_a.get(view).status_code == 200


def test_the_admin_list_shows_only_the_own_office_s_groups(editor_a):
    html = editor_a.get(reverse("directory_groups:list")).content.decode()
    assert "Trockene Alkoholiker Wedding" in html
    assert "Trauercafé Beta" not in html
    html = editor_a.get(reverse("directory_groups:list"), {"q": "Trauer"}).content.decode()
    assert "Trauercafé Beta" not in html


def test_the_admin_list_filters_by_stale_and_status(client):
    from tests.conftest import client_for

    coordinator = client_for(client, "coordinator", "land.localhost")
    url = reverse("directory_groups:list")
    html = coordinator.get(url, {"stale": "true"}).content.decode()
    assert "Trauercafé Beta" in html and "Spielerselbsthilfe Beta" in html
    assert "Trockene Alkoholiker Wedding" not in html
    html = coordinator.get(url, {"status": "founding"}).content.decode()
    assert "Depression gemeinsam tragen" in html and "Trauercafé Beta" not in html


def test_the_create_form_offers_only_the_own_office(editor_a, offices):
    html = editor_a.get(reverse("directory_groups:add")).content.decode()
    assert "Kontaktstelle Alpha" in html
    assert "Kontaktstelle Beta" not in html


def test_an_editor_cannot_create_a_group_for_another_office(editor_a, offices):
    topic = Topic.objects.get(slug="trauer", locale__language_code="de")
    data = {
        "kind": "group",
        "status": "active",
        "name": "Untergeschobene Gruppe",
        "office": offices["beta"].pk,
        "topics": [topic.pk],
        "audience": "affected",
        "language_choices": ["de"],
        "rhythm": "by_arrangement",
        "format": "in_person",
        "new_members_welcome": "on",
    }
    response = editor_a.post(reverse("directory_groups:add"), data)
    assert response.status_code == 200  # form shown again with the error
    assert not SelfHelpGroup.objects.filter(name="Untergeschobene Gruppe").exists()
    data["office"] = offices["alpha"].pk
    response = editor_a.post(reverse("directory_groups:add"), data)
    assert response.status_code == 302
    created = SelfHelpGroup.objects.get(name="Untergeschobene Gruppe")
    assert created.office == offices["alpha"]
    assert not created.live  # saved as a draft: reviewed before it goes live


def test_an_editor_only_in_the_redaktion_group_cannot_publish(client, offices):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.permissions import policy_registry

    from tests.conftest import PASSWORD, client_for

    user = get_user_model().objects.create_user("nur-redaktion", "r@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="KS Alpha – Redaktion"))
    own = group("Trockene Alkoholiker Wedding")
    policy = policy_registry.get_by_type(SelfHelpGroup)
    assert policy.user_has_permission_for_instance(user, "change", own)
    assert not policy.user_has_permission_for_instance(user, "publish", own)
    redakteur = client_for(client, "nur-redaktion")
    html = redakteur.get(reverse("directory_groups:edit", args=[own.pk])).content.decode()
    assert 'name="action-publish"' not in html
    data = {
        "kind": "group",
        "status": "active",
        "name": "Neuer Name ungeprüft",
        "office": own.office_id,
        "audience": own.audience,
        "language_choices": ["de"],
        "rhythm": own.rhythm,
        "weekday": own.weekday,
        "format": own.format,
        "action-publish": "action-publish",
    }
    redakteur.post(reverse("directory_groups:edit", args=[own.pk]), data)
    own.refresh_from_db()
    assert own.name == "Trockene Alkoholiker Wedding"  # live data unchanged


def test_offices_cannot_change_the_topic_list_coordinators_can(editor_a, client):
    from tests.conftest import assert_refused, client_for

    topic = Topic.objects.get(slug="trauer", locale__language_code="de")
    before = Topic.objects.count()
    assert_refused(editor_a.get(reverse("directory_topics:edit", args=[topic.pk])))
    assert_refused(editor_a.get(reverse("directory_topics:add")))
    assert_refused(editor_a.post(reverse("directory_topics:add"), {"name": "Neu", "slug": "neu"}))
    assert Topic.objects.count() == before
    editor_a.logout()
    coordinator = client_for(client, "coordinator", "land.localhost")
    assert coordinator.get(reverse("directory_topics:edit", args=[topic.pk])).status_code == 200
    beta_group = group("Trauercafé Beta")
    assert (
        coordinator.get(reverse("directory_groups:edit", args=[beta_group.pk])).status_code == 200
    )


def test_contact_requests_are_visible_only_to_the_responsible_office(client, offices):
    from tests.conftest import client_for

    beta_group = group("Trauercafé Beta")
    request = ContactRequest.objects.create(
        group=beta_group,
        group_name=beta_group.name,
        office=offices["beta"],
        name="Anfragende Person",
        email="anfrage@example.org",
        message="Ich möchte kommen.",
        consent_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    alpha = client_for(client, "editor-alpha")
    assert "Anfragende Person" not in alpha.get(reverse("directory_requests:list")).content.decode()
    for name, url in object_urls("directory_requests", request, 1):
        assert alpha.get(url).status_code == 404, name
        assert alpha.post(url).status_code == 404, name
    assert ContactRequest.objects.filter(pk=request.pk, name="Anfragende Person").exists()
    alpha.logout()
    coordinator = client_for(client, "coordinator", "land.localhost")
    assert (
        "Anfragende Person"
        not in coordinator.get(reverse("directory_requests:list")).content.decode()
    )
    assert (
        coordinator.get(reverse("directory_requests:inspect", args=[request.pk])).status_code == 404
    )
    coordinator.logout()
    beta = client_for(client, "editor-beta", "beta.localhost")
    assert "Anfragende Person" in beta.get(reverse("directory_requests:list")).content.decode()
    assert beta.get(reverse("directory_requests:inspect", args=[request.pk])).status_code == 200


def test_the_offices_whose_groups_a_user_sees_follow_the_site_permissions(users, offices):
    from sites.tenancy import visible_offices

    assert list(visible_offices(users["editor-alpha"], SelfHelpGroup)) == [offices["alpha"]]
    assert set(visible_offices(users["coordinator"], SelfHelpGroup)) == set(Office.objects.all())
    assert set(visible_offices(users["root"], SelfHelpGroup)) == set(Office.objects.all())


def test_the_snippet_chooser_offers_only_the_own_office_s_groups(editor_a):
    url = reverse("wagtailsnippetchoosers_directory_selfhelpgroup:choose_results")
    html = editor_a.get(url).content.decode()
    assert "Trockene Alkoholiker Wedding" in html
    assert "Trauercafé Beta" not in html
