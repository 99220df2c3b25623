"""Wagtail's Sites admin keeps the rule of ``create_office``: one hostname belongs to one
office whatever the port."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client):
    return client_for(client, "root", "land.localhost")


def _form(site, **changes):
    data = {
        "hostname": site.hostname,
        "port": site.port,
        "site_name": site.site_name,
        "root_page": site.root_page_id,
    }
    return {**data, **changes}


def test_the_sites_admin_refuses_an_office_s_hostname_on_another_port(root_client, offices):
    alpha = offices["alpha"].site
    sites = Site.objects.count()
    response = root_client.post(
        reverse("wagtailsites:add"),
        _form(alpha, hostname="Alpha.localhost", port=8080, site_name="Doppelt"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der Hostname „alpha.localhost“ gehört schon zur Website" in html
    assert "gleich unter welchem Port" in html
    assert Site.objects.count() == sites

    # Nor may another site be moved onto it.
    beta = offices["beta"].site
    response = root_client.post(
        reverse("wagtailsites:edit", args=[beta.pk]), _form(beta, hostname="alpha.localhost")
    )
    assert response.status_code == 200 and "gehört schon zur Website" in response.content.decode()
    assert Site.objects.get(pk=beta.pk).hostname == "beta.localhost"


def test_the_sites_admin_still_saves_a_site_under_its_own_hostname(root_client, offices):
    alpha = offices["alpha"].site
    response = root_client.post(
        reverse("wagtailsites:edit", args=[alpha.pk]), _form(alpha, site_name="Alpha neu")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Site.objects.get(pk=alpha.pk).site_name == "Alpha neu"
    response = root_client.post(
        reverse("wagtailsites:add"),
        _form(alpha, hostname="neu.localhost", port=80, site_name="Neu"),
    )
    assert response.status_code == 302
    assert Site.objects.filter(hostname="neu.localhost").exists()
