"""An office's staff reach their own site in the admin and nothing of any other office.

Every check goes through HTTP as an editor's browser would: an answer of 403 or a redirect
(to the dashboard or the login) is a refusal, a 200 is a leak. After every refused POST the
database must be unchanged.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page

from sites.provisioning import SHARED_COLLECTION
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

#: Wagtail refuses with a redirect to the dashboard or 403; the side doors (see
#: ``sites.side_doors``) answer 404 for another office's object, as if it did not exist.
REFUSED = (302, 403, 404)


def home_of(office):
    return office.site.root_page.specific


def child(office, slug, locale="de"):
    home = Page.objects.get(
        translation_key=office.site.root_page.translation_key, locale__language_code=locale
    )
    return home.get_children().get(slug=slug).specific


def collection_of(office):
    return Collection.objects.get(name=office.name)


def upload():
    """An image upload as the browser sends it."""
    return SimpleUploadedFile("flyer.png", get_test_image_file().file.getvalue(), "image/png")


def assert_refused(response):
    assert response.status_code in REFUSED, (response.status_code, response.request["PATH_INFO"])
    if response.status_code == 302:
        assert "/admin/pages/" not in response["Location"] or "edit" not in response["Location"]


@pytest.fixture
def beta_impressum(offices):
    return child(offices["beta"], "impressum")


@pytest.fixture
def alpha_impressum(offices):
    return child(offices["alpha"], "impressum")


class TestPagesOfAnotherOffice:
    def test_an_editor_can_edit_and_publish_a_page_of_their_own_office(
        self, editor_a, alpha_impressum
    ):
        url = reverse("wagtailadmin_pages:edit", args=[alpha_impressum.pk])
        assert editor_a.get(url).status_code == 200

    @pytest.mark.parametrize(
        "view",
        [
            "edit",
            "delete",
            "unpublish",
            "move",
            "copy",
            "add_subpage",
            "revisions_index",
            "history",
            "set_privacy",
        ],
    )
    def test_an_editor_gets_no_access_to_another_offices_page(self, editor_a, beta_impressum, view):
        url = reverse(f"wagtailadmin_pages:{view}", args=[beta_impressum.pk])
        assert_refused(editor_a.get(url))

    @pytest.mark.parametrize("view", ["lock", "unpublish", "copy"])
    def test_an_editor_cannot_lock_unpublish_or_copy_another_offices_page(
        self, editor_a, beta_impressum, view
    ):
        url = reverse(f"wagtailadmin_pages:{view}", args=[beta_impressum.pk])
        assert_refused(editor_a.post(url, {"new_title": "Kopie", "new_slug": "kopie"}))
        beta_impressum.refresh_from_db()
        assert beta_impressum.live
        assert not beta_impressum.locked

    def test_an_editor_cannot_publish_a_change_to_another_offices_page(
        self, editor_a, beta_impressum
    ):
        url = reverse("wagtailadmin_pages:edit", args=[beta_impressum.pk])
        response = editor_a.post(
            url,
            {
                "title": "Übernommen",
                "slug": "impressum",
                "intro": "x",
                "body-count": "0",
                "action-publish": "action-publish",
            },
        )
        assert_refused(response)
        beta_impressum.refresh_from_db()
        assert beta_impressum.title == "Impressum"
        assert not beta_impressum.has_unpublished_changes

    def test_an_editor_cannot_delete_another_offices_page(self, editor_a, beta_impressum):
        response = editor_a.post(reverse("wagtailadmin_pages:delete", args=[beta_impressum.pk]))
        assert_refused(response)
        assert Page.objects.filter(pk=beta_impressum.pk).exists()

    def test_an_editor_cannot_add_a_child_to_another_offices_home_page(self, editor_a, offices):
        beta_home = home_of(offices["beta"])
        url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", beta_home.pk])
        assert_refused(editor_a.get(url))
        before = beta_home.get_children().count()
        response = editor_a.post(
            url,
            {"title": "Eingeschleust", "slug": "eingeschleust", "body-count": "0"},
        )
        assert_refused(response)
        assert beta_home.get_children().count() == before

    def test_an_editor_cannot_move_another_offices_page_into_their_own_site(
        self, editor_a, offices, beta_impressum
    ):
        alpha_home = home_of(offices["alpha"])
        url = reverse("wagtailadmin_pages:move_confirm", args=[beta_impressum.pk, alpha_home.pk])
        assert_refused(editor_a.post(url))
        beta_impressum.refresh_from_db()
        assert beta_impressum.get_parent().pk == home_of(offices["beta"]).pk

    def test_an_editor_cannot_move_their_own_page_into_another_office(
        self, editor_a, offices, alpha_impressum
    ):
        beta_home = home_of(offices["beta"])
        url = reverse("wagtailadmin_pages:move_confirm", args=[alpha_impressum.pk, beta_home.pk])
        assert_refused(editor_a.post(url))
        alpha_impressum.refresh_from_db()
        assert alpha_impressum.get_parent().pk == home_of(offices["alpha"]).pk

    def test_the_english_tree_of_another_office_is_fenced_in_too(self, editor_a, offices):
        beta_en = child(offices["beta"], "impressum", locale="en")
        assert_refused(editor_a.get(reverse("wagtailadmin_pages:edit", args=[beta_en.pk])))

    def test_the_editor_can_edit_the_english_tree_of_their_own_office(self, editor_a, offices):
        alpha_en = child(offices["alpha"], "impressum", locale="en")
        response = editor_a.get(reverse("wagtailadmin_pages:edit", args=[alpha_en.pk]))
        assert response.status_code == 200


class TestExplorerAndChooser:
    def test_the_page_explorer_lists_only_the_editors_own_site(self, editor_a, offices):
        root = Page.get_first_root_node()
        html = editor_a.get(reverse("wagtailadmin_explore", args=[root.pk])).content.decode()
        assert "Kontaktstelle Alpha" in html
        assert "Kontaktstelle Beta" not in html
        assert "Landeskoordination Test" not in html

    def test_the_explorer_filters_name_no_other_office_or_its_staff(self, editor_a, offices):
        beta_home = home_of(offices["beta"])
        beta_home.save_revision(user=offices["beta"].site.root_page.owner)
        from django.contrib.auth import get_user_model

        editor_b = get_user_model().objects.get(username="editor-beta")
        beta_home.owner = editor_b
        beta_home.save()
        root = Page.get_first_root_node()
        html = editor_a.get(reverse("wagtailadmin_explore", args=[root.pk])).content.decode()
        assert "beta.localhost" not in html
        assert "editor-beta" not in html

    def test_the_explorer_of_another_offices_home_is_refused_or_empty(self, editor_a, offices):
        beta_home = home_of(offices["beta"])
        response = editor_a.get(reverse("wagtailadmin_explore", args=[beta_home.pk]))
        if response.status_code == 200:
            html = response.content.decode()
            for slug in ("impressum", "datenschutz", "kontakt"):
                page = beta_home.get_children().get(slug=slug)
                assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in html
        else:
            assert_refused(response)

    def test_the_page_chooser_does_not_list_another_offices_pages(self, editor_a, offices):
        root = Page.get_first_root_node()
        for url in (
            reverse("wagtailadmin_choose_page"),
            reverse("wagtailadmin_choose_page_child", args=[root.pk]),
        ):
            html = editor_a.get(url).content.decode()
            assert "Kontaktstelle Beta" not in html, url
            assert "Landeskoordination Test" not in html, url

    def test_the_page_chooser_search_finds_only_the_editors_own_pages(self, editor_a, offices):
        response = editor_a.get(reverse("wagtailadmin_choose_page_search"), {"q": "Impressum"})
        assert response.status_code == 200
        html = response.content.decode()
        beta_ids = set(
            Page.objects.filter(path__startswith=home_of(offices["beta"]).path).values_list(
                "pk", flat=True
            )
        )
        alpha_impressum = child(offices["alpha"], "impressum")
        assert f'data-id="{alpha_impressum.pk}"' in html or "Kontaktstelle Alpha" in html
        for pk in beta_ids:
            assert f'data-id="{pk}"' not in html

    def test_the_chooser_of_another_offices_home_shows_none_of_its_pages(self, editor_a, offices):
        beta_home = home_of(offices["beta"])
        url = reverse("wagtailadmin_choose_page_child", args=[beta_home.pk])
        response = editor_a.get(url)
        html = response.content.decode()
        beta_impressum = beta_home.get_children().get(slug="impressum")
        assert f'data-id="{beta_impressum.pk}"' not in html


@pytest.fixture
def beta_image(offices):
    return get_image_model().objects.create(
        title="Flyer Beta", file=get_test_image_file(), collection=collection_of(offices["beta"])
    )


@pytest.fixture
def beta_document(offices):
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(
        title="Jahresbericht Beta",
        file=ContentFile(b"%PDF-1.4 test", name="bericht.pdf"),
        collection=collection_of(offices["beta"]),
    )


class TestImagesAndDocumentsOfAnotherOffice:
    def test_an_editor_cannot_open_or_delete_another_offices_image(self, editor_a, beta_image):
        assert_refused(editor_a.get(reverse("wagtailimages:edit", args=[beta_image.pk])))
        assert_refused(editor_a.post(reverse("wagtailimages:delete", args=[beta_image.pk])))
        assert get_image_model().objects.filter(pk=beta_image.pk).exists()

    def test_another_offices_images_are_not_listed_or_choosable(self, editor_a, beta_image):
        listing = editor_a.get(reverse("wagtailimages:index")).content.decode()
        assert "Flyer Beta" not in listing
        chooser = editor_a.get(reverse("wagtailimages_chooser:choose")).content.decode()
        assert "Flyer Beta" not in chooser

    def test_an_editor_cannot_open_or_delete_another_offices_document(
        self, editor_a, beta_document
    ):
        assert_refused(editor_a.get(reverse("wagtaildocs:edit", args=[beta_document.pk])))
        assert_refused(editor_a.post(reverse("wagtaildocs:delete", args=[beta_document.pk])))
        assert get_document_model().objects.filter(pk=beta_document.pk).exists()

    def test_another_offices_documents_are_not_listed_or_choosable(self, editor_a, beta_document):
        listing = editor_a.get(reverse("wagtaildocs:index")).content.decode()
        assert "Jahresbericht Beta" not in listing
        chooser = editor_a.get(reverse("wagtaildocs_chooser:choose")).content.decode()
        assert "Jahresbericht Beta" not in chooser

    def test_an_editor_uploads_into_their_own_collection_only(self, editor_a, offices):
        response = editor_a.get(reverse("wagtailimages:add"))
        assert response.status_code == 200
        assert "Kontaktstelle Beta" not in response.content.decode()
        beta_collection = collection_of(offices["beta"])
        editor_a.post(
            reverse("wagtailimages:add"),
            {
                "title": "Untergeschoben",
                "file": upload(),
                "collection": beta_collection.pk,
            },
        )
        assert not get_image_model().objects.filter(collection=beta_collection).exists()
        editor_a.post(reverse("wagtailimages:add"), {"title": "Eigenes", "file": upload()})
        image = get_image_model().objects.get(title="Eigenes")
        assert image.collection == collection_of(offices["alpha"])

    def test_an_editor_may_choose_images_from_the_shared_collection(self, editor_a):
        shared = Collection.objects.get(name=SHARED_COLLECTION)
        get_image_model().objects.create(
            title="Logo des Landes", file=get_test_image_file(), collection=shared
        )
        chooser = editor_a.get(reverse("wagtailimages_chooser:choose")).content.decode()
        assert "Logo des Landes" in chooser


class TestOfficeProfile:
    def url(self, office):
        return reverse("wagtailsettings:edit", args=["sites", "office", office.site.pk])

    def test_an_editor_edits_the_profile_of_their_own_office(self, editor_a, offices):
        response = editor_a.get(self.url(offices["alpha"]))
        assert response.status_code == 200
        assert "Kontaktstelle Alpha" in response.content.decode()

    def test_an_editor_gets_no_access_to_another_offices_profile(self, editor_a, offices):
        assert_refused(editor_a.get(self.url(offices["beta"])))
        response = editor_a.post(self.url(offices["beta"]), {"name": "Gekapert"})
        assert_refused(response)
        offices["beta"].refresh_from_db()
        assert offices["beta"].name == "Kontaktstelle Beta"

    def test_the_site_switcher_offers_only_the_editors_own_site(self, editor_a, offices):
        html = editor_a.get(self.url(offices["alpha"])).content.decode()
        assert "beta.localhost" not in html
        assert "land.localhost" not in html

    def test_the_kind_of_office_cannot_be_changed_through_the_profile_form(self, editor_a, offices):
        html = editor_a.get(self.url(offices["alpha"])).content.decode()
        assert 'name="kind"' not in html


class TestCoordinators:
    def test_a_coordinator_edits_the_state_site(self, coordinator_client, offices):
        page = child(offices["state"], "impressum")
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert coordinator_client.get(url).status_code == 200

    def test_a_coordinator_does_not_edit_an_offices_pages(self, coordinator_client, offices):
        page = child(offices["alpha"], "impressum")
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert_refused(coordinator_client.get(url))

    def test_a_coordinator_manages_the_shared_collection(self, coordinator_client):
        shared = Collection.objects.get(name=SHARED_COLLECTION)
        image = get_image_model().objects.create(
            title="Förderlogo", file=get_test_image_file(), collection=shared
        )
        response = coordinator_client.get(reverse("wagtailimages:edit", args=[image.pk]))
        assert response.status_code == 200
        coordinator_client.post(
            reverse("wagtailimages:add"),
            {"title": "Neues Förderlogo", "file": upload(), "collection": shared.pk},
        )
        assert get_image_model().objects.get(title="Neues Förderlogo").collection == shared

    def test_an_office_editor_cannot_edit_the_shared_collection(self, editor_a):
        shared = Collection.objects.get(name=SHARED_COLLECTION)
        image = get_image_model().objects.create(
            title="Förderlogo", file=get_test_image_file(), collection=shared
        )
        assert_refused(editor_a.get(reverse("wagtailimages:edit", args=[image.pk])))


def test_an_anonymous_visitor_is_sent_to_the_login(client, offices):
    client = client_for(client, None, "alpha.localhost")
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_loads_nothing_from_third_party_hosts(editor_a):
    html = editor_a.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar.com" not in html
