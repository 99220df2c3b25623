"""Find your contact office on the state site: by postcode, district or place name, each
office with its hours and whether it is open now; postcode areas are kept by the
coordination in the admin, fenced like every other office record."""

import datetime

import pytest
from django.utils import timezone

from sites.finder import FinderInputError, find_offices, normalise, parse
from sites.models import OpeningHours, PostcodeArea
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FINDER = "/kontaktstelle-finden/"


@pytest.fixture
def areas(offices):
    alpha, beta = offices["alpha"], offices["beta"]
    alpha.region = "Bezirk Pankow"
    alpha.districts = "Prenzlauer Berg\nWeißensee\nFranzösisch Buchholz"
    alpha.save()
    beta.region = "Bezirk Lichtenberg"
    beta.save()
    for office, postcode, place in (
        (alpha, "13187", "Pankow"),
        (alpha, "13086", "Weißensee"),
        (beta, "10365", "Lichtenberg"),
        # A postcode on the district border belongs to both offices.
        (alpha, "10409", "Prenzlauer Berg"),
        (beta, "10409", "Fennpfuhl"),
    ):
        PostcodeArea.objects.create(office=office, postcode=postcode, place=place)
    return offices


def get(client, query=None):
    client_for(client, host="land.localhost")
    return client.get(FINDER, {"q": query} if query is not None else {})


def test_the_state_site_has_the_finder_and_its_home_page_a_finder_box(client, offices):
    client_for(client, host="land.localhost")
    home = client.get("/").content.decode()
    assert f'action="{FINDER}"' in home
    assert 'name="q"' in home
    # A regional office's site is about that office: no finder page, no finder box.
    client_for(client, host="alpha.localhost")
    assert client.get(FINDER).status_code == 404
    assert FINDER not in client.get("/").content.decode()


def test_a_postcode_finds_the_office_with_its_hours_and_open_now(client, areas):
    now = timezone.localtime()
    OpeningHours.objects.create(
        office=areas["alpha"],
        weekday=now.weekday(),
        opens=datetime.time(0, 0),
        closes=datetime.time(23, 59, 59),
    )
    response = get(client, "13187")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Eine Kontaktstelle für „13187“" in html
    assert "Kontaktstelle Alpha" in html
    assert "Kontaktstelle Beta" not in html
    assert "Zuständig für 13187 Pankow" in html
    assert "Jetzt geöffnet" in html
    assert "Öffnungszeiten" in html and "00:00–23:59 Uhr" in html
    assert "Teststraße 1" in html and 'href="tel:030123456"' in html


def test_a_postcode_on_a_district_border_finds_both_offices(client, areas):
    html = get(client, "10409").content.decode()
    assert "2 Kontaktstellen für „10409“" in html
    assert "Kontaktstelle Alpha" in html and "Kontaktstelle Beta" in html


@pytest.mark.parametrize(
    "query", ["Weißensee", "weissensee", "WEISSENSEE", "prenzlauer", "Französisch-Buchholz"]
)
def test_a_place_name_finds_the_office_however_it_is_spelled(client, areas, query):
    html = get(client, query).content.decode()
    assert "Eine Kontaktstelle" in html
    assert "Kontaktstelle Alpha" in html
    assert "Kontaktstelle Beta" not in html


def test_a_district_finds_its_office_with_or_without_the_word_bezirk(client, areas):
    for query in ("Lichtenberg", "Bezirk Lichtenberg"):
        html = get(client, query).content.decode()
        assert "Kontaktstelle Beta" in html and "Zuständig für Bezirk Lichtenberg" in html


def test_the_state_office_itself_is_never_a_result(client, areas):
    html = get(client, "Landeskoordination").content.decode()
    assert "Keine Kontaktstelle für „Landeskoordination“ gefunden" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("1318", "Eine Postleitzahl hat fünf Ziffern"),
        ("131870", "Eine Postleitzahl hat fünf Ziffern"),
        ("x", "Bitte geben Sie eine Postleitzahl, einen Bezirk oder einen Ortsnamen ein."),
        ("!!!", "Bitte geben Sie eine Postleitzahl, einen Bezirk oder einen Ortsnamen ein."),
        ("a" * 101, "höchstens 100 Zeichen"),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_the_list_of_offices(
    client, areas, query, message
):
    response = get(client, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    assert "Alle Kontaktstellen" in html


def test_an_unknown_postcode_says_so_and_offers_every_office(client, areas):
    html = get(client, "99999").content.decode()
    assert "Keine Kontaktstelle für „99999“ gefunden" in html
    assert "Für diese Postleitzahl ist bei uns noch keine Kontaktstelle eingetragen" in html
    assert "Kontaktstelle Alpha" in html and "Kontaktstelle Beta" in html


def test_without_a_query_the_page_lists_every_regional_office(client, areas):
    html = get(client).content.decode()
    assert "Alle Kontaktstellen" in html
    assert "Kontaktstelle Alpha" in html and "Kontaktstelle Beta" in html
    assert "Bezirk Pankow" in html


def test_a_query_string_with_a_list_of_values_is_read_as_its_last_value(client, areas):
    client_for(client, host="land.localhost")
    response = client.get(f"{FINDER}?q=99999&q=13187")
    assert response.status_code == 200
    assert "Kontaktstelle Alpha" in response.content.decode()


def test_words_are_compared_without_case_umlauts_accents_and_noise():
    assert normalise("Bezirk Französisch-Buchholz") == ["franzoesisch", "buchholz"]
    assert normalise("Café Weißensee") == ["cafe", "weissensee"]
    assert parse(" 13 187 ") == ("postcode", "13187")
    assert parse("") == ("empty", None)
    with pytest.raises(FinderInputError):
        parse("12")


def test_the_finder_answers_with_a_fixed_number_of_queries(
    client, areas, django_assert_max_num_queries
):
    get(client, "13187")  # warm the site chrome cache
    with django_assert_max_num_queries(25):
        get(client, "Pankow")


def test_the_demo_postcode_13187_finds_kis_pankow(django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from sites.models import Office, OfficeKind

    Office.objects.filter(kind=OfficeKind.STATE).update(kind=OfficeKind.REGIONAL)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--offices", "3", stdout=io.StringIO())
    _kind, found = find_offices("13187")
    assert [item.office.short_name for item in found] == ["KIS Pankow"]
    _kind, found = find_offices("Weißensee")
    assert [item.office.short_name for item in found] == ["KIS Pankow"]


# --- The admin: the coordination keeps the areas; offices cannot --------------------------


def test_the_coordinator_adds_a_postcode_area_for_an_office(client, offices):
    client_for(client, "coordinator", host="land.localhost")
    response = client.get("/admin/postcode-areas/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kontaktstelle Alpha" in html
    assert "Landeskoordination Test</option>" not in html  # the state serves no area
    response = client.post(
        "/admin/postcode-areas/new/",
        {"office": offices["alpha"].pk, "postcode": "13187", "place": "  Pankow  "},
    )
    assert response.status_code == 302
    area = PostcodeArea.objects.get(postcode="13187")
    assert area.office == offices["alpha"] and area.place == "Pankow"


@pytest.mark.parametrize("postcode", ["1318", "131877", "abcde", ""])
def test_a_malformed_postcode_is_refused_with_a_message(client, offices, postcode):
    client_for(client, "coordinator", host="land.localhost")
    response = client.post(
        "/admin/postcode-areas/new/",
        {"office": offices["alpha"].pk, "postcode": postcode, "place": ""},
    )
    assert response.status_code == 200
    assert not PostcodeArea.objects.exists()
    html = response.content.decode()
    if postcode:
        assert "fünfstellige Postleitzahl" in html or "höchstens 5 Zeichen" in html


def test_the_same_area_twice_is_refused(client, offices):
    PostcodeArea.objects.create(office=offices["alpha"], postcode="13187", place="Pankow")
    client_for(client, "coordinator", host="land.localhost")
    response = client.post(
        "/admin/postcode-areas/new/",
        {"office": offices["alpha"].pk, "postcode": "13187", "place": "Pankow"},
    )
    assert response.status_code == 200
    assert PostcodeArea.objects.count() == 1


def test_an_office_editor_cannot_list_add_or_change_postcode_areas(client, offices):
    area = PostcodeArea.objects.create(office=offices["alpha"], postcode="13187", place="Pankow")
    client_for(client, "editor-alpha")
    assert client.get("/admin/postcode-areas/").status_code in (302, 403)
    response = client.post(
        f"/admin/postcode-areas/edit/{area.pk}/",
        {"office": offices["alpha"].pk, "postcode": "99999", "place": "Anderswo"},
    )
    assert response.status_code in (302, 403, 404)
    area.refresh_from_db()
    assert (area.postcode, area.place) == ("13187", "Pankow")
    response = client.post(
        "/admin/postcode-areas/new/",
        {"office": offices["beta"].pk, "postcode": "10365", "place": ""},
    )
    assert response.status_code in (302, 403)
    assert PostcodeArea.objects.count() == 1
