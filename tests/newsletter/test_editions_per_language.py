"""Newsletter editions per language: the sign-up offers the site's languages only, the
send dashboard shows which editions exist and who gets which, the send falls back to
German."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from newsletter.forms import SignupForm
from newsletter.models import Subscriber
from newsletter.sending import run_dispatch
from tests.conftest import client_for

from .conftest import english_edition, make_subscriber
from .test_sending import _dispatch

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/anmelden/"


def _choices(form):
    return [code for code, _name in form.fields["language"].choices]


def test_the_sign_up_offers_only_the_languages_of_the_site(offices, state_list):
    # Alpha's site offers German and English; Turkish is a content language of the
    # installation that this site does not offer.
    form = SignupForm(site=offices["alpha"].site)
    assert _choices(form) == ["de", "en"]


def test_a_language_the_site_does_not_offer_is_refused_and_nothing_is_stored(
    client, offices, state_list
):
    from newsletter.models import ConsentText

    response = client_for(client, None, "alpha.localhost").post(
        SUBSCRIBE,
        {
            "email": "neu@example.org",
            "language": "tr",
            "lists": [state_list.pk],
            "consent": "on",
            "consent_version": ConsentText.current().version,
        },
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#id_language") is not None
    assert "tr" not in [o["value"] for o in soup.select("#id_language option")]
    assert not Subscriber.objects.filter(email="neu@example.org").exists()


def test_the_sign_up_starts_with_the_visitors_language(offices, state_list):
    with translation.override("en"):
        assert SignupForm(site=offices["alpha"].site).fields["language"].initial == "en"
    with translation.override("en-gb"):
        assert SignupForm(site=offices["alpha"].site).fields["language"].initial == "en"


def test_leichte_sprache_is_kept_whole_not_cut_to_german(offices, monkeypatch):
    from newsletter import forms

    monkeypatch.setattr(forms, "site_language_codes", lambda site: ["de", "de-x-ls"])
    with translation.override("de-x-ls"):
        form = SignupForm(site=offices["alpha"].site)
    assert _choices(form) == ["de", "de-x-ls"]
    assert form.fields["language"].initial == "de-x-ls"


def test_the_send_dashboard_shows_existing_and_missing_editions_and_who_gets_german(
    client, offices, issue, state_list
):
    make_subscriber("de@example.org", state_list, language="de")
    make_subscriber("en@example.org", state_list, language="en")
    response = client_for(client, "coordinator", "land.localhost").get(
        f"/admin/newsletter/ausgabe/{issue.pk}/"
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("table.newsletter-editions tbody tr")
    }
    assert set(rows) == {"Deutsch", "Englisch"}
    assert rows["Englisch"][0].startswith("fehlt")
    assert rows["Englisch"][1:] == ["1", "Deutsch (Ersatz)"]
    assert soup.select_one(
        f"table.newsletter-editions a[href='/admin/localize/submit/page/{issue.pk}/']"
    )

    english_edition(issue)
    soup = BeautifulSoup(
        client.get(f"/admin/newsletter/ausgabe/{issue.pk}/").content, "html.parser"
    )
    english = next(
        tr for tr in soup.select("table.newsletter-editions tbody tr") if tr.th.text == "Englisch"
    )
    assert [td.get_text(" ", strip=True) for td in english.find_all("td")][1:] == ["1", "Englisch"]


def test_a_subscriber_whose_language_has_no_edition_gets_the_german_one(smtp, issue, state_list):
    english_edition(issue, title="March issue")
    make_subscriber("tr@example.org", state_list, language="tr")
    make_subscriber("en@example.org", state_list, language="en")
    run_dispatch(_dispatch(issue).pk)
    subjects = {m["To"]: m["Subject"] for m in smtp.parsed()}
    assert subjects == {"tr@example.org": "Ausgabe März", "en@example.org": "March issue"}
