"""A change rebuilds only the chrome that shows it (issue #14): one office's publish or
menu change leaves every other office's cached chrome, routing and derived data as they
are, and still shows at once on its own site (and on the state site, which shows every
office's pages)."""

import pytest

from home.models import MainMenuItem, Navigation, StandardPage
from sites import chrome
from sites.cache_version import LOCAL
from tests.conftest import client_for
from tests.home.conftest import child

pytestmark = pytest.mark.django_db


def menu(html):
    return html.split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]


@pytest.fixture
def builds(monkeypatch):
    """The site ids whose chrome was built, in order (a spy around ``chrome.build``)."""
    built = []
    original = chrome.build

    def spy(site, language):
        built.append(site.pk)
        return original(site, language)

    monkeypatch.setattr(chrome, "build", spy)
    return built


def home(client, host):
    response = client_for(client.__class__(), None, host).get("/")
    assert response.status_code == 200
    return response.content.decode()


def publish_new_menu_page(office, title):
    page = StandardPage(title=title, slug="neues-angebot", show_in_menus=True)
    office.site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_one_offices_publish_leaves_another_offices_cached_chrome_as_it_is(client, offices, builds):
    home(client, "alpha.localhost")
    home(client, "beta.localhost")
    builds.clear()
    publish_new_menu_page(offices["alpha"], "Unser neues Angebot")
    # Another worker process: its own copies are gone, the shared cache decides.
    LOCAL.clear()
    assert "Unser neues Angebot" not in menu(home(client, "beta.localhost"))
    assert offices["beta"].site_id not in builds
    assert "Unser neues Angebot" in menu(home(client, "alpha.localhost"))
    assert builds == [offices["alpha"].site_id]


def test_another_offices_warm_home_page_makes_no_query_after_a_publish(
    client, offices, django_assert_num_queries
):
    home(client, "beta.localhost")
    publish_new_menu_page(offices["alpha"], "Unser neues Angebot")
    with django_assert_num_queries(0):
        home(client, "beta.localhost")


def test_a_renamed_menu_page_shows_at_once_in_its_office_menu(client, offices, builds):
    assert ">Impressum<" in home(client, "alpha.localhost")
    page = child(offices["alpha"], "kontakt")
    page.title = "Kontakt und Anfahrt"
    page.save_revision().publish()
    assert "Kontakt und Anfahrt" in menu(home(client, "alpha.localhost"))
    assert "Kontakt und Anfahrt" not in home(client, "beta.localhost")


def test_a_menu_item_added_in_one_office_rebuilds_only_its_chrome(client, offices, builds):
    office = offices["alpha"]
    home(client, "alpha.localhost")
    home(client, "beta.localhost")
    home(client, "land.localhost")
    builds.clear()
    navigation = Navigation.for_site(office.site)
    MainMenuItem.objects.create(
        setting=navigation, page=child(office, "impressum"), label="Wer wir sind"
    )
    LOCAL.clear()
    assert "Wer wir sind" in menu(home(client, "alpha.localhost"))
    home(client, "beta.localhost")
    home(client, "land.localhost")
    assert builds == [office.site_id]


def test_an_offices_publish_rebuilds_the_state_site_which_shows_every_office(
    client, offices, builds
):
    home(client, "land.localhost")
    builds.clear()
    publish_new_menu_page(offices["alpha"], "Unser neues Angebot")
    home(client, "land.localhost")
    assert builds == [offices["state"].site_id]


def test_a_network_change_still_rebuilds_every_site(client, offices, builds):
    home(client, "alpha.localhost")
    home(client, "beta.localhost")
    builds.clear()
    beta = offices["beta"]
    beta.phone = "030 111222"
    beta.save()
    assert "030 111222" in home(client, "beta.localhost")
    home(client, "alpha.localhost")
    assert sorted(builds) == sorted([offices["alpha"].site_id, beta.site_id])


def test_data_derived_from_one_sites_pages_is_kept_for_the_other_sites(offices):
    calls = []

    def build(name):
        calls.append(name)
        return name

    alpha, beta = offices["alpha"].site_id, offices["beta"].site_id
    chrome.cached_until_next_save("x", lambda: build("alpha"), site=alpha)
    chrome.cached_until_next_save("x", lambda: build("beta"), site=beta)
    chrome.cached_until_next_save("x", lambda: build("anywhere"))
    publish_new_menu_page(offices["alpha"], "Unser neues Angebot")
    assert chrome.cached_until_next_save("x", lambda: build("alpha"), site=alpha) == "alpha"
    assert chrome.cached_until_next_save("x", lambda: build("beta"), site=beta) == "beta"
    chrome.cached_until_next_save("x", lambda: build("anywhere"))
    # Alpha's and the site-less entry are built again, Beta's is not.
    assert calls == ["alpha", "beta", "anywhere", "alpha", "anywhere"]


def test_the_newest_groups_link_the_directory_under_its_new_slug_at_once(client, offices):
    """The teaser is kept across page publishes, but not past a change of the directory
    page's URL."""
    from directory.models import DirectoryPage, Rhythm, SelfHelpGroup, Status

    office = offices["alpha"]
    SelfHelpGroup.objects.create(
        name="Trauercafé Alpha", office=office, rhythm=Rhythm.IRREGULAR, status=Status.ACTIVE
    )
    assert 'href="/gruppen/' in home(client, "alpha.localhost")
    directory = DirectoryPage.objects.child_of(office.site.root_page).get()
    directory.slug = "selbsthilfegruppen"
    directory.save_revision().publish()
    html = home(client, "alpha.localhost")
    assert 'href="/selbsthilfegruppen/' in html and 'href="/gruppen/' not in html
