"""Purge on publish: what each kind of change bans, captured by a real HTTP listener that
stands where Varnish would (``tests.purge_listener``), and when it is sent."""

import logging

import pytest
from django.db import transaction
from wagtail.models import Collection, Locale, Page

from sites.http_cache import EVERYTHING, NETWORK, shared_tag, site_tag
from tests.purge_listener import purge_listener

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache(settings):
    with purge_listener() as listener:
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "sites.frontend_cache.VarnishBackend", "LOCATION": listener.url}
        }
        yield listener


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs what the change registered for its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def alpha_page(offices, **fields):
    from home.models import StandardPage

    page = StandardPage(title=fields.pop("title", "Angebote"), slug="angebote", **fields)
    offices["alpha"].site.root_page.add_child(instance=page)
    return page


def test_publishing_a_page_bans_its_site_and_the_network_when_the_transaction_commits(
    offices, cache, commit
):
    page = alpha_page(offices)
    cache.clear()
    with commit():
        page.save_revision().publish()
        assert cache.received == [], "nothing may be purged before the commit"
    assert len(cache.bans()) == 1, cache.received
    assert cache.banned() == {
        site_tag(offices["alpha"].site_id),
        NETWORK,
        shared_tag("home"),
    }
    request = cache.received[0]
    assert request["method"] == "BAN" and request["path"] == "/"


def test_a_saved_draft_purges_nothing(offices, cache, commit):
    page = alpha_page(offices)
    page.save_revision().publish()
    cache.clear()
    with commit():
        page.title = "Entwurf"
        page.save_revision()
    assert cache.received == []


def test_unpublishing_and_deleting_a_page_ban_its_site(offices, cache, commit):
    page = alpha_page(offices)
    with commit():
        page.save_revision().publish()
    cache.clear()
    with commit():
        page.unpublish()
    assert site_tag(offices["alpha"].site_id) in cache.banned()
    cache.clear()
    with commit():
        Page.objects.get(pk=page.pk).delete()
    assert site_tag(offices["alpha"].site_id) in cache.banned()


def test_a_page_moved_to_another_site_bans_both_sites(offices, cache, commit):
    page = alpha_page(offices)
    with commit():
        page.save_revision().publish()
    cache.clear()
    with commit():
        Page.objects.get(pk=page.pk).move(offices["beta"].site.root_page, pos="last-child")
    assert {site_tag(offices["alpha"].site_id), site_tag(offices["beta"].site_id)} <= (
        cache.banned()
    )


def test_renaming_an_event_bans_its_office_the_network_calendar_and_the_feeds(
    offices, cache, commit
):
    from events.models import EventIndexPage
    from tests.events.conftest import make_event

    listing = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
    event = make_event(listing, title="Infoabend")
    cache.clear()
    with commit():
        event.title = "Infoabend Sucht"
        event.save_revision().publish()
    banned = cache.banned()
    assert {site_tag(offices["alpha"].site_id), NETWORK, shared_tag("events")} <= banned
    assert site_tag(offices["beta"].site_id) not in banned
    assert len(cache.bans()) == 1, "one ban per transaction, however many rows changed"


def make_group(office, **fields):
    import datetime

    from directory.models import Rhythm, SelfHelpGroup

    group = SelfHelpGroup(
        name=fields.pop("name", "Gruppe für Purge-Tests"),
        office=office,
        description="Eine Gruppe.",
        rhythm=Rhythm.WEEKLY,
        weekday=1,
        starts_at=datetime.time(19),
        city="Berlin",
        **fields,
    )
    group.save()
    return group


def test_publishing_a_group_bans_its_office_and_every_directory(offices, cache, commit):
    group = make_group(offices["alpha"], live=False)
    cache.clear()
    with commit():
        group.save_revision().publish()
    banned = cache.banned()
    assert {site_tag(offices["alpha"].site_id), NETWORK, shared_tag("directory")} <= banned
    assert site_tag(offices["beta"].site_id) not in banned
    assert EVERYTHING not in banned


def test_a_changed_office_profile_bans_its_site_and_everything_that_names_the_office(
    offices, cache, commit
):
    office = offices["alpha"]
    cache.clear()
    with commit():
        office.phone = "030 999999"
        office.save()
    banned = cache.banned()
    assert {
        site_tag(office.site_id),
        NETWORK,
        shared_tag("directory"),
        shared_tag("events"),
    } <= banned
    assert site_tag(offices["beta"].site_id) not in banned
    assert EVERYTHING not in banned


def test_opening_hours_and_navigation_ban_the_office_site(offices, cache, commit):
    import datetime

    from home.models import Navigation
    from sites.models import OpeningHours

    office = offices["alpha"]
    cache.clear()
    with commit():
        OpeningHours.objects.create(
            office=office, weekday=2, opens=datetime.time(9), closes=datetime.time(12)
        )
    assert site_tag(office.site_id) in cache.banned()
    cache.clear()
    with commit():
        Navigation.for_site(office.site).save()
    assert site_tag(office.site_id) in cache.banned()
    assert site_tag(offices["beta"].site_id) not in cache.banned()


def test_an_image_bans_the_office_whose_collection_holds_it_and_a_shared_one_everything(
    offices, cache, commit
):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    office = offices["alpha"]
    cache.clear()
    with commit():
        Image.objects.create(title="Logo", file=get_test_image_file(), collection=office.collection)
    assert site_tag(office.site_id) in cache.banned()
    assert EVERYTHING not in cache.banned()
    cache.clear()
    shared = (
        Collection.objects.exclude(pk=office.collection_id)
        .filter(depth=2)
        .exclude(pk__in=[o.collection_id for o in offices.values()])
        .first()
        or Collection.get_first_root_node()
    )
    with commit():
        Image.objects.create(title="Landesweit", file=get_test_image_file(), collection=shared)
    assert cache.bans() == [{EVERYTHING}]


def test_a_new_language_bans_everything(cache, commit):
    cache.clear()
    with commit():
        Locale.objects.create(language_code="fr")
    assert cache.bans() == [{EVERYTHING}]


def test_a_rolled_back_change_is_not_purged(offices, cache, commit):
    page = alpha_page(offices)
    cache.clear()
    with commit():
        try:
            with transaction.atomic():
                page.save_revision().publish()
                raise RuntimeError("editor's save fails")
        except RuntimeError:
            pass
    # The failed change's callback was discarded with its savepoint.
    assert cache.received == []


def test_records_that_no_page_shows_purge_nothing(offices, cache, commit):
    from django.utils import timezone

    from directory.models import ContactRequest

    group = make_group(offices["alpha"])
    cache.clear()
    with commit():
        ContactRequest.objects.create(
            group=group,
            group_name=group.name,
            consent_at=timezone.now(),
            office=offices["alpha"],
            name="Besucherin",
            email="besucherin@example.org",
            message="Hallo",
        )
    assert cache.received == []


def test_purges_need_no_task_worker(offices, cache, commit, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = alpha_page(offices)
    cache.clear()
    with commit():
        page.save_revision().publish()
    assert site_tag(offices["alpha"].site_id) in cache.banned()
    assert not DBTaskResult.objects.filter(task_path__contains="frontend_cache").exists()


def test_an_unreachable_cache_is_logged_and_the_publish_goes_through(
    offices, settings, commit, caplog
):
    from tests.varnish import free_port

    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "sites.frontend_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{free_port()}",
            "TIMEOUT": 0.5,
        }
    }
    page = alpha_page(offices)
    with caplog.at_level(logging.ERROR, logger="sites.frontend_cache"), commit():
        page.save_revision().publish()
    assert Page.objects.get(pk=page.pk).live
    assert any("unreachable" in record.getMessage() for record in caplog.records)


def test_a_url_purge_names_the_site_by_hostname_without_its_port(cache):
    from sites.frontend_cache import VarnishBackend

    backend = VarnishBackend({"LOCATION": cache.url})
    backend.purge("http://Alpha.localhost:8000/angebote/?monat=2026-12")
    request = cache.received[0]
    assert request["method"] == "PURGE"
    assert request["path"] == "/angebote/?monat=2026-12"
    assert request["headers"]["Host"] == "alpha.localhost"


def test_tags_that_could_change_the_ban_expression_are_never_sent(cache):
    from sites.frontend_cache import VarnishBackend

    VarnishBackend({"LOCATION": cache.url}).ban_tags({"site-1", "x) || obj.status ~ (", ".*"})
    assert cache.bans() == [{"site-1"}]


def test_a_menu_change_bans_only_its_own_site(offices, cache, commit):
    """Menus and footer links show on their site's pages only: the state site, the
    other offices and the directory pages of every site keep their entries."""
    from home.models import MainMenuItem, Navigation

    office = offices["alpha"]
    navigation = Navigation.for_site(office.site)
    impressum = office.site.root_page.get_children().get(slug="impressum")
    cache.clear()
    with commit():
        MainMenuItem.objects.create(setting=navigation, page=impressum, label="Wer wir sind")
    assert cache.banned() == {site_tag(office.site_id)}
