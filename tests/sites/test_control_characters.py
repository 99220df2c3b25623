"""A control character in a URL (NUL from ``%00`` above all, which PostgreSQL refuses in
text) gets a 400 with a German explanation before any view sees it."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/directory/groups/?office=%00",
        "/api/directory/groups/?q=a%00b",
        "/api/directory/groups/?%00=1",
    ],
)
def test_the_directory_api_answers_a_nul_byte_with_a_json_400(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {
        "error": "Die Adresse enthält unzulässige Steuerzeichen."
    }


@pytest.mark.parametrize(
    "url",
    [
        "/gruppen/?q=Sucht%00",
        "/gruppen/?district=%1b",
        "/veranstaltungen/?kategorie=%00",
        "/veranstaltungen/%00/",
        "/newsletter/abmelden/a%00b/",
        "/kontakt/?x=%7f",
    ],
)
def test_a_public_page_answers_a_control_character_with_a_german_400_page(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Die Adresse enthält unzulässige Steuerzeichen." in html
    assert "Content-Security-Policy" in response


def test_tabs_and_line_breaks_typed_into_a_search_are_still_searched(visitor):
    response = visitor.get("/gruppen/", {"q": "Sucht\tAlkohol\r\n"})
    assert response.status_code == 200
