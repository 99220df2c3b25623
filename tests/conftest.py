"""Shared test set-up: one small network, provisioned once per test session.

Provisioning runs the real code path (the same as ``create_office``), so every test starts
from what an installation really looks like: a state coordination site and two regional
offices, each with an editor; a coordinator. Tests run inside transactions that are rolled
back, so they may change this data freely.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sites.provisioning import COORDINATORS_GROUP, OfficeSpec, office_groups, provision_office

PASSWORD = "correct-horse-battery"

NETWORK = {
    "state": OfficeSpec(
        hostname="land.localhost", name="Landeskoordination Test", short_name="LK", state=True
    ),
    "alpha": OfficeSpec(
        hostname="alpha.localhost", name="Kontaktstelle Alpha", short_name="KS Alpha"
    ),
    "beta": OfficeSpec(hostname="beta.localhost", name="Kontaktstelle Beta", short_name="KS Beta"),
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: the site chrome, rate limits and facet
    counts kept there would otherwise outlive the rolled-back rows of an earlier test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        User = get_user_model()
        for key, spec in NETWORK.items():
            spec_copy = OfficeSpec(
                **{
                    **spec.__dict__,
                    "profile": {
                        "email": f"team@{spec.hostname}",
                        "phone": "030 123456",
                        "street": "Teststraße 1",
                        "postcode": "10115",
                        "city": "Berlin",
                        "organisation": f"Träger von {spec.name} e. V.",
                        "representative": "Vorstand: Erika Muster",
                        "content_responsible": "Max Mustermann",
                    },
                }
            )
            office = provision_office(spec_copy)
            user = User.objects.create_user(f"editor-{key}", f"editor-{key}@example.org", PASSWORD)
            user.groups.add(*office_groups(office))
        coordinator = User.objects.create_user("coordinator", "coord@example.org", PASSWORD)
        coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
        User.objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def offices(db):
    from sites.models import Office

    return {
        key: Office.objects.select_related("site", "site__root_page").get(
            site__hostname=spec.hostname
        )
        for key, spec in NETWORK.items()
    }


@pytest.fixture
def users(db):
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


def client_for(client, username=None, host="alpha.localhost"):
    """A Django test client that talks to ``host`` and is logged in as ``username``."""
    client.defaults["HTTP_HOST"] = host
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor_a(client):
    """Logged in as the editor of office Alpha, on Alpha's hostname."""
    return client_for(client, "editor-alpha", "alpha.localhost")


@pytest.fixture
def coordinator_client(client):
    return client_for(client, "coordinator", "land.localhost")


@pytest.fixture
def visitor(client):
    return client_for(client, None, "alpha.localhost")


def assert_refused(response):
    """The admin refused the request: the tenancy fence answers 404 for another office's
    object (as if it did not exist), Django 403, and Wagtail answers a missing model
    permission with a redirect to the dashboard. A successful save redirects too, but never
    to the dashboard; tests still check the database afterwards."""
    if response.status_code == 302:
        assert response["Location"] == "/admin/", response["Location"]
    else:
        assert response.status_code == 404 or response.status_code == 403, response.status_code
