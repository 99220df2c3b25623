"""What keeps an uncached page fast and a large network cheap (issue #14): one shared-cache
read per request, a pooled Redis client, site root paths in two queries, and Wagtail's
per-request lookups answered from memory without ever going stale."""

import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, PageViewRestriction, Site

from config.cache import PooledRedisCacheClient
from sites import chrome, root_paths
from sites.cache_version import LOCAL, cache_scope

pytestmark = pytest.mark.django_db


class CountingGets:
    """Counts the shared cache's ``get`` calls per key (and ``get_many`` calls, each one
    round trip, by their keys) while active."""

    def __init__(self, monkeypatch):
        self.keys = []
        self.batches = []
        inside_many = []
        original, original_many = cache.get, cache.get_many

        def get(key, *args, **kwargs):
            if not inside_many:  # the test cache's get_many asks get per key
                self.keys.append(key)
            return original(key, *args, **kwargs)

        def get_many(keys, *args, **kwargs):
            self.batches.append(sorted(keys))
            inside_many.append(True)
            try:
                return original_many(keys, *args, **kwargs)
            finally:
                inside_many.pop()

        monkeypatch.setattr(cache, "get", get)
        monkeypatch.setattr(cache, "get_many", get_many)


class TestOneSharedCacheReadPerRequest:
    def test_a_warm_office_home_page_asks_the_shared_cache_only_for_the_versions(
        self, client, offices, monkeypatch
    ):
        from directory.search import COUNTS_VERSION_KEY

        assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 200
        gets = CountingGets(monkeypatch)
        response = client.get("/", HTTP_HOST="alpha.localhost")
        assert response.status_code == 200
        from sites.tenancy import OWNERS_VERSION

        # The network's (for the site lookup), the directory's for the newest groups
        # teaser, and in one round trip the site's own, the any-change one and the owners
        # map's.
        assert sorted(gets.keys) == sorted([chrome.VERSION_KEY, COUNTS_VERSION_KEY])
        site_id = offices["alpha"].site_id
        assert gets.batches == [
            sorted(
                [
                    chrome.SITE_VERSION_KEY.format(site_id),
                    chrome.ANY_VERSION_KEY,
                    OWNERS_VERSION.key,
                ]
            )
        ]

    def test_a_warm_office_home_page_makes_no_database_query(
        self, client, offices, django_assert_num_queries
    ):
        client.get("/", HTTP_HOST="alpha.localhost")
        with django_assert_num_queries(0):
            assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 200

    def test_an_editors_save_shows_on_the_next_request_in_every_process(self, client, offices):
        home = offices["alpha"].site.root_page.specific
        client.get("/", HTTP_HOST="alpha.localhost")
        home.title = "Neuer Titel der Startseite"
        home.save_revision().publish()
        # Another worker's copies are keyed by the old version; simulate a fresh process.
        LOCAL.clear()
        html = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
        assert "Neuer Titel der Startseite" in html

    def test_a_replaced_version_is_seen_within_the_same_request(self, offices):
        with cache_scope():
            before = chrome.current_version()
            chrome.invalidate()
            assert chrome.current_version() != before


class TestPooledRedisClient:
    def test_the_client_is_built_once_per_pool_not_per_call(self):
        client = PooledRedisCacheClient(["redis://127.0.0.1:6379/7"])
        first = client.get_client("a")
        assert client.get_client("b") is first
        assert client.get_client("c", write=True) is first


class TestSiteRootPaths:
    def test_the_list_is_wagtails_own_in_the_same_order(self, offices):
        assert Site.get_site_root_paths() == root_paths.wagtail_get_site_root_paths()

    def test_rebuilding_takes_two_queries_however_many_sites_there_are(
        self, offices, django_assert_num_queries
    ):
        root = Page.get_first_root_node()
        german = Locale.objects.get(language_code="de")
        for number in range(5):
            home = root.add_child(
                instance=Page(title=f"Stelle {number}", slug=f"stelle-{number}", locale=german)
            )
            Site.objects.create(hostname=f"stelle-{number}.localhost", root_page=home)
        Site.clear_site_root_paths_cache()
        # The sites with their home pages, then all translations of those home pages.
        with django_assert_num_queries(2):
            paths = Site.get_site_root_paths()
        assert {p.site_id for p in paths} == set(Site.objects.values_list("pk", flat=True))
        assert paths == root_paths.wagtail_get_site_root_paths()

    def test_each_language_home_of_a_site_is_a_root_path_and_routed(self, client, offices):
        site = offices["beta"].site
        assert any(
            p.site_id == site.pk and p.language_code == "en" for p in Site.get_site_root_paths()
        )
        response = client.get("/en/", HTTP_HOST="beta.localhost")
        assert response.status_code == 200
        assert response["Content-Language"] == "en"


class TestViewRestrictions:
    def test_a_restriction_added_to_a_page_applies_on_the_next_request(self, client, offices):
        home = offices["alpha"].site.root_page
        assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 200
        PageViewRestriction.objects.create(
            page=home, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
        response = client.get("/", HTTP_HOST="alpha.localhost")
        assert response.status_code == 200
        assert b'name="password"' in response.content

    def test_without_any_restriction_wagtail_is_asked_nothing(
        self, offices, django_assert_num_queries
    ):
        home = offices["alpha"].site.root_page
        home.get_view_restrictions()  # fills the cache
        with django_assert_num_queries(0):
            assert not home.get_view_restrictions().exists()


class TestLocaleLookup:
    def test_the_active_locale_comes_from_memory_and_is_a_real_locale(
        self, offices, django_assert_num_queries
    ):
        Locale.get_active()
        with django_assert_num_queries(0):
            locale = Locale.objects.get_for_language("de")
        assert locale == Locale.objects.get(language_code="de")
        assert not locale._state.adding

    def test_an_unknown_language_is_no_locale(self, offices):
        with pytest.raises(LookupError):
            Locale.objects.get_for_language("xx")


class TestExplorablePages:
    @pytest.mark.parametrize("username", ["editor-alpha", "editor-beta", "coordinator"])
    def test_an_editor_may_explore_exactly_the_pages_wagtail_would_allow(self, offices, username):
        from django.contrib.auth import get_user_model
        from wagtail.permission_policies.pages import PagePermissionPolicy

        from sites import wagtail_speedups

        user = get_user_model().objects.get(username=username)
        policy = PagePermissionPolicy()
        ours = set(policy.explorable_instances(user).values_list("pk", flat=True))
        user = get_user_model().objects.get(username=username)
        wagtails = set(
            wagtail_speedups._wagtail_explorable_instances(policy, user).values_list(
                "pk", flat=True
            )
        )
        assert ours == wagtails
        assert offices["alpha"].site.root_page_id in ours or username != "editor-alpha"

    def test_a_user_without_page_permissions_explores_nothing(self, offices):
        from django.contrib.auth import get_user_model
        from wagtail.permission_policies.pages import PagePermissionPolicy

        user = get_user_model().objects.create_user("niemand", "n@example.org", "x")
        assert not PagePermissionPolicy().explorable_instances(user).exists()


class TestRouting:
    def test_a_warm_sub_page_is_routed_without_a_query_for_its_path(
        self, client, offices, django_assert_max_num_queries
    ):
        assert client.get("/impressum/", HTTP_HOST="alpha.localhost").status_code == 200
        from sites import wagtail_speedups

        home = offices["alpha"].site.root_page
        wagtail_speedups._route(home, None, ["impressum"])  # warm in this process
        with django_assert_max_num_queries(0):
            result = wagtail_speedups._route(home, None, ["impressum"])
        assert result.page.slug == "impressum"

    def test_a_changed_slug_is_routed_at_once_and_the_old_one_is_gone(self, client, offices):
        assert client.get("/impressum/", HTTP_HOST="alpha.localhost").status_code == 200
        page = offices["alpha"].site.root_page.get_children().get(slug="impressum").specific
        page.slug = "impressum-neu"
        page.save_revision().publish()
        assert client.get("/impressum-neu/", HTTP_HOST="alpha.localhost").status_code == 200
        assert client.get("/impressum/", HTTP_HOST="alpha.localhost").status_code in (301, 302, 404)

    def test_an_unpublished_page_is_not_served_from_the_cache(self, client, offices):
        assert client.get("/impressum/", HTTP_HOST="alpha.localhost").status_code == 200
        page = offices["alpha"].site.root_page.get_children().get(slug="impressum").specific
        page.unpublish()
        assert client.get("/impressum/", HTTP_HOST="alpha.localhost").status_code == 404

    def test_an_unknown_slug_is_a_404_and_fills_no_cache(self, client, offices):
        from sites.cache_version import LOCAL

        LOCAL.clear()
        assert client.get("/gibt-es-nicht/", HTTP_HOST="alpha.localhost").status_code == 404
        assert not any("gibt-es-nicht" in key for key in LOCAL._data)


class TestReviewsWaiting:
    def test_a_submitted_page_awaits_exactly_the_reviewers_wagtail_would_name(self, offices):
        from django.contrib.auth import get_user_model
        from wagtail.models import TaskState, Workflow

        from sites import wagtail_speedups

        User = get_user_model()
        page = offices["alpha"].site.root_page.get_children().get(slug="impressum").specific
        workflow = page.get_workflow()
        assert isinstance(workflow, Workflow)
        workflow.start(page, User.objects.get(username="editor-alpha"))
        for username in ("editor-alpha", "editor-beta", "coordinator"):
            user = User.objects.get(username=username)
            ours = set(TaskState.objects.reviewable_by(user).values_list("pk", flat=True))
            user = User.objects.get(username=username)
            original = wagtail_speedups._wagtail_reviewable_by(TaskState.objects, user)
            assert ours == set(original.values_list("pk", flat=True)), username
