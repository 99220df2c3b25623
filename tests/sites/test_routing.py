import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("alpha.localhost", "Kontaktstelle Alpha"),
        ("beta.localhost", "Kontaktstelle Beta"),
        ("land.localhost", "Landeskoordination Test"),
    ],
)
def test_each_hostname_shows_its_own_office(client, host, name):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{name}</h1>" in html
    others = {"Kontaktstelle Alpha", "Kontaktstelle Beta", "Landeskoordination Test"} - {name}
    for other in others:
        assert other not in html
