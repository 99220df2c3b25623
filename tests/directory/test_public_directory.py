"""The public directory as a visitor uses it: search in own words, filters, group pages."""

import json
import re

import pytest

from .conftest import group, public_get

pytestmark = pytest.mark.django_db

DIRECTORY = "/gruppen/"


def names(response):
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a></h3>', response.content.decode())


def test_the_office_directory_lists_its_own_published_groups_only(visitor):
    response = public_get(visitor, DIRECTORY)
    assert response.status_code == 200
    assert names(response) == [
        "Angehörigengruppe Alkohol Moabit",
        "Depression gemeinsam tragen",
        "Trockene Alkoholiker Wedding",
    ]


def test_the_state_site_lists_every_office_s_groups(client):
    client.defaults["HTTP_HOST"] = "land.localhost"
    response = public_get(client, DIRECTORY)
    assert "Trauercafé Beta" in names(response)
    assert "Angehörigengruppe Alkohol Moabit" in names(response)


def test_widening_to_the_whole_state_lists_own_groups_first(visitor):
    found = names(public_get(visitor, DIRECTORY + "?scope=land"))
    assert found[:3] == [
        "Angehörigengruppe Alkohol Moabit",
        "Depression gemeinsam tragen",
        "Trockene Alkoholiker Wedding",
    ]
    assert set(found[3:]) == {"Spielerselbsthilfe Beta", "Trauercafé Beta"}


@pytest.mark.parametrize(
    "words",
    ["Alkohol", "trinken", "Suchterkrankung", "mein Mann trinkt zu viel", "alkoholsucht"],
)
def test_own_words_find_the_addiction_groups(visitor, words):
    found = names(public_get(visitor, DIRECTORY, data={"q": words}))
    assert "Angehörigengruppe Alkohol Moabit" in found
    assert "Depression gemeinsam tragen" not in found


def test_relatives_words_find_the_relatives_group_of_the_topic(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Angehörige Alkohol"})
    assert names(response) == ["Angehörigengruppe Alkohol Moabit"]
    html = response.content.decode()
    assert "„Angehörige“ (Angehörige)" in html  # says how the words were understood
    assert "„Alkohol“ (Thema Alkohol)" in html


def test_a_relatives_search_on_the_state_site_finds_groups_for_both(client):
    client.defaults["HTTP_HOST"] = "land.localhost"
    found = names(public_get(client, DIRECTORY, data={"q": "Angehörigen Sucht"}))
    assert set(found) == {"Angehörigengruppe Alkohol Moabit", "Spielerselbsthilfe Beta"}


def test_filters_combine_and_keep_their_state_in_the_form(visitor):
    response = public_get(
        visitor,
        DIRECTORY,
        data={"q": "trinken", "district": "Moabit", "audience": "relatives", "step_free": "on"},
    )
    assert names(response) == ["Angehörigengruppe Alkohol Moabit"]
    html = response.content.decode()
    assert '<option value="Moabit" selected>' in html
    assert 'name="step_free" id="id_step_free" value="on" checked' in html
    assert 'value="trinken"' in html


def test_facet_counts_show_how_many_groups_each_choice_gives(visitor):
    html = public_get(visitor, DIRECTORY).content.decode()
    assert "Moabit (2)" in html
    assert "Wedding (1)" in html
    assert "Gruppen in Gründung (1)" in html
    assert "Abends (ab 17 Uhr) (2)" in html


def test_evening_and_weekday_filters(visitor):
    assert names(public_get(visitor, DIRECTORY, data={"weekday": "3"})) == [
        "Trockene Alkoholiker Wedding"
    ]
    assert "Trockene Alkoholiker Wedding" not in names(
        public_get(visitor, DIRECTORY, data={"evening": "on"})
    )


def test_in_founding_and_language_filters(visitor):
    assert names(public_get(visitor, DIRECTORY, data={"founding": "on"})) == [
        "Depression gemeinsam tragen"
    ]
    assert names(public_get(visitor, DIRECTORY, data={"language": "en"})) == [
        "Depression gemeinsam tragen"
    ]


def test_bad_filter_values_are_reported_not_a_server_error(visitor):
    response = public_get(
        visitor, DIRECTORY, data={"weekday": "9", "topic": "gibtsnicht", "page": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Thema gibt es nicht." in html
    assert len(names(response)) == 3


def test_no_result_offers_founding_and_the_office_contact(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Zwangsstörung Xylophon"})
    html = response.content.decode()
    assert names(response) == []
    assert "Wir haben keine passende Gruppe gefunden." in html
    assert 'href="/kontakt/"' in html
    assert "team@alpha.localhost" in html
    assert "scope=land" in html


def test_ended_and_draft_groups_are_never_public(visitor, client):
    for name in ("Beendete Trauergruppe", "Entwurf Geheimgruppe"):
        g = group(name)
        assert public_get(visitor, f"{DIRECTORY}{g.pk}-{g.slug}/").status_code == 404
        assert name not in public_get(visitor, DIRECTORY + "?scope=land").content.decode()
        api = public_get(visitor, "/api/directory/groups/")
        assert name not in api.content.decode()


def test_a_group_page_has_a_stable_address_and_schema_org_markup(visitor):
    g = group("Angehörigengruppe Alkohol Moabit")
    response = public_get(visitor, f"{DIRECTORY}{g.pk}-{g.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Organization"
    assert data["url"] == f"http://alpha.localhost{DIRECTORY}{g.pk}-{g.slug}/"
    # A group's meetings have no date of their own: no (invalid) nested Event.
    assert "event" not in data
    assert data["location"]["address"]["streetAddress"] == "Perleberger Straße 44"
    assert data["contactPoint"]["email"] == "team@alpha.localhost"
    old_slug = public_get(visitor, f"{DIRECTORY}{g.pk}-alter-name/")
    assert old_slug.status_code == 301
    assert old_slug["Location"].endswith(f"{DIRECTORY}{g.pk}-{g.slug}/")
    assert public_get(visitor, f"{DIRECTORY}999999-nichts/").status_code == 404


def test_the_sitemap_lists_the_office_s_group_pages(visitor):
    xml = public_get(visitor, "/sitemap-de.xml").content.decode()
    g = group("Angehörigengruppe Alkohol Moabit")
    assert f"/gruppen/{g.pk}-{g.slug}/" in xml
    assert "trauercafe-beta" not in xml
    assert "entwurf-geheimgruppe" not in xml


def test_a_widened_list_names_the_office_that_looks_after_another_office_s_group(visitor):
    from sites.models import Office

    beta = Office.objects.get(site__hostname="beta.localhost")
    html = public_get(visitor, DIRECTORY + "?scope=land").content.decode()
    cards = {
        re.search(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', card).group(1): card
        for card in re.findall(r'<li class="group-card">(.*?)</li>', html, re.S)
    }
    assert f"betreut von {beta.display_short_name}" in cards["Trauercafé Beta"]
    assert "betreut von" not in cards["Angehörigengruppe Alkohol Moabit"]
