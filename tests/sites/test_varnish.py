"""Debian's varnishd with the shipped VCL (``platform/varnish.vcl``) in front of a live
server: pages are served from the cache, one entry per URL whatever the browser's
language, personal requests pass, and a published change shows through the cache within
one second (the purge, not the expiry: entries live for minutes).

PostgreSQL only: the changes must be committed for the server thread to see them and for
the purge to be sent. They are made in a thread of their own (its own connection in
autocommit mode, outside the test's transaction), as an editor's request would; the
SQLite test database is one in-memory connection that the test's transaction holds.
"""

import datetime
import threading
import time

import pytest
from django.db import connection

from tests.sites.http_server import request, start_live_server
from tests.varnish import VARNISHD, running_varnish

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        VARNISHD is None, reason="varnishd is not installed (apt-get install varnish)"
    ),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="needs committed changes: PostgreSQL only (the second CI pass)",
    ),
]

ALPHA = "alpha.localhost"


def committed(change):
    """Run ``change()`` on a connection of its own, committed when it returns."""
    from django.db import connections

    outcome = {}

    def run():
        try:
            outcome["value"] = change()
        except BaseException as error:  # re-raised in the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


BROWSER_LANGUAGES = [
    "de-DE,de;q=0.9",
    "de",
    "de-AT,de;q=0.8,en;q=0.5",
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "tr-TR,tr;q=0.9,en;q=0.5",
    "ar-SA,ar;q=0.9",
    "uk-UA,uk;q=0.9,ru;q=0.7",
    "ru-RU,ru;q=0.9",
    "pl-PL,pl;q=0.9",
    "fr-FR,fr;q=0.9",
    "it-IT,it;q=0.9",
    "es-ES,es;q=0.9",
    "fa-IR,fa;q=0.9",
    "vi-VN,vi;q=0.9",
    "ro-RO,ro;q=0.9",
    "bg-BG,bg;q=0.9",
    "el-GR,el;q=0.9",
    "ku,tr;q=0.5",
    "*",
]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker):
    """Live server, varnishd in front of it, the app purging there, and committed content
    (removed afterwards)."""
    from django.test import override_settings

    with django_db_blocker.unblock():
        live = start_live_server()
        created = []
        try:
            with running_varnish(live.thread.port) as port:
                frontend = {
                    "varnish": {
                        "BACKEND": "sites.frontend_cache.VarnishBackend",
                        "LOCATION": f"http://127.0.0.1:{port}",
                    }
                }
                with override_settings(WAGTAILFRONTENDCACHE=frontend):
                    yield {"port": port, "created": created}
        finally:
            live.stop()
            for obj in reversed(created):
                type(obj).objects.filter(pk=obj.pk).delete()


def get(stack, path, host=ALPHA, **headers):
    return request(stack["port"], path, host=host, headers=headers)


def seconds_until_shown(stack, path, text, host=ALPHA, limit=5.0):
    """Poll through the cache until ``text`` is in the page; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if text.encode() in get(stack, path, host).body:
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def warm(stack, path, host=ALPHA):
    get(stack, path, host)
    response = get(stack, path, host)
    assert response.header("X-Cache") == "HIT", (path, response.header("Cache-Control"))
    return response


def test_a_public_page_is_served_from_the_cache_once_for_every_browser_language(stack):
    warm(stack, "/")
    for language in BROWSER_LANGUAGES:
        response = get(stack, "/", **{"Accept-Language": language})
        assert response.header("X-Cache") == "HIT", language
        assert "X-Cache-Tags" not in response.headers


def test_a_logged_in_editor_is_never_served_from_the_cache(stack):
    from django.contrib.auth import get_user_model
    from django.test import Client

    def log_in():
        client = Client()
        client.force_login(get_user_model().objects.get(username="editor-alpha"))
        return client.cookies["sessionid"].value

    session = committed(log_in)
    warm(stack, "/")
    for _ in range(2):
        response = get(stack, "/", Cookie=f"sessionid={session}")
        assert response.header("X-Cache") == "MISS"
        assert "private" in response.header("Cache-Control")


def test_a_published_page_change_shows_through_the_cache_within_a_second(stack):
    from wagtail.models import Page

    from home.models import StandardPage
    from sites.models import Office

    def create():
        home = Office.objects.get(site__hostname=ALPHA).site.root_page
        page = StandardPage(title="Angebot vorher", slug="angebot-varnish", show_in_menus=True)
        home.add_child(instance=page)
        page.save_revision().publish()
        stack["created"].append(Page.objects.get(pk=page.pk))
        return page.pk

    pk = committed(create)
    warm(stack, "/angebot-varnish/")
    warm(stack, "/")

    def rename():
        page = StandardPage.objects.get(pk=pk)
        page.title = "Angebot nachher"
        page.save_revision().publish()

    committed(rename)
    took = seconds_until_shown(stack, "/angebot-varnish/", "Angebot nachher")
    assert took is not None and took <= 1.0, took
    # The menu of every page of the site names it too.
    assert b"Angebot nachher" in get(stack, "/").body


def test_a_renamed_event_shows_on_the_home_page_teaser_within_a_second(stack):
    from django.utils import timezone
    from wagtail.models import Page

    from events.models import EventIndexPage, EventPage
    from sites.models import Office
    from tests.events.conftest import make_event

    def create():
        home = Office.objects.get(site__hostname=ALPHA).site.root_page
        listing = EventIndexPage.objects.child_of(home).get()
        start = timezone.now() + datetime.timedelta(hours=2)
        event = make_event(listing, title="Erzählcafé", start=start)
        stack["created"].append(Page.objects.get(pk=event.pk))
        return event.pk

    pk = committed(create)
    assert seconds_until_shown(stack, "/", "Erzählcafé") is not None
    warm(stack, "/")

    def rename():
        event = EventPage.objects.get(pk=pk)
        event.title = "Erzählcafé am Nachmittag"
        event.save_revision().publish()

    committed(rename)
    took = seconds_until_shown(stack, "/", "Erzählcafé am Nachmittag")
    assert took is not None and took <= 1.0, took


def test_a_changed_group_shows_in_the_directory_of_another_site_within_a_second(stack):
    from directory.models import Rhythm, SelfHelpGroup
    from sites.models import Office

    def create():
        group = SelfHelpGroup(
            name="Varnish-Testgruppe Schlafstörungen",
            office=Office.objects.get(site__hostname=ALPHA),
            description="Austausch über Schlafprobleme.",
            rhythm=Rhythm.WEEKLY,
            weekday=2,
            starts_at=datetime.time(18),
            city="Berlin",
            live=False,
        )
        group.save()
        group.save_revision().publish()
        stack["created"].append(SelfHelpGroup.objects.get(pk=group.pk))
        return group.pk

    pk = committed(create)
    # Beta's directory, widened to the whole state, lists Alpha's group too.
    state_wide = "/gruppen/?scope=land"
    assert (
        seconds_until_shown(stack, state_wide, "Varnish-Testgruppe", "beta.localhost") is not None
    )
    warm(stack, state_wide, "beta.localhost")
    warm(stack, "/", ALPHA)

    def rename():
        group = SelfHelpGroup.objects.get(pk=pk)
        group.name = "Varnish-Testgruppe Schlaflosigkeit"
        group.save_revision().publish()

    committed(rename)
    took = seconds_until_shown(
        stack, state_wide, "Varnish-Testgruppe Schlaflosigkeit", "beta.localhost"
    )
    assert took is not None and took <= 1.0, took
    # And on the home page of its own office (the newest groups).
    shown = seconds_until_shown(stack, "/", "Varnish-Testgruppe Schlaflosigkeit", limit=1.0)
    assert shown is not None


def test_the_cache_takes_bans_only_with_well_formed_tags(stack):
    ok = request(stack["port"], "/", method="BAN", headers={"X-Ban-Tags": "site-999"})
    assert ok.status == 200
    for bad in ("", ".*", "site-1) || obj.status ~ (2", "site 1"):
        refused = request(stack["port"], "/", method="BAN", headers={"X-Ban-Tags": bad})
        assert refused.status == 400, bad


def test_a_purge_forwarded_by_the_tls_proxy_is_refused_and_changes_nothing(stack):
    warm(stack, "/")
    for method, headers in (
        ("BAN", {"X-Ban-Tags": "all"}),
        ("PURGE", {}),
    ):
        refused = request(
            stack["port"], "/", method=method, headers={**headers, "X-Real-IP": "203.0.113.9"}
        )
        assert refused.status == 403
    assert get(stack, "/").header("X-Cache") == "HIT"
    # From the application itself the same purge works.
    assert request(stack["port"], "/", method="PURGE").status == 200
    assert get(stack, "/").header("X-Cache") == "MISS"
