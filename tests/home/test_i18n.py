"""German and English interface strings (gettext), and no request to another host."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_german_site_has_german_interface_strings(visitor):
    html = visitor.get("/").content.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert "Zum Inhalt springen" in html
    assert 'aria-label="Hauptnavigation"' in html


def test_the_english_site_has_english_interface_strings(visitor):
    html = visitor.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to main content" in html
    assert 'aria-label="Main navigation"' in html
    assert 'aria-label="Legal information"' in html
    assert "Zum Inhalt springen" not in html


def test_the_english_forms_have_english_labels_for_consent_and_errors(visitor):
    html = visitor.get("/en/kontakt/").content.decode()
    assert "I agree that my details are stored" in html
    assert "Required fields are marked with *" in html
    response = visitor.post("/en/kontakt/", {"website": ""})
    assert "Please confirm your consent" in response.content.decode()


def test_each_language_is_named_in_itself_in_the_language_switcher(visitor):
    html = visitor.get("/").content.decode()
    assert 'lang="en" hreflang="en">English</a>' in html
    assert 'lang="de" hreflang="de" aria-current="true">Deutsch</a>' in html


@pytest.mark.parametrize("path", ["/", "/kontakt/", "/gruppe-gruenden/", "/impressum/", "/en/"])
def test_pages_reference_no_other_host(visitor, path):
    html = visitor.get(path).content.decode()
    for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
        assert not re.match(r"^(https?:)?//", url) or "alpha.localhost" in url, url
    assert "<script" not in html
