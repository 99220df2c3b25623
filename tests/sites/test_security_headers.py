"""Every response carries a Content-Security-Policy and a Permissions-Policy: the strict
one on the public sites, the admin's own (sites/security.py says why) under /admin/."""

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


def test_the_brand_colour_style_carries_the_nonce_of_its_response(visitor):
    response = visitor.get("/")
    nonce = re.search(r'<style nonce="([^"]+)">:root \{ --brand:', response.content.decode())
    assert nonce, "the brand colour is written as a nonced <style>"
    assert f"'nonce-{nonce.group(1)}'" in directives(response)["style-src"]
    # A new response, a new nonce.
    assert nonce.group(1) not in visitor.get("/")["Content-Security-Policy"]


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
