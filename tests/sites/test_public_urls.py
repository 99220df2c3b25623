"""Links in mails use the public scheme and the site's host, whatever port Wagtail knows."""

import pytest
from wagtail.models import Site

from sites.mail import office_reply_to, office_sender, public_root, public_urls

pytestmark = pytest.mark.django_db


def test_a_site_on_port_80_behind_the_proxy_is_reached_over_https(offices, settings):
    settings.PUBLIC_URL_SCHEME = "https"
    site = offices["alpha"].site
    assert site.port == 80 and site.root_url == "http://alpha.localhost"
    assert public_root(site) == "https://alpha.localhost"


def test_a_port_other_than_80_or_443_is_kept(offices, settings):
    site = offices["alpha"].site
    Site.objects.filter(pk=site.pk).update(port=8000)
    site.refresh_from_db()
    settings.PUBLIC_URL_SCHEME = "https"
    assert public_root(site) == "https://alpha.localhost:8000"
    settings.PUBLIC_URL_SCHEME = "http"  # a developer machine: runserver speaks no TLS
    assert public_root(site) == "http://alpha.localhost:8000"


def test_only_absolute_urls_of_known_sites_are_rewritten(offices, settings):
    settings.PUBLIC_URL_SCHEME = "https"
    text = (
        '<a href="http://alpha.localhost/kontakt/">Kontakt</a> '
        "http://alpha.localhost "
        "http://alpha.localhost.example.org/phish/ "
        "http://example.org/ "
        "(http://beta.localhost/gruppen/)"
    )
    assert public_urls(text) == (
        '<a href="https://alpha.localhost/kontakt/">Kontakt</a> '
        "https://alpha.localhost "
        "http://alpha.localhost.example.org/phish/ "
        "http://example.org/ "
        "(https://beta.localhost/gruppen/)"
    )


def test_the_office_is_the_senders_name_at_the_platform_address(offices, settings):
    settings.DEFAULT_FROM_EMAIL = "Selbsthilfe <noreply@selbsthilfe.example>"
    alpha = offices["alpha"]
    assert office_sender(alpha) == "Kontaktstelle Alpha <noreply@selbsthilfe.example>"
    assert office_reply_to(alpha) == ["team@alpha.localhost"]
    alpha.email = ""
    assert office_reply_to(alpha) is None
    assert office_sender(None) == "Selbsthilfe <noreply@selbsthilfe.example>"
