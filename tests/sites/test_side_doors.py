"""Each side door of Wagtail's admin that showed another office's data, closed.

The objects and their markers come from ``attack_world``: Beta's and the state office's
pages (a pending draft, locked and in moderation; a page never published), groups,
contact requests, lists, subscribers, registrations, images and documents. The attackers
are Alpha's "Redaktion" member (``editor``), Alpha's "Freigabe" member (``publisher``)
and the coordinator. A refusal is checked by what the response shows and by the database
afterwards, never by the status code alone.
"""

import re

import pytest
from django.urls import reverse

from .attack_world import body_of, client_for

pytestmark = pytest.mark.django_db


def shows_no_foreign_marker(world, role, response):
    own = {"coordinator": "state"}.get(role, "alpha")
    body = body_of(response)
    leaked = [m for m in world.forbidden_markers(role, own) if m in body]
    assert not leaked, (response.status_code, leaked[:5])


def beta(world, kind):
    return world.bundles["beta"][kind]


def state(world, kind):
    return world.bundles["state"][kind]


@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_explorer_opened_on_another_offices_page_shows_nothing_of_it(world, role):
    client = client_for(world, role)
    for page in (beta(world, "wagtailcore.page"), state(world, "wagtailcore.page")):
        if role == "coordinator" and page == state(world, "wagtailcore.page"):
            continue
        for url in (f"/admin/pages/{page}/", f"/admin/pages/{page}/results/"):
            response = client.get(url)
            assert response.status_code == 404
            shows_no_foreign_marker(world, role, response)


@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_page_chooser_opened_on_another_offices_page_shows_nothing_of_it(world, role):
    client = client_for(world, role)
    response = client.get(f"/admin/choose-page/{beta(world, 'wagtailcore.page')}/")
    assert response.status_code == 404
    shows_no_foreign_marker(world, role, response)


@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_page_choosers_chosen_multiple_does_not_name_another_offices_pages(world, role):
    from wagtail.models import Page

    hidden = Page.objects.get(slug="matrix-entwurf-beta")
    response = client_for(world, role).get(
        "/admin/choose-page/chosen-multiple/", {"id": [hidden.pk]}
    )
    assert response.status_code == 404
    shows_no_foreign_marker(world, role, response)


def _items(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


BULK = [
    ("wagtailcore", "page", "delete", "wagtailcore.page"),
    ("directory", "selfhelpgroup", "delete", "directory.selfhelpgroup"),
    ("directory", "contactrequest", "delete", "directory.contactrequest"),
    ("newsletter", "mailinglist", "delete", "newsletter.mailinglist"),
    ("wagtailimages", "image", "delete", "wagtailimages.image"),
    ("wagtaildocs", "document", "delete", "wagtaildocs.document"),
]


@pytest.mark.parametrize(("app_label", "model_name", "action", "kind"), BULK)
def test_a_bulk_action_confirmation_does_not_name_another_offices_objects(
    world, app_label, model_name, action, kind
):
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    url = f"/admin/bulk/{app_label}/{model_name}/{action}/"
    for role in ("editor", "publisher"):
        client = client_for(world, role)
        pk = beta(world, kind)
        response = client.get(url, {"id": pk})
        assert response.status_code == 404
        shows_no_foreign_marker(world, role, response)
        response = client.post(f"{url}?id={pk}")
        assert response.status_code == 404
        assert model._default_manager.filter(pk=pk).exists()


def test_the_bulk_delete_confirmation_does_not_name_another_offices_contact_requests(world):
    from directory.models import ContactRequest

    pk = beta(world, "directory.contactrequest")
    client = client_for(world, "coordinator")
    response = client.get("/admin/bulk/directory/contactrequest/delete/", {"id": pk})
    shows_no_foreign_marker(world, "coordinator", response)
    client.post(f"/admin/bulk/directory/contactrequest/delete/?id={pk}")
    assert ContactRequest.objects.filter(pk=pk).exists()


def test_selecting_all_for_a_bulk_action_names_only_the_users_own_objects(world):
    client = client_for(world, "editor")
    response = client.get("/admin/bulk/directory/contactrequest/delete/", {"id": "all"})
    shows_no_foreign_marker(world, "editor", response)
    response = client.get("/admin/bulk/newsletter/mailinglist/delete/", {"id": "all"})
    shows_no_foreign_marker(world, "editor", response)


@pytest.mark.parametrize("endpoint", ["images", "documents", "pages"])
@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_admin_api_lists_and_finds_nothing_of_another_office(world, role, endpoint):
    kind = {
        "images": "wagtailimages.image",
        "documents": "wagtaildocs.document",
        "pages": "wagtailcore.page",
    }[endpoint]
    client = client_for(world, role)
    base = f"/admin/api/main/{endpoint}/"
    listing = client.get(base, {"limit": 20})
    assert listing.status_code == 200
    shows_no_foreign_marker(world, role, listing)
    ids = {item["id"] for item in listing.json()["items"]}
    assert beta(world, kind) not in ids
    shows_no_foreign_marker(world, role, client.get(base, {"search": "mrk"}))
    detail = client.get(f"{base}{beta(world, kind)}/")
    assert detail.status_code == 404
    shows_no_foreign_marker(world, role, detail)


def test_the_admin_api_renders_no_thumbnails_of_another_offices_images(world):
    from wagtail.images.models import Rendition

    before = Rendition.objects.filter(image_id=beta(world, "wagtailimages.image")).count()
    client = client_for(world, "editor")
    response = client.get("/admin/api/main/images/", {"fields": "thumbnail"})
    assert response.status_code == 200
    after = Rendition.objects.filter(image_id=beta(world, "wagtailimages.image")).count()
    assert after == before


def test_the_snippet_choosers_show_no_contact_request_of_an_office_even_to_the_coordinator(
    world,
):
    pk = beta(world, "directory.contactrequest")
    base = "/admin/snippets/choose/directory/contactrequest/"
    for role in ("editor", "publisher", "coordinator"):
        client = client_for(world, role)
        for response in (
            client.get(f"{base}chosen/{pk}/"),
            client.get(f"{base}chosen-multiple/", {"id": pk}),
        ):
            assert response.status_code == 404
            shows_no_foreign_marker(world, role, response)


def test_the_group_chooser_does_not_name_another_offices_draft_groups(world):
    base = "/admin/snippets/choose/directory/selfhelpgroup/"
    for role in ("editor", "publisher"):
        client = client_for(world, role)
        for pk in (
            beta(world, "directory.selfhelpgroup"),
            beta(world, "directory.selfhelpgroup:unpublished"),
        ):
            for response in (
                client.get(f"{base}chosen/{pk}/"),
                client.get(f"{base}chosen-multiple/", {"id": pk}),
            ):
                assert response.status_code == 404
                shows_no_foreign_marker(world, role, response)


def test_the_page_types_usage_report_counts_every_office_and_is_for_superusers_only(world):
    url = reverse("wagtailadmin_reports:page_types_usage")
    for role in ("editor", "publisher", "coordinator"):
        client = client_for(world, role)
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            response = client.get(url, params)
            assert response.status_code == 403
            shows_no_foreign_marker(world, role, response)
    assert client_for(world, "root").get(url).status_code == 200


def _own_page_in_review(world, title):
    """A page of Alpha's, edited by Alpha's editor and submitted to its review."""
    from wagtail.models import Workflow

    from home.models import StandardPage

    home = world.offices["alpha"].site.root_page.specific
    page = StandardPage(title=title, slug="eigene-seite-im-bericht")
    home.add_child(instance=page)
    editor = world.users["editor"]
    page.save_revision(user=editor, log_action=True)
    workflow = page.get_workflow() or Workflow.objects.filter(active=True).first()
    workflow.start(page, editor)
    return page


OWN = {"editor": "alpha", "publisher": "alpha", "coordinator": "state"}


def report_bodies(world, role, name):
    """``(params, body)`` of report ``name`` as ``role`` sees it, as a page and (for the
    full view) as its CSV and XLSX exports, each checked for other offices' markers."""
    client = client_for(world, role)
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        if params and name.endswith("_results"):
            continue
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        body = body_of(response)  # a streamed export can be read once
        leaked = [m for m in world.forbidden_markers(role, OWN[role]) if m in body]
        assert not leaked, (params, leaked[:5])
        yield params, body


SITE_HISTORY = ["wagtailadmin_reports:site_history", "wagtailadmin_reports:site_history_results"]


@pytest.mark.parametrize("name", SITE_HISTORY)
@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_site_history_shows_an_office_its_own_entries_and_nothing_of_another(world, role, name):
    _own_page_in_review(world, "Eigener Eintrag Alpha")
    for params, body in report_bodies(world, role, name):
        if role != "coordinator":
            assert "Eigener Eintrag Alpha" in body, params


def test_the_site_history_filter_names_no_other_offices_staff(world):
    _own_page_in_review(world, "Eigener Eintrag Alpha")
    response = client_for(world, "editor").get(reverse("wagtailadmin_reports:site_history"))
    body = body_of(response)
    assert "matrix-redaktion-alpha" in body
    assert not [m for m in world.forbidden_markers("editor", "alpha") if m in body]
    assert "matrix-staff-beta" not in body and "matrix-kuratorin-beta" not in body


WORKFLOW_REPORTS = [
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
]


@pytest.mark.parametrize("name", WORKFLOW_REPORTS)
@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_workflow_reports_show_an_office_its_own_reviews_only(world, role, name):
    _own_page_in_review(world, "Eigene Freigabe Alpha")
    for params, body in report_bodies(world, role, name):
        assert "matrix-staff-beta" not in body
        if role != "coordinator":
            # The coordinator curates every office's groups and may see who asked for
            # their review; an office sees nobody of another office.
            assert "matrix-kuratorin-beta" not in body
            assert "Eigene Freigabe Alpha" in body, params


def test_the_workflow_reports_still_show_a_superuser_every_office(world):
    client = client_for(world, "root")
    for name in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        response = client.get(reverse(name), {"export": "csv"})
        assert response.status_code == 200
        body = body_of(response)
        assert "matrix-staff-beta" in body  # who asked for the review of Beta's page


def test_the_site_history_export_shows_a_superuser_every_office(world):
    response = client_for(world, "root").get(
        reverse("wagtailadmin_reports:site_history"), {"export": "csv"}
    )
    assert response.status_code == 200
    assert "mrk beta" in body_of(response)


@pytest.mark.parametrize("name", ["aging_pages", "locked_pages"])
@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_the_page_reports_show_only_the_users_own_pages(world, role, name):
    client = client_for(world, role)
    for params in ({}, {"export": "csv"}):
        response = client.get(reverse(f"wagtailadmin_reports:{name}"), params)
        shows_no_foreign_marker(world, role, response)


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_wagtail_localizes_snippet_api_lists_only_the_users_own_mailing_lists(world, role):
    client = client_for(world, role)
    response = client.get("/admin/localize/api/snippets/newsletter/mailinglist/")
    assert response.status_code == 200
    shows_no_foreign_marker(world, role, response)
    ids = {item["id"] for item in _items(response)}
    assert beta(world, "newsletter.mailinglist") not in ids
    pk = beta(world, "newsletter.mailinglist")
    detail = client.get(f"/admin/localize/api/snippets/newsletter/mailinglist/{pk}/")
    assert detail.status_code == 404


def test_wagtail_localizes_snippet_api_answers_for_the_directorys_own_namespace(world):
    """The directory's viewsets have URL namespaces of their own (``directory_groups``);
    wagtail-localize links to ``wagtailsnippets_directory_selfhelpgroup:edit``."""
    client = client_for(world, "coordinator")
    response = client.get("/admin/localize/api/snippets/directory/selfhelpgroup/")
    assert response.status_code == 200
    edit_urls = {item["edit_url"] for item in _items(response)}
    pk = beta(world, "directory.selfhelpgroup")
    alias = f"/admin/snippets/directory/selfhelpgroup/edit/{pk}/"
    assert alias in edit_urls
    followed = client.get(alias)
    assert followed.status_code == 302
    assert followed["Location"] == reverse("directory_groups:edit", args=[pk])
    assert client.get(followed["Location"]).status_code == 200


def test_wagtail_localizes_snippet_api_hides_contact_requests_from_the_coordinator(world):
    client = client_for(world, "coordinator")
    response = client.get("/admin/localize/api/snippets/directory/contactrequest/")
    assert response.status_code == 200
    shows_no_foreign_marker(world, "coordinator", response)


@pytest.mark.parametrize("role", ["editor", "publisher", "coordinator"])
def test_wagtail_localizes_views_refuse_another_offices_translations(world, role):
    client = client_for(world, role)
    translation = beta(world, "wagtail_localize.translation")
    source = beta(world, "wagtail_localize.translationsource")
    page = beta(world, "wagtailcore.page")
    for url in (
        f"/admin/localize/translate/{translation}/preview/",
        f"/admin/localize/translate/{translation}/pofile/download/",
        f"/admin/localize/update/{source}/",
        f"/admin/localize/submit/page/{page}/",
        f"/admin/localize/page/{page}/convert_to_alias/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        shows_no_foreign_marker(world, role, response)


def test_confirming_the_cancellation_of_another_offices_workflow_is_refused(world):
    from wagtail.models import WorkflowState

    state_pk = beta(world, "wagtailcore.workflowstate:page")
    page = beta(world, "wagtailcore.page")
    for role in ("editor", "publisher", "coordinator"):
        client = client_for(world, role)
        url = f"/admin/pages/workflow/confirm_cancellation/{page}/"
        response = client.get(url)
        assert response.status_code == 404
        shows_no_foreign_marker(world, role, response)
        client.post(url)
        assert WorkflowState.objects.get(pk=state_pk).status == "in_progress"


def test_a_get_of_another_sites_navigation_preview_creates_no_settings_row(world):
    from home.models import Navigation

    site = beta(world, "wagtailcore.site")
    Navigation.objects.filter(site_id=site).delete()
    client = client_for(world, "publisher")
    for url in (
        f"/admin/settings/home/navigation/{site}/",
        f"/admin/settings/home/navigation/{site}/preview/",
        f"/admin/settings/sites/office/{site}/preview/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        shows_no_foreign_marker(world, "publisher", response)
    assert not Navigation.objects.filter(site_id=site).exists()


def test_the_import_says_the_same_for_another_offices_group_and_a_missing_one(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directory.models import SelfHelpGroup

    foreign = beta(world, "directory.selfhelpgroup")
    missing = SelfHelpGroup.objects.order_by("-pk").first().pk + 1000
    client = client_for(world, "publisher")

    def message_for(pk):
        upload = SimpleUploadedFile(
            "gruppen.csv", f"id,name,office\n{pk},Übernommen,alpha.localhost\n".encode()
        )
        html = client.post(
            reverse("directory_import"), {"file": upload, "dry_run": "on"}
        ).content.decode()
        return [line.replace(str(pk), "<id>") for line in re.findall(r"Zeile 2:[^<]*", html)]

    assert message_for(foreign) == message_for(missing) != []
    assert SelfHelpGroup.objects.get(pk=foreign).office.site.hostname == "beta.localhost"


def test_the_fence_still_lets_each_role_open_its_own_objects(world, offices):
    """The side doors refuse only what belongs to another office: the tree's root (where
    the explorer of a site in two locales opens), the user's own pages, groups, lists,
    images, documents and collections open as before."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Page

    from directory.models import SelfHelpGroup
    from newsletter.models import MailingList

    alpha = offices["alpha"]
    home = alpha.site.root_page
    group = SelfHelpGroup.objects.filter(office=alpha).first() or SelfHelpGroup.objects.create(
        name="Eigene Gruppe", office=alpha, **_meeting()
    )
    mailing_list = MailingList.objects.create(office=alpha, name="Eigene Liste")
    image = get_image_model().objects.create(
        title="Eigenes Bild", file=get_test_image_file(), collection=alpha.collection
    )
    document = get_document_model().objects.create(
        title="Eigenes Dokument",
        file=ContentFile(b"x", name="eigen.txt"),
        collection=alpha.collection,
    )
    root = Page.get_first_root_node()
    urls = [
        f"/admin/pages/{root.pk}/",
        f"/admin/choose-page/{root.pk}/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/choose-page/{home.pk}/",
        f"/admin/choose-page/chosen-multiple/?id={home.pk}",
        f"/admin/directory/groups/edit/{group.pk}/",
        f"/admin/snippets/newsletter/mailinglist/edit/{mailing_list.pk}/",
        f"/admin/images/{image.pk}/",
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/bulk/wagtailimages/image/delete/?id={image.pk}",
        f"/admin/api/main/images/{image.pk}/",
        f"/admin/settings/home/navigation/{alpha.site.pk}/",
        f"/admin/settings/sites/office/{alpha.site.pk}/",
    ]
    for role in ("editor", "publisher"):
        client = client_for(world, role)
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    coordinator = client_for(world, "coordinator")
    beta_group = beta(world, "directory.selfhelpgroup")
    for url in (
        f"/admin/pages/{root.pk}/",
        f"/admin/directory/groups/edit/{beta_group}/",
        f"/admin/snippets/newsletter/mailinglist/edit/{beta(world, 'newsletter.mailinglist')}/",
        f"/admin/newsletter/abonnenten/{beta(world, 'newsletter.subscriber')}/",
        f"/admin/localize/submit/snippet/directory/selfhelpgroup/{beta_group}/",
    ):
        assert coordinator.get(url).status_code == 200, url


def _meeting():
    from .attack_world import GROUP_MEETING

    return GROUP_MEETING
