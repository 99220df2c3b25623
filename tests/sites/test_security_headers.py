"""Every response carries a Content-Security-Policy and a Permissions-Policy: the strict
one on the public sites, the admin's own (sites/security.py says why) under /admin/."""

import base64
import hashlib
import re

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/kontakt/",
    "/gruppe-gruenden/",
    "/impressum/",
    "/veranstaltungen/",
    "/veranstaltungen/ical/",
    "/gruppen/?q=Sucht",
    "/newsletter/anmelden/",
    "/en/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/api/directory/groups/",
    "/api/directory/hsds.json",
    "/gibt-es-nicht/",
]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PUBLIC)
def test_a_public_response_carries_the_strict_policy(visitor, path):
    response = visitor.get(path)
    assert response.status_code in (200, 404)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_brand_colour_style_is_admitted_by_its_hash_and_nothing_else(visitor, offices):
    offices["alpha"].brand_colour = "#6a1b4d"
    offices["alpha"].save()
    response = visitor.get("/")
    css = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S).group(1)
    assert css == ":root { --brand: #6a1b4d; }"
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert directives(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]
    # The same page twice is the same page: nothing per response in body or header.
    again = visitor.get("/")
    assert again.content == response.content
    assert again["Content-Security-Policy"] == response["Content-Security-Policy"]


def test_a_brand_colour_that_is_no_colour_is_not_written_as_css(visitor, offices):
    from sites.models import Office

    # Seven characters, the column's size; the profile form would refuse it.
    Office.objects.filter(pk=offices["alpha"].pk).update(brand_colour="red;}*{")
    response = visitor.get("/")
    assert "<style>" not in response.content.decode()
    assert directives(response)["style-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/"])
def test_the_admin_gets_its_own_policy_without_foreign_hosts(client, path):
    client_for(client, "editor-alpha" if path == "/admin/" else None)
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    # No source list names another host.
    sources = {value for values in policy.values() for value in values}
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    assert "camera=()" in response["Permissions-Policy"]
