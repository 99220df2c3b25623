"""The one tenancy module: who works where, who owns what, who may see what."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, Site

from sites import tenancy
from sites.models import Office

pytestmark = pytest.mark.django_db


def _user(name, *groups):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _row_counts():
    return {model: model.objects.count() for model in (Office, Site, Page, Collection)}


def test_every_page_of_a_site_in_every_locale_belongs_to_its_office(offices):
    alpha = offices["alpha"]
    for root in tenancy.locale_roots(alpha.site):
        assert tenancy.office_for_page(root) == alpha
        for page in root.get_descendants():
            assert tenancy.office_id_for_page(page) == alpha.pk, page.url_path
    assert len(tenancy.locale_roots(alpha.site)) >= 2  # German and English home pages


def test_lookups_never_create_rows(offices):
    """A site without an office profile stays without one, whatever is asked about it."""
    from sites.chrome import office_for_site

    root = Page.get_first_root_node()
    bare_home = root.add_child(instance=Page(title="Ohne Kontaktstelle", slug="ohne"))
    bare_site = Site.objects.create(hostname="ohne.localhost", root_page=bare_home)
    before = _row_counts()
    assert tenancy.office_for_page(bare_home) is None
    assert tenancy.office_for_page(root) is None
    assert tenancy.site_id_for_page(bare_home) == bare_site.pk
    assert office_for_site(bare_site) is None
    assert tenancy.owner_office_ids(bare_home) is None
    assert _row_counts() == before


def test_an_office_owns_its_collection_and_the_images_in_it_the_shared_one_is_nobodys(offices):
    alpha = offices["alpha"]
    assert tenancy.office_for_collection(alpha.collection) == alpha
    inner = alpha.collection.add_child(name="Flyer Alpha")
    assert tenancy.office_id_for_collection(inner) == alpha.pk
    shared = Collection.objects.get(name="Landesweit")
    assert tenancy.office_for_collection(shared) is None
    image = Image.objects.create(title="Logo", file=get_test_image_file(), collection=inner)
    assert tenancy.owner_office_ids(image) == {alpha.pk}


def test_staff_coordinators_and_publishers_are_told_apart(offices, users):
    alpha, beta, state = offices["alpha"], offices["beta"], offices["state"]
    redaktion = _user("nur-redaktion", "KS Alpha – Redaktion")
    freigabe = _user("nur-freigabe", "KS Alpha – Freigabe")
    coordinator = users["coordinator"]
    assert tenancy.staff_office_ids(redaktion) == {alpha.pk}
    assert tenancy.staff_office_ids(freigabe) == {alpha.pk}
    assert tenancy.staff_office_ids(coordinator) == {state.pk}
    assert not tenancy.is_coordinator(redaktion)
    assert tenancy.is_coordinator(coordinator)
    assert tenancy.is_coordinator(users["root"])
    assert not tenancy.can_publish_for(redaktion, alpha.pk)
    assert tenancy.can_publish_for(freigabe, alpha.pk)
    assert not tenancy.can_publish_for(freigabe, beta.pk)
    assert tenancy.can_publish_for(coordinator, beta.pk)
    redaktion.is_active = False
    tenancy.forget(redaktion)
    assert tenancy.staff_office_ids(redaktion) == frozenset()


def test_an_office_editor_sees_only_own_pages_the_coordinator_only_the_state_site(offices, users):
    alpha_home = offices["alpha"].site.root_page
    beta_home = offices["beta"].site.root_page
    state_home = offices["state"].site.root_page
    editor, coordinator = users["editor-alpha"], users["coordinator"]
    assert tenancy.user_may_see(editor, alpha_home)
    assert not tenancy.user_may_see(editor, beta_home)
    assert not tenancy.user_may_see(editor, Page.get_first_root_node())
    assert tenancy.user_may_see(coordinator, state_home)
    assert not tenancy.user_may_see(coordinator, alpha_home)
    assert tenancy.user_may_see(users["root"], beta_home)


def test_a_subscriber_of_several_lists_is_listed_once_and_only_to_their_lists_offices(
    offices, users
):
    from newsletter.models import ConsentText, MailingList, Subscriber, Subscription

    consent = ConsentText.current()

    def subscribe(subscriber, mailing_list):
        Subscription.objects.create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            requested_at=timezone.now(),
            consent_text=consent,
            consent_version=consent.version,
            consent_copy=consent.text,
        )

    alpha_list = MailingList.objects.create(office=offices["alpha"], name="Alpha-Post")
    alpha_two = MailingList.objects.create(office=offices["alpha"], name="Alpha-Termine")
    beta_list = MailingList.objects.create(office=offices["beta"], name="Beta-Post")
    person = Subscriber.objects.create(email="zweimal@example.org")
    for mailing_list in (alpha_list, alpha_two):
        subscribe(person, mailing_list)
    other = Subscriber.objects.create(email="nur-beta@example.org")
    subscribe(other, beta_list)

    seen = list(tenancy.visible_queryset(users["editor-alpha"], Subscriber.objects.all()))
    assert seen == [person]
    assert tenancy.owner_office_ids(person) == {offices["alpha"].pk}
    assert tenancy.user_may_see(users["editor-beta"], other)
    assert not tenancy.user_may_see(users["editor-beta"], person)
    everyone = tenancy.visible_queryset(users["coordinator"], Subscriber.objects.all())
    assert set(everyone) >= {person, other}


def test_contact_requests_stay_with_their_office_even_for_coordinators(offices, users):
    from directory.models import ContactRequest, SelfHelpGroup

    assert tenancy.visible_office_ids(users["coordinator"], SelfHelpGroup) is None
    assert tenancy.visible_office_ids(users["coordinator"], ContactRequest) == {offices["state"].pk}
    assert tenancy.visible_office_ids(users["root"], ContactRequest) is None


def test_the_owner_maps_follow_a_new_site_at_once(offices):
    from sites.provisioning import OfficeSpec, provision_office

    gamma = provision_office(OfficeSpec(hostname="gamma.localhost", name="Kontaktstelle Gamma"))
    for root in tenancy.locale_roots(gamma.site):
        assert tenancy.office_id_for_page(root) == gamma.pk
    assert tenancy.office_for_collection(gamma.collection) == gamma
