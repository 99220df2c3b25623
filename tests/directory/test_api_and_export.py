"""The public JSON API and the public exports: same filters, public fields only."""

import csv
import io
import json

import pytest

from directory.exchange import PUBLIC_FIELDS

from .conftest import public_get

pytestmark = pytest.mark.django_db

API = "/api/directory/groups/"


def test_the_api_lists_public_groups_with_the_page_filters(visitor):
    data = public_get(visitor, API, data={"q": "trinken", "audience": "relatives"}).json()
    assert [g["name"] for g in data["results"]] == ["Angehörigengruppe Alkohol Moabit"]
    assert data["count"] == 1 and data["num_pages"] == 1 and data["next"] is None
    record = data["results"][0]
    assert set(record) == set(PUBLIC_FIELDS)
    assert record["topics"] == ["alkohol"]
    assert record["office"] == "alpha.localhost"


def test_the_api_can_be_limited_to_one_office(visitor):
    data = public_get(visitor, API, data={"office": "beta.localhost"}).json()
    assert {g["name"] for g in data["results"]} == {"Trauercafé Beta", "Spielerselbsthilfe Beta"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weekday": "8"}, "weekday"),
        ({"topic": "nichtda"}, "topic"),
        ({"page": "0"}, "page"),
        ({"format": "telepathie"}, "format"),
    ],
)
def test_bad_api_parameters_answer_400_with_an_explanation(visitor, params, field):
    response = public_get(visitor, API, data=params)
    assert response.status_code == 400
    assert field in response.json()["details"]


def test_unknown_api_parameters_and_offices_are_errors(visitor):
    response = public_get(visitor, API, data={"sort": "name"})
    assert response.status_code == 400
    assert "sort" in response.json()["error"]
    assert public_get(visitor, API, data={"office": "nirgends.localhost"}).status_code == 400
    assert public_get(visitor, API, data={"page": "99"}).status_code == 404


def test_the_csv_export_holds_the_public_data_of_public_groups(visitor):
    response = public_get(visitor, "/api/directory/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["name"] for r in rows} == {
        "Angehörigengruppe Alkohol Moabit",
        "Trockene Alkoholiker Wedding",
        "Depression gemeinsam tragen",
        "Trauercafé Beta",
        "Spielerselbsthilfe Beta",
    }
    assert list(rows[0]) == PUBLIC_FIELDS


def test_the_json_and_hsds_exports(visitor):
    data = json.loads(public_get(visitor, "/api/directory/export.json").content)
    assert len(data["groups"]) == 5
    hsds = json.loads(public_get(visitor, "/api/directory/hsds.json").content)
    assert hsds["total_items"] == len(hsds["contents"]) == 5
    assert {s["organization"]["name"] for s in hsds["contents"]} == {
        "Kontaktstelle Alpha",
        "Kontaktstelle Beta",
    }
    service = next(s for s in hsds["contents"] if s["name"] == "Angehörigengruppe Alkohol Moabit")
    assert service["schedules"][0]["byday"] == "TU"
    assert service["schedules"][0]["opens_at"] == "19:00"
    assert service["organization_id"] == service["organization"]["id"]
    for link in service["service_at_locations"]:
        assert link["location_id"] == link["location"]["id"]


def test_the_api_costs_the_same_queries_for_one_group_as_for_many(visitor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(params):
        with CaptureQueriesContext(connection) as ctx:
            data = public_get(visitor, API, data=params).json()
        return len(ctx.captured_queries), data["count"]

    queries({"q": "Trauer"})  # fills the per-site caches (site, vocabulary) once
    one = queries({"q": "trinken", "audience": "relatives"})
    many = queries({})
    assert one[1] == 1 and many[1] >= 4
    assert one[0] == many[0]
    record = public_get(visitor, API, data={"q": "trinken", "audience": "relatives"}).json()
    assert record["results"][0]["public_contact_name"] == "Gruppe AM"  # consent date loaded
